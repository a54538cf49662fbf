import Foundation
import KitModel
import KitStacks
import KitTerraform

/// `describe affected`: resolves every (stack, component) at two git refs and reports the pairs whose
/// resolved configuration, terraform folder, local modules or dependency files changed (reference §11.4).
///
/// The base ref is read from git objects through a `GitTreeFileSystem`; the head is the work tree (or a
/// second ref). Each manifest is parsed at most once per ref, and a top-level manifest none of whose
/// layers changed is not resolved at all when nothing else needs it (its pairs are provably equal).
public struct AffectedAnalysis {
    public struct Options: Sendable {
        /// The base ref (`origin/main`, a sha).
        public var base: String
        /// The head ref; nil compares against the work tree.
        public var head: String?
        /// Report what depends on an affected pair as affected too.
        public var includeDependents: Bool
        /// Build the head's dependency graph (matrix waves, runs) even without dependents.
        public var needsGraph: Bool
        public init(base: String, head: String? = nil, includeDependents: Bool = false, needsGraph: Bool = false) {
            self.base = base
            self.head = head
            self.includeDependents = includeDependents
            self.needsGraph = needsGraph
        }
    }

    public let config: KitConfig
    public let environment: [String: String]
    /// The session's template renderer (its Gomplate settings and datasources), used at both refs so
    /// a component renders at the base exactly as it does at the head.
    public let templates: TemplateRendering
    /// The work tree's catalog (head = work tree): the session's.
    public let workTreeCatalog: StackCatalog?

    /// An analysis with the session's settings; `workTreeCatalog` when the caller already has the
    /// session's catalog (else it is taken from the session when the head is the work tree).
    public init(session: KitSession, workTreeCatalog: StackCatalog? = nil) {
        self.config = session.config
        self.environment = session.environment
        self.templates = session.templates
        self.workTreeCatalog = workTreeCatalog ?? (try? session.catalog())
    }

