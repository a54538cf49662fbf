import Foundation
import Synchronization
import KitModel

/// The stack repository: discovers top-level manifests and resolves components in them.
///
/// Processing is lazy and per file: a broken manifest fails only the commands that need it; commands
/// over every stack report it as a warning and go on (unlike atmos, where one broken stack fails all).
public final class StackCatalog: Sendable {
    public let config: KitConfig
    public let store: ManifestStore
    public let index: StackFileIndex
    public let imports: ImportResolver
    /// Renders the repository's templates (also the deferred ones at run time, see `ReferenceResolver`).
    public let templates: TemplateRendering
    /// Top-level manifests, relative to the stacks directory, sorted.
    public let topLevelFiles: [String]
    /// Evaluates `!env`, `!exec`, … (`evaluate(_:)`, the pipeline's function phase, and `atmos.Component`
    /// reads); nil: functions stay as written.
    public let functions: YAMLFunctionEvaluator?
    /// Components read by `atmos.Component`, by "stack NUL component" as the template named them.
    private let templateReads = Mutex<[String: ResolvedComponent]>([:])
    /// The stack index, once built (see `stackIndex`).
    let indexCell = Mutex<StackIndex?>(nil)
    /// Base-chain walks shared by this catalog's stacks (`SharedBaseChains`).
    package let sharedBaseChains = ComponentResolver.SharedBaseChains()
    /// True when the configuration cannot feed a YAML function into a component (`FunctionText`).
    let configCannotHoldFunctionText: Bool

    /// Discovers manifests (reference §1.5). `functions` evaluates YAML functions for the pipeline and
    /// for `atmos.Component` reads (nil: they stay as written).
    /// `persistentFacts`: index records kept between runs (`ManifestFactsCache`; inactive by default).
    public init(config: KitConfig, fileSystem: FileSystem = LocalFileSystem(), templates: TemplateRendering,
                functions: YAMLFunctionEvaluator? = nil, persistentFacts: ManifestFactsCache? = nil) throws {
        self.config = config
        self.templates = templates
        self.functions = functions
        configCannotHoldFunctionText = !FunctionText.mayHold(config)
        guard fileSystem.isDirectory(config.stacksBasePath) else {
            if config.configFile == nil { throw StackError.noRepository(directory: config.basePath) }
            throw StackError.noManifests(stacksBase: Paths.relative(config.stacksBasePath, to: config.basePath), patterns: config.includedPaths)
        }
        let roots = Self.allowedRoots(config)
        index = StackFileIndex(files: try Self.walk(config, fileSystem: fileSystem, roots: roots))
        store = ManifestStore(fileSystem: fileSystem, stacksBase: config.stacksBasePath, repoBase: config.basePath,
                              limits: config.limits, allowedRoots: [config.basePath] + config.allowedExternalPaths,
                              queryEnvironment: config.trust.untrusted ? .refused : .allowed)
        imports = ImportResolver(store: store, index: index, config: config, templates: templates,
                                 persistentFacts: persistentFacts ?? ManifestFactsCache.off)
        var patterns: [Glob] = []
        for p in config.includedPaths {
            let name = Paths.basename(p)
            if !name.contains(".") {
                patterns += ["\(p).yaml", "\(p).yml", "\(p).yaml.tmpl", "\(p).yml.tmpl"].map { Glob($0) }
            } else {
                patterns.append(Glob(p))
            }
        }
        let excluded = config.excludedPaths.map { Glob($0) }
        let fileIndex = index
        topLevelFiles = fileIndex.files.indices.filter { i in
            let segments = fileIndex.segments[i]
            return patterns.contains { $0.matches(segments: segments) } && !excluded.contains { $0.matches(segments: segments) }
        }.map { fileIndex.files[$0] }
        if topLevelFiles.isEmpty {
            throw StackError.noManifests(stacksBase: Paths.relative(config.stacksBasePath, to: config.basePath), patterns: config.includedPaths)
        }
    }

    /// The repository and the allowed external paths, links resolved where they exist.
    static func allowedRoots(_ config: KitConfig) -> [String] {
        ([config.basePath] + config.allowedExternalPaths).map { LocalFileSystem.realPath($0) ?? $0 }
    }