    /// Compares the refs.
    public func run(_ options: Options) throws -> AffectedReport {
        try config.checkStackNaming()
        let repo = try GitRepository(directory: config.basePath, environment: environment)
        let baseCommit = try repo.commit(options.base, option: "--base")
        let headCommit = try options.head.map { try repo.commit($0, option: "--head") }
        let realBase = LocalFileSystem.realPath(config.basePath) ?? config.basePath
        let prefix = realBase == repo.root ? "" : Paths.relative(realBase, to: repo.root)
        let lead = prefix.isEmpty ? "" : prefix + "/"
        // Changed paths, relative to the base path.
        let changedSet = Set(try repo.changedPaths(base: baseCommit, head: headCommit).compactMap { p -> String? in
            lead.isEmpty ? p : (p.hasPrefix(lead) ? String(p.dropFirst(lead.count)) : nil)
        })
        let changed = ChangedPaths(changedSet)
        let stacksRel = Paths.relative(config.stacksBasePath, to: config.basePath)
        let terraformRel = Paths.relative(config.terraform.basePath, to: config.basePath)
        let load = { (rel: String) -> Bool in
            rel.hasPrefix(stacksRel + "/") || (rel.hasPrefix(terraformRel + "/") && rel.hasSuffix(".tf"))
        }

        var base = try snapshot(label: options.base, repo: repo, commit: baseCommit, prefix: prefix, load: load)
        var head: RefSnapshot
        if let headCommit {
            head = try snapshot(label: options.head!, repo: repo, commit: headCommit, prefix: prefix, load: load)
        } else {
            let catalog = try workTreeCatalog ?? StackCatalog(config: config, templates: templates)
            head = RefSnapshot(label: "the work tree", catalog: catalog, fileSystem: LocalFileSystem())
        }

        // Which top-level files need resolving: all of them when a manifest was added or removed (an
        // import glob may now match differently), when anything outside the stacks changed (folders,
        // modules and dependency files are matched against every pair), or when the graph is needed.
        let stackChanges = Set(changedSet.filter { $0.hasPrefix(stacksRel + "/") }.map { String($0.dropFirst(stacksRel.count + 1)) })
        let otherChanges = changedSet.contains { !$0.hasPrefix(stacksRel + "/") }
        let structural = stackChanges.contains { f in
            let abs = Paths.join(config.stacksBasePath, f)
            return !(head.fileSystem.exists(abs) && base.fileSystem.exists(abs))
        }
        // The base is resolved only where something can differ: every file after a structural change,
        // else the top-level files whose layers include a changed manifest. The head is resolved fully
        // when every pair is needed (changes outside the stacks are matched against every pair's folder
        // and dependency files; dependents and the matrix need the graph), else like the base.
        let headNeedsAll = otherChanges || options.includeDependents || options.needsGraph
        var touched: Set<String>? = nil
        // Top-level files one of whose layers `!include`s a changed file (inside the stacks folder or
        // not): the included value may land anywhere in them, so every component is compared.
        var includeTouched: Set<String> = []
        if !structural {
            if changedSet.isEmpty {
                touched = []
            } else {
                let layers = head.layers()
                touched = Set(layers.filter { !$0.value.isDisjoint(with: stackChanges) }.map(\.key))
                includeTouched = Set(layers.filter { !head.includes(ofLayers: $0.value, relativeTo: config.basePath).isDisjoint(with: changedSet) }.map(\.key))
                touched!.formUnion(includeTouched)
                // A file that fails at head is compared too (its failure is reported once, below).
                touched!.formUnion(head.broken.keys)
            }
        }
        // Only modified manifests, and only inside `components.terraform.<name>`: resolve those names
        // (and what inherits from them) in the touched files; the other pairs are provably equal.
        let names = touched == nil || !includeTouched.isEmpty ? nil : Self.changedComponentNames(stackChanges, head: head, base: base)
        head.resolve(headNeedsAll ? nil : touched, names: headNeedsAll ? nil : names)
        base.resolve(touched, names: names)
        let unresolvedBroken = Set(head.broken.keys).filter { base.broken[$0] == nil && !base.resolvedAll && base.evaluated[$0] == nil }
        if !unresolvedBroken.isEmpty { base.resolve(unresolvedBroken, names: nil) }

        try UntrustedAffected.check(head: head, base: base, trust: config.trust)
        var warnings: [Diagnostic] = []
        for (file, error) in head.broken.sorted(by: { $0.key < $1.key }) where base.broken[file] != nil {
            warnings.append(Diagnostic(.warning, "\(error) (broken at \(Self.describe(base.label)) too; its components are not compared)"))
        }
        let headOnlyBroken = head.broken.keys.filter { base.broken[$0] == nil }
        if !headOnlyBroken.isEmpty {
            throw AffectedError.brokenAtRef(ref: head.label, problems: headOnlyBroken.sorted().map { head.broken[$0]! })
        }
        var baseOnlyBroken: Set<String> = []
        for (file, error) in base.broken.sorted(by: { $0.key < $1.key }) where head.broken[file] == nil {
            warnings.append(Diagnostic(.warning, "at \(Self.describe(base.label)): \(error) — its components at head are reported as affected"))
            baseOnlyBroken.insert(file)
        }

        let headModules = LocalModules(fileSystem: head.fileSystem)
        let baseModules = LocalModules(fileSystem: base.fileSystem)
        var out: [AffectedInstance] = []
        var folderExists: [String: Bool] = [:]
        var missingFolders: [String: [InstanceID]] = [:]
        for (id, c) in head.instances {
            // Not resolved at the base: provably the same there (its manifests did not change).
            let evaluated = base.resolvedAll || base.evaluated[c.stackFile]?.contains(c.name) == true || baseOnlyBroken.contains(c.stackFile)
            let old = evaluated ? base.instances[id] : c
            var finding = Comparison(id: id, component: c, old: old)
            if old == nil {
                if baseOnlyBroken.contains(c.stackFile) {
                    let file = c.stackFile
                    finding.add("stack.metadata", "'\(Paths.join(stacksRel, file))' does not resolve at \(Self.describe(base.label)), so every component it defines counts as changed")
                } else {
                    finding.add("stack.metadata", "new: not in \(Self.describe(base.label))")
                }
            }
            finding.compareMetadata()
            let folderRel = Paths.join(terraformRel, c.folder)
            let folderAbs = Paths.join(config.terraform.basePath, c.folder)
            if folderExists[folderRel] == nil { folderExists[folderRel] = head.fileSystem.isDirectory(folderAbs) }
            if folderExists[folderRel] == false { missingFolders[folderRel, default: []].append(id) }
            var modules = Set(headModules.modules(of: folderAbs))
            if let old { modules.formUnion(baseModules.modules(of: Paths.join(config.terraform.basePath, old.folder))) }
            for m in modules.sorted() {
                let rel = Paths.relative(m, to: config.basePath)
                if let hit = Self.firstChange(under: rel, in: changed) { finding.add("component.module", "local module '\(rel)' changed (\(hit))") }
            }
            if let hit = Self.firstChange(under: folderRel, in: changed) { finding.add("component", "'\(hit)' changed") }
            if let old, old.folder != c.folder, let hit = Self.firstChange(under: Paths.join(terraformRel, old.folder), in: changed) {
                finding.add("component", "'\(hit)' changed (the folder at \(Self.describe(base.label)))")
            }
            finding.compareSections()
            for (path, kind) in Self.dependencyPaths(c) {
                let hit = kind == "file" ? (changed.contains(path) ? path : nil) : Self.firstChange(under: path, in: changed)
                if let hit {
                    finding.add(kind, "dependency \(kind) '\(path)' changed" + (hit == path ? "" : " (\(hit))"))
                    if kind == "file" && finding.file == nil { finding.file = path }
                    if kind == "folder" && finding.folder == nil { finding.folder = path }
                }
            }
            if let instance = finding.instance(folder: c.folder, enabled: c.isEnabled) { out.append(instance) }
        }

        for (folder, ids) in missingFolders.sorted(by: { $0.key < $1.key }) {
            let first = ids.min()!
            let others = ids.count > 1 ? " (and \(ids.count - 1) more)" : ""
            warnings.append(Diagnostic(.warning, "component '\(first.component)' in stack '\(first.stack)'\(others) uses folder '\(folder)', which does not exist at \(Self.describe(head.label)) — was it renamed? point metadata.component at the new folder",
                                       stack: first.stack, component: first.component))
        }

        // Deleted pairs: at base, not at head.
        let deleted = base.instances.keys.filter { head.instances[$0] == nil }
        if !deleted.isEmpty {
            var headStacks = head.stackNames
            if !head.resolvedAll, let catalog = head.catalog { for p in catalog.placements().placements { headStacks.insert(p.stackName) } }
            for id in deleted {
                let gone = !headStacks.contains(id.stack)
                out.append(AffectedInstance(id: id, folder: base.instances[id]!.folder, affectedAll: [gone ? "deleted.stack" : "deleted"],
                                            reasons: [gone ? "stack '\(id.stack)' was deleted" : "component '\(id.component)' was removed from stack '\(id.stack)'"],
                                            deletionType: gone ? "stack" : "component"))
            }
        }

        var graph: DependencyGraph?
        if options.includeDependents || options.needsGraph {
            let pattern = config.namePattern
            graph = try DependencyGraph.build(Array(head.instances.values), stackName: pattern.isEmpty ? nil : { vars in
                try? StackNaming.fromPattern(pattern, vars: vars, file: "", component: "")
            })
        }
        if options.includeDependents, let graph {
            out = Self.addDependents(out, graph: graph)
        }
        return AffectedReport(instances: out.sorted { $0.id < $1.id }, graph: graph, warnings: warnings,
                              baseCommit: baseCommit, headCommit: headCommit,
                              resolvedFiles: (base.resolvedFiles, head.resolvedFiles))
    }

    func snapshot(label: String, repo: GitRepository, commit: String, prefix: String, load: (String) -> Bool) throws -> RefSnapshot {
        let fs = try GitTreeFileSystem(repository: repo, commit: commit, mount: config.basePath, prefix: prefix, load: load)
        var snap = RefSnapshot(label: label, catalog: nil, fileSystem: fs)
        do {
            snap.catalog = try StackCatalog(config: config, fileSystem: fs, templates: templates)
        } catch let e as StackError {
            // No stacks at that ref (an empty first commit): every pair at the other ref is new.
            switch e {
            case .noManifests, .noRepository: break
            default: throw AffectedError.brokenAtRef(ref: label, problems: ["\(e)"])
            }
        }
        return snap
    }

    /// The component names whose own definitions differ in the changed manifests, or nil when anything
    /// else in them differs (imports, stack-level vars, overrides…: every component may be affected).
    static func changedComponentNames(_ files: Set<String>, head: RefSnapshot, base: RefSnapshot) -> Set<String>? {
        var names: Set<String> = []
        for f in files {
            guard let a = try? base.catalog?.store.manifest(f), let b = try? head.catalog?.store.manifest(f),
                  case .map(var ma) = a, case .map(var mb) = b else { return nil }
            func split(_ m: inout [String: Value]) -> [String: Value] {
                guard case .map(var comps)? = m["components"] else { return [:] }
                let tf = comps["terraform"]?.mapValue ?? [:]
                comps["terraform"] = nil
                m["components"] = comps.isEmpty ? nil : .map(comps)
                return tf
            }
            let ta = split(&ma), tb = split(&mb)
            if ma != mb { return nil }
            for k in Set(ta.keys).union(tb.keys) where ta[k] != tb[k] { names.insert(k) }
        }
        return names
    }