    /// Lists the stacks directory: inside the repository (unless allowed), loop-free, readable, bounded.
    static func walk(_ config: KitConfig, fileSystem: FileSystem, roots: [String]) throws -> [String] {
        let base = config.stacksBasePath
        let display = { (p: String) in Paths.relative(p, to: config.basePath) }
        let real = (fileSystem is LocalFileSystem ? LocalFileSystem.realPath(base) : nil) ?? base
        let lexicalRoots = [config.basePath] + config.allowedExternalPaths
        if !roots.contains(where: { LocalFileSystem.isInside(real, $0) }) && !lexicalRoots.contains(where: { LocalFileSystem.isInside(real, $0) }) {
            throw StackError.outsideRepository(config.configFile.map { SourceLocation(file: $0) }, what: "the stacks base path",
                                               path: real, repository: config.basePath)
        }
        do {
            return try fileSystem.walk(base, options: WalkOptions(allowedRoots: roots, maxEntries: config.limits.maxFiles))
        } catch let f as WalkFailure {
            switch f {
            case .loop(let path, let target): throw StackError.directoryLoop(path: display(path), target: display(target))
            case .outside(let path, let target):
                throw StackError.outsideRepository(SourceLocation(file: display(path)), what: "the link's target", path: target, repository: config.basePath)
            case .unreadable(let path, let reason): throw StackError.unreadableFolder(path: display(path), reason: reason)
            case .tooManyEntries(let root, let limit): throw StackError.tooManyFiles(stacksBase: display(root), limit: limit)
            }
        }
    }

    /// The merged configuration of a top-level file.
    public func merged(_ file: String) throws -> MergedManifest { try imports.resolve(file) }

    /// Every component type kept in describe and list output, in output order: atmos's built-in types
    /// (kit runs terraform only; the others are described and listed, as atmos does).
    public static let allComponentTypes = ["ansible", "helm", "helmfile", "kubernetes", "packer", "terraform"]
    /// The types kit describes and lists but does not run.
    public static let describedOnlyComponentTypes = allComponentTypes.filter { $0 != "terraform" }

    /// A resolver bound to one stack file and component type.
    /// `readChain`: the components whose templates are reading through this resolver (`atmos.Component`).
    package func resolver(_ file: String, _ manifest: MergedManifest, type: String = "terraform", readChain: [InstanceID] = []) -> ComponentResolver {
        var r = ComponentResolver(config: config, manifest: manifest, stackFile: file, templates: templates,
                                  locate: { [weak self] path in self?.locate(path, in: manifest) })
        r.componentType = type
        r.sharedBaseChains = sharedBaseChains
        r.componentsBasePath = type == "terraform"
            ? ShellText.relativePath(from: config.basePath, to: config.terraform.basePath) : "components/\(type)"
        r.readChain = readChain
        r.readComponent = { [weak self] component, stack, chain in
            guard let self else { throw StackError.unknownStack(stack: stack, suggestion: nil, component: component) }
            return try self.readForTemplate(component, stack: stack, chain: chain)
        }
        // Once per stack, not once per component (a stack has ~90 layers in the bench's shape).
        r.layersHaveTemplateActions = config.templatesEnabled && manifest.layers.contains(where: store.hasTemplateActions)
        r.cannotHoldFunctionText = configCannotHoldFunctionText && !FunctionText.mayHold(file)
            && manifest.layers.allSatisfy(store.cannotHoldFunctionText)
        return r
    }

    /// Resolves every component of a file; each component's failure is reported separately.
    public func components(in file: String) throws -> [(name: String, result: Result<ResolvedComponent, Error>)] {
        let manifest = try merged(file)
        let r = resolver(file, manifest)
        let raw = try r.rawComponents()
        return raw.keys.sorted().map { name in (name, Result { try r.resolve(name, raw: raw) }) }
    }

    /// Finds `component` in the stack named `stack` (reference §6.2–§6.3), with "did you mean" errors.
    /// The component is resolved (merged, inherited, templates rendered); its YAML functions are
    /// evaluated by the pipeline (`ComponentPipeline`), not here.
    /// `types`: the component types searched, in order (terraform only, unless describing).
    public func find(component: String, stack: String, types: [String] = ["terraform"]) throws -> ResolvedComponent {
        do {
            return try findResolving(component: component, stack: stack, types: types)
        } catch let error as StackError where types == ["terraform"] && error.isNotFound {
            // Never "not found" for a component of another type (helmfile, ansible, …) that exists: say what it is.
            if let other = try? findResolving(component: component, stack: stack, types: Self.describedOnlyComponentTypes) {
                throw StackError.notTerraform(component: component, stack: other.stackName, type: other.componentType)
            }
            throw error
        }
    }

    /// A component as `atmos.Component` sees it: found like `find` (YAML functions evaluated, no
    /// validation), each (component, stack) resolved once per catalog. `chain`: the components whose
    /// templates are reading, the caller last; reading one of them again, or nesting deeper than
    /// `ComponentReadCycle.maximumDepth`, is a `ComponentReadCycle`.
    func readForTemplate(_ component: String, stack: String, chain: [InstanceID]) throws -> ResolvedComponent {
        let key = "\(stack)\u{0}\(component)"
        if let hit = templateReads.withLock({ $0[key] }) { return hit }
        try ComponentReadCycle.check(chain, reading: chain.first { $0.component == component && $0.stack == stack }
                                     ?? InstanceID(stack: stack, component: component))
        let found = try evaluate(findResolving(component: component, stack: stack, types: ["terraform"], readChain: chain))
        templateReads.withLock { $0[key] = found }
        return found
    }

    func findResolving(component: String, stack: String, types: [String], readChain: [InstanceID] = []) throws -> ResolvedComponent {
        // Directory mode: `-s orgs/acme/dev` names a file.
        if stack.contains("/") {
            // A file whose path ends with `<-s>.yaml|.yml|.yaml.tmpl|.yml.tmpl` (reference §6.3).
            let names = [".yaml", ".yml", ".yaml.tmpl", ".yml.tmpl"].map { stack + $0 }
            for file in topLevelFiles where file == stack || names.contains(where: { file == $0 || file.hasSuffix("/" + $0) }) {
                let manifest = try merged(file)
                var r = resolver(file, manifest, readChain: readChain)
                var raw = try r.rawComponents()
                for type in types where raw[component] == nil {
                    let other = resolver(file, manifest, type: type, readChain: readChain)
                    if let otherRaw = try? other.rawComponents(), otherRaw[component] != nil { r = other; raw = otherRaw }
                }
                guard raw[component] != nil else {
                    throw StackError.unknownComponent(component: component, stack: stack,
                                                      suggestions: Suggestions.closest(to: component, in: Array(raw.keys), limit: 2))
                }
                return try r.resolve(component, raw: raw)
            }
        }
        // Every file is looked at in parallel; results are then read in file order, so the outcome is deterministic.
        enum Probe { case skip, loadFailed(Error), matched(Result<ResolvedComponent, Error>), named(String), failed(Error, own: Bool) }
        let files = topLevelFiles
        let stacks = stackIndex
        let probes = parallelMap { file -> Probe in
            if !stacks.mayHold(file, component: component, stack: stack, types: types) { return .skip }
            do {
                let manifest = try merged(file)
                guard let (r, raw) = types.lazy.compactMap({ type -> (ComponentResolver, [String: Value])? in
                    let r = self.resolver(file, manifest, type: type, readChain: readChain)
                    guard let raw = try? r.rawComponents(), raw[component] != nil else { return nil }
                    return (r, raw)
                }).first else { return .skip }
                do {
                    let name = try r.stackName(component, raw: raw)
                    return name == stack ? .matched(Result { try r.resolve(component, raw: raw) }) : .named(name)
                } catch {
                    return .failed(error, own: stripExtension(file) == stack || manifest.config["name"]?.stringValue == stack)
                }
            } catch {
                return .loadFailed(error)
            }
        }
        var candidates: [ResolvedComponent] = []
        var firstError: Error?
        var firstLoadError: Error?
        var failedFiles: [String] = []
        var fileIDMismatch: String?
        for (i, probe) in probes.enumerated() {
            let file = files[i]
            switch probe {
            case .skip: break
            case .loadFailed(let error):
                if stripExtension(file) == stack || stackNameHint(file) == stack { throw error }
                if firstLoadError == nil { firstLoadError = error }
                failedFiles.append(stripExtension(file))
            case .matched(let result): candidates.append(try result.get())
            case .named(let name): if stripExtension(file) == stack { fileIDMismatch = name }
            case .failed(let error, let own):
                if own || StackFailure.isManifestShape(error) { throw error }
                if firstError == nil { firstError = error }
            }
        }
        if candidates.count > 1 {
            let first = candidates[0]
            for other in candidates.dropFirst() where !Self.sameConfiguration(first, other) {
                throw StackError.duplicateStack(stack: stack, component: component, files: candidates.map { store.display(Paths.join(config.stacksBasePath, $0.stackFile)) })
            }
        }
        if let found = candidates.first { return found }
        if let canonical = fileIDMismatch { throw StackError.unknownStack(stack: stack, suggestion: canonical, component: nil) }
        // Is it the stack or the component that is unknown?
        let names = stackNames(types: types)
        if let comps = names[stack] {
            if let firstError { throw firstError }
            throw StackError.unknownComponent(component: component, stack: stack,
                                              suggestions: Suggestions.closest(to: component, in: comps.sorted(), limit: 2))
        }
        let suggestion = Suggestions.closest(to: stack, in: Array(names.keys)).first
        // Not found among the stacks that resolve, and a manifest failed to load: the stack may be that
        // one, so never a plain "not found" — say which manifests failed and why.
        if let firstLoadError {
            if suggestion == nil && failedFiles.count == 1 { throw firstLoadError }
            throw StackError.stackNotResolved(stack: stack, suggestion: suggestion, failedManifests: failedFiles, firstError: "\(firstLoadError)")
        }
        throw StackError.unknownStack(stack: stack, suggestion: suggestion, component: nil)
    }