    static func describe(_ label: String) -> String { label == "the work tree" ? label : "'\(label)'" }

    /// The first changed path at or below `rel` (sorted order), or nil.
    static func firstChange(under rel: String, in changed: ChangedPaths) -> String? { changed.first(under: rel) }

    /// `dependencies.files`/`folders` and legacy `settings.depends_on.*.file|folder`, relative to the base path.
    static func dependencyPaths(_ c: ResolvedComponent) -> [(String, String)] {
        var out: [(String, String)] = []
        for kind in ["file", "folder"] {
            for v in c.dependencies[kind + "s"]?.listValue ?? [] {
                if let s = (v.stringValue ?? v.mapValue?["path"]?.stringValue), !s.isEmpty { out.append((Paths.normalize(s), kind)) }
            }
        }
        if let legacy = c.settings["depends_on"]?.mapValue {
            for key in legacy.keys.sorted() {
                guard let m = legacy[key]?.mapValue else { continue }
                if let f = m["file"]?.stringValue { out.append((Paths.normalize(f), "file")) }
                if let f = m["folder"]?.stringValue { out.append((Paths.normalize(f), "folder")) }
            }
        }
        return out
    }

    /// Adds every pair that depends (transitively) on an affected one, and fills `dependents`.
    static func addDependents(_ found: [AffectedInstance], graph: DependencyGraph) -> [AffectedInstance] {
        var out = found
        var index: [InstanceID: Int] = [:]
        for (i, a) in out.enumerated() where !a.deleted { index[a.id] = i }
        let roots = out.filter { !$0.deleted }.map(\.id)
        for id in graph.closure(from: roots, edges: graph.dependents) where index[id] == nil {
            let via = (graph.dependencies[id] ?? []).filter { index[$0] != nil || roots.contains($0) }
            let c = graph.instances[id]!
            index[id] = out.count
            out.append(AffectedInstance(id: id, folder: c.folder, affectedAll: ["dependency"],
                                        reasons: via.map { "depends on '\($0.component)' in '\($0.stack)', which is affected" },
                                        includedInDependents: true, enabled: c.isEnabled))
        }
        for i in out.indices where !out[i].deleted {
            out[i].dependents = graph.dependents[out[i].id] ?? []
        }
        // Reasons of pairs reached only through others: name the affected pairs they depend on.
        for i in out.indices where out[i].includedInDependents {
            let deps = (graph.dependencies[out[i].id] ?? []).filter { index[$0] != nil }
            out[i].reasons = deps.map { "depends on '\($0.component)' in '\($0.stack)', which is affected" }
        }
        return out
    }
}