    /// The component with its YAML functions evaluated (unchanged when the catalog has no evaluator):
    /// the one implementation of the pipeline's function phase (`ComponentPipeline.evaluated`), of
    /// `describe stacks`' and of `atmos.Component` reads.
    public func evaluate(_ c: ResolvedComponent) throws -> ResolvedComponent {
        var out = c
        try evaluate(&out)
        return out
    }

    /// `evaluate`, in place (a survey evaluates every component: no copy of one that holds no function).
    public func evaluate(_ c: inout ResolvedComponent) throws {
        // (The evaluator's one walk finds the function strings; a component with none is left as it is.)
        guard let functions, !c.cannotHoldFunctionText else { return }
        let layers = c.layers
        try functions.evaluate(&c, templates: templates, repositoryBase: config.basePath) { [self] s in locate(string: s, in: layers) }
    }

    /// Where a function string was written: the highest layer holding exactly that string.
    func locate(string s: String, in layers: [String]) -> SourceLocation? {
        func find(_ doc: Value) -> [String]? {
            ValueWalk.first(in: doc, at: ValueLocation(keys: [], text: "")) { v, at in
                if case .string(let x) = v, x == s { return at.keys }
                return nil
            }
        }
        for layer in layers.reversed() {
            guard let doc = try? store.manifest(layer), let path = find(doc) else { continue }
            return SourceLocation(file: store.display(Paths.join(config.stacksBasePath, layer)), mark: store.marks(layer)[ValuePath.key(path)])
        }
        return nil
    }

    /// `find` for `describe component`: terraform first (fast path), then helmfile and packer components.
    public func findDescribable(component: String, stack: String) throws -> ResolvedComponent {
        do {
            return try find(component: component, stack: stack)
        } catch StackError.notTerraform {
            return try findResolving(component: component, stack: stack, types: Self.describedOnlyComponentTypes)
        }
    }

    /// In surveys, an inheritance cycle gets the position of the link that closes it (the last base's
    /// `metadata.inherits` or `component`); other errors pass through. (`find` keeps the plain
    /// `inheritanceCycle`, which names the stack and the whole chain.)
    static func locatingCycle(_ error: Error, _ r: ComponentResolver) -> Error {
        guard case StackError.inheritanceCycle(let stack, let chain) = error, chain.count >= 2 else { return error }
        let closer = chain[chain.count - 2]
        let base = ["components", r.componentType, closer]
        guard let loc = r.locate(base + ["metadata", "inherits"]) ?? r.locate(base + ["component"]) else { return error }
        return StackError.locatedInheritanceCycle(loc, stack: stack, chain: chain)
    }

    /// Stack name → component names, for suggestions and `list` (errors skipped).
    public func stackNames(types: [String] = ["terraform"]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for p in placementsReporting(types: types).placements { out[p.stackName, default: []].insert(p.component) }
        return out
    }

    func stackNameHint(_ file: String) -> String? {
        (try? store.manifest(file))?["name"]?.stringValue
    }

    /// Two resolutions are the same configuration when their effective sections are equal.
    static func sameConfiguration(_ a: ResolvedComponent, _ b: ResolvedComponent) -> Bool {
        a.vars == b.vars && a.settings == b.settings && a.env == b.env && a.backend == b.backend &&
            a.backendType == b.backendType && a.providers == b.providers && a.metadata == b.metadata &&
            a.folder == b.folder && a.workspace == b.workspace
    }

    /// The file and position that set `path` of a merged stack last (re-parses with marks; error path only).
    func locate(_ path: [String], in manifest: MergedManifest) -> SourceLocation? {
        for layer in manifest.layers.reversed() {
            guard let v = try? store.manifest(layer), v.value(at: path) != nil else { continue }
            let marks = store.marks(layer)
            return SourceLocation(file: store.display(Paths.join(config.stacksBasePath, layer)), mark: marks[ValuePath.key(path)])
        }
        return nil
    }

    /// Parses every manifest below the stacks directory once (the benchmark floor).
    public func parseEverything() throws -> (files: Int, bytes: Int) {
        let files = index.files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        DispatchQueue.concurrentPerform(iterations: files.count) { i in _ = try? store.manifest(files[i]) }
        let s = store.statistics
        return (s.parsed, s.bytes)
    }
}
