import Foundation
import Synchronization
import KitModel

/// A stack manifest with its imports resolved and merged (reference §3, overrides §2.4).
public struct MergedManifest: Sendable {
    /// The deep-merged configuration: imports in order, then the file itself.
    public var config: [String: Value]
    /// Every file imported transitively (ids: relative path without extension), sorted, unique.
    public var imports: [String]
    /// Every contributing file (relative paths with extension) in merge order, the file itself last;
    /// a file imported twice appears twice. Used for provenance and `deps`.
    public var layers: [String]
    /// Every resolved `import:` entry of this file and the files it imports, in merge order: which
    /// file imported which, through the entry at which position (the `--provenance` view's depths).
    public var importSites: [ImportSite]
    /// Overrides this file's imports carry (file-scoped bookkeeping).
    var returnedImports: [String: Value]
    /// This file's own inline overrides (merged with its importer's).
    var returnedInline: [String: Value]
}

/// `importer` imports `file` (both relative paths with extension) through its `import:` entry at `position`.
public struct ImportSite: Sendable, Equatable {
    public var importer: String
    public var position: Int
    public var file: String
}

/// One entry of an `import:` list.
struct ImportSpec {
    var path: String
    var context: [String: Value]
    var skipIfMissing: Bool
    var skipTemplates: Bool
    var ignoreMissing: Bool
}

/// Resolves imports depth-first, merges each file over its imports, detects cycles, and memoises
/// every subtree that has no template context or inherited overrides.
public final class ImportResolver: Sendable {
    let store: ManifestStore
    let index: StackFileIndex
    let config: KitConfig
    let templates: TemplateRendering
    private let cache = Mutex<[String: MergedManifest]>([:])
    /// Import closures without merging (see StackPrefilter.swift).
    let closureCache = Memo<String, [String]>()
    let factsCache = Memo<String, LayerFacts>()
    /// Each manifest's direct imports, resolved (as `closure` found them).
    let childrenCache = Memo<String, [String]>()
    /// Each manifest's closure folded (`closureFacts`).
    let closureFactsCache = Memo<String, LayerFacts>()
    /// The index's record of each manifest this run (see `indexRecord`).
    let recordCache = Memo<String, ManifestFactsCache.Record>()
    /// Records kept between runs (inactive unless the session gives one).
    let persistentFacts: ManifestFactsCache
    /// Import path → (probed target, matching files); see `resolvePath`.
    let targetCache = Memo<String, (target: String, files: [String])>()

    public init(store: ManifestStore, index: StackFileIndex, config: KitConfig, templates: TemplateRendering,
                persistentFacts: ManifestFactsCache = ManifestFactsCache.off) {
        self.persistentFacts = persistentFacts
        self.store = store
        self.index = index
        self.config = config
        self.templates = templates
    }

    /// The merged configuration of a top-level manifest (relative path with extension).
    public func resolve(_ rel: String) throws -> MergedManifest {
        try process(rel, context: [:], parentInline: [:], importsOverrides: [:], chain: [], keep: false)
    }

    /// `keep: false` for top-level manifests: nothing imports them, so their merge is not memoised.
    func process(_ rel: String, context: [String: Value], parentInline: [String: Value],
                 importsOverrides: [String: Value], chain: [String], keep: Bool = true) throws -> MergedManifest {
        let cacheable = keep && context.isEmpty && parentInline.isEmpty && importsOverrides.isEmpty
        if cacheable {
            if let hit = cache.withLock({ $0[rel] }) { return hit }
        }
        let chain = chain + [rel]
        let file = try load(rel, context: context)
        guard case .map(var own) = file else {
            throw StackError.invalidSection(location(rel, []), path: "(top level)", expected: "map", found: file.typeName, stack: nil, component: nil)
        }
        let specs = try importSpecs(own["import"], rel: rel)
        own["import"] = nil
        own["locals"] = nil

        // Overrides bookkeeping (reference §2.4): the importer's inline overrides win over this file's.
        let ownOverrides = try mapSection(own["overrides"], rel, ["overrides"])
        let typeOverrides = try mapSection(own["terraform"]?["overrides"], rel, ["terraform", "overrides"])
        let fileInline = DeepMerge.merge([ownOverrides, typeOverrides, parentInline], strategy: config.listMergeStrategy)
        var accumulatedImports = importsOverrides

        var parts: [[String: Value]] = []
        var imports: Set<String> = []
        var layers: [String] = []
        var sites: [ImportSite] = []
        var accumulatedData: [String: Value] = [:]  // vars/settings/env of earlier imports, for import-path templates
        for (position, spec) in specs.enumerated() {
            let matches = try resolvePath(spec, from: rel, position: position, data: accumulatedData)
            for match in matches {
                if chain.contains(match) {
                    let start = chain.firstIndex(of: match)!
                    throw StackError.importCycle(chain: (chain[start...] + [match]).map(stripExtension))
                }
                // The parent's context wins over the import's own (atmos code, reference §3.4).
                let childContext = DeepMerge.merge([spec.context, context], strategy: .replace)
                let child = try process(match, context: childContext, parentInline: fileInline,
                                        importsOverrides: accumulatedImports, chain: chain)
                accumulatedImports = DeepMerge.merge([accumulatedImports, child.returnedImports, child.returnedInline],
                                                     strategy: config.listMergeStrategy)
                parts.append(child.config)
                imports.insert(stripExtension(match))
                imports.formUnion(child.imports)
                layers.append(contentsOf: child.layers)
                sites.append(ImportSite(importer: rel, position: position, file: match))
                sites.append(contentsOf: child.importSites)
                for key in ["vars", "settings", "env"] {
                    if let m = child.config[key]?.mapValue {
                        accumulatedData[key] = .map(DeepMerge.merge([accumulatedData[key]?.mapValue ?? [:], m]))
                    }
                }
            }
        }

        let finalOverrides = DeepMerge.merge([accumulatedImports, fileInline], strategy: config.listMergeStrategy)
        if !finalOverrides.isEmpty, case .map(var components)? = own["components"],
           case .map(var terraform)? = components["terraform"] {
            for (name, component) in terraform {
                guard case .map(var c) = component else { continue }
                c["overrides"] = .map(finalOverrides)
                terraform[name] = .map(c)
            }
            components["terraform"] = .map(terraform)
            own["components"] = .map(components)
        }

        parts.append(own)
        layers.append(rel)
        let result = MergedManifest(
            config: DeepMerge.merge(parts, strategy: config.listMergeStrategy),
            imports: imports.sorted(), layers: layers, importSites: sites,
            returnedImports: accumulatedImports, returnedInline: fileInline)
        if cacheable {
            cache.withLock { $0[rel] = result }
        }
        return result
    }

    /// Reads a manifest; renders it first when it is a template or has a context (reference §3.4).
    ///
    /// A file with `locals:` is rendered with its resolved locals (`.locals.x`) and its own `vars`,
    /// `settings` and `env` (file-scoped: locals are never imported or inherited). When only the file's
    /// own locals made it a template and rendering fails, the raw text is kept, as atmos does.
    func load(_ rel: String, context: [String: Value]) throws -> Value {
        let isTemplate = rel.hasSuffix(".tmpl")
        if !isTemplate && context.isEmpty {
            let doc = try store.manifest(rel)
            guard case .map(let locals)? = doc["locals"], !locals.isEmpty else { return doc }
            let text = try store.text(rel)
            guard containsTemplateAction(text) else { return doc }
            let data = try localsContext(locals, doc, rel)
            guard let rendered = try? templates.render(text, name: rel, data: .map(data), ignoreMissing: config.ignoreMissingTemplateValues) else {
                return doc
            }
            return try store.parse(text: rendered, rel: rel)
        }
        let text = try store.text(rel)
        guard containsTemplateAction(text) else { return try store.manifest(rel) }
        var data = context
        data["locals"] = nil
        if let doc = try? store.manifest(rel), case .map(let locals)? = doc["locals"], !locals.isEmpty {
            for (k, v) in try localsContext(locals, doc, rel) where data[k] == nil || k == "locals" { data[k] = v }
        }
        let rendered: String
        do {
            rendered = try templates.render(text, name: rel, data: .map(data),
                                            ignoreMissing: config.ignoreMissingTemplateValues)
        } catch {
            throw TemplateLocation.error(error, file: store.display(Paths.join(store.stacksBase, rel)), start: nil)
        }
        return try store.parse(text: rendered, rel: rel)
    }

    /// The template data of a file with `locals:`: `.locals` resolved (locals may use earlier locals,
    /// in up to 8 passes), and the file's own `.vars`, `.settings`, `.env`.
    func localsContext(_ locals: [String: Value], _ doc: Value, _ rel: String) throws -> [String: Value] {
        var data: [String: Value] = [:]
        for key in ["vars", "settings", "env"] { if case .map(let m)? = doc[key] { data[key] = .map(m) } }
        var current = Value.map(locals)
        for _ in 0..<8 {
            data["locals"] = current
            let next = try renderStrings(current, data: .map(data), rel: rel)
            if next == current { break }
            current = next
        }
        data["locals"] = current
        return data
    }

    func renderStrings(_ v: Value, data: Value, rel: String) throws -> Value {
        switch v {
        case .string(let s) where containsTemplateAction(s):
            do {
                return .string(try templates.render(s, name: rel, data: data, ignoreMissing: config.ignoreMissingTemplateValues))
            } catch {
                throw TemplateLocation.error(error, file: store.display(Paths.join(store.stacksBase, rel)), start: nil)
            }
        case .map(let m): return .map(try m.mapValues { try renderStrings($0, data: data, rel: rel) })
        case .list(let l): return .list(try l.map { try renderStrings($0, data: data, rel: rel) })
        default: return v
        }
    }

    func importSpecs(_ section: Value?, rel: String) throws -> [ImportSpec] {
        guard let section else { return [] }
        if case .null = section { return [] }
        guard case .list(let items) = section else {
            throw StackError.invalidSection(location(rel, ["import"]), path: "import", expected: "list", found: section.typeName, stack: nil, component: nil)
        }
        return try items.enumerated().map { i, item in
            switch item {
            case .string(let s) where !s.isEmpty:
                try checkImportPath(s, rel: rel, index: i)
                return ImportSpec(path: s, context: [:], skipIfMissing: false, skipTemplates: false, ignoreMissing: false)
            case .map(let m):
                guard let path = m["path"]?.stringValue, !path.isEmpty else {
                    throw StackError.invalidImport(location(rel, ["import", String(i)]) ?? SourceLocation(file: rel), message: "an import object needs a 'path'")
                }
                try checkImportPath(path, rel: rel, index: i)
                return ImportSpec(path: path, context: m["context"]?.mapValue ?? [:],
                                  skipIfMissing: m["skip_if_missing"]?.boolValue ?? false,
                                  skipTemplates: m["skip_templates_processing"]?.boolValue ?? false,
                                  ignoreMissing: m["ignore_missing_template_values"]?.boolValue ?? false)
            default:
                throw StackError.invalidImport(location(rel, ["import", String(i)]) ?? SourceLocation(file: rel),
                                               message: "import entry \(i + 1) is \(item.isNull || item == .string("") ? "empty" : "a \(item.typeName)"); use a path string or an object with 'path'")
            }
        }
    }

    /// The longest import path kit accepts (PATH_MAX).
    static let maxImportPath = 4096

    /// Refuses, without echoing it, an import "path" that cannot be one: longer than PATH_MAX, or several
    /// lines (such as a whole file pulled in with `!include`).
    func checkImportPath(_ path: String, rel: String, index i: Int) throws {
        let lines = path.utf8.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
        guard path.utf8.count > Self.maxImportPath || lines > 1 || path.utf8.contains(0) else { return }
        throw StackError.invalidImport(location(rel, ["import", String(i)]) ?? SourceLocation(file: rel),
                                       message: "import entry \(i + 1) is not a path (\(path.utf8.count) bytes on \(lines) line\(lines == 1 ? "" : "s")) — use a path of at most \(Self.maxImportPath) bytes on one line")
    }

    /// Resolves one import to relative file paths (reference §3.2–§3.3).
    func resolvePath(_ spec: ImportSpec, from rel: String, position: Int, data: [String: Value]) throws -> [String] {
        var path = spec.path
        if containsTemplateAction(path) && config.templatesEnabled && !spec.skipTemplates {
            let merged = DeepMerge.merge([data, spec.context])
            do {
                path = try templates.render(path, name: "import", data: .map(merged),
                                            ignoreMissing: spec.ignoreMissing || config.ignoreMissingTemplateValues)
            } catch {
                let at = location(rel, ["import", String(position)]) ?? SourceLocation(file: rel)
                throw TemplateLocation.error(error, file: at.file, start: at.mark, context: "import path")
            }
        }
        if Paths.isRemoteAddress(path) {
            throw StackError.invalidImport(location(rel, ["import", String(position)]) ?? SourceLocation(file: rel),
                                           message: "remote import \(UserText.quoted(path)) is not supported by kit yet; vendor the file into the stacks directory")
        }
        let relative = path == "." || path == ".." || path.utf8.starts(with: "./".utf8) || path.utf8.starts(with: "../".utf8)
        // The files a path names depend on the path (and, for `./` and `../`, the importer's folder)
        // alone: many stacks import the same catalog paths, so each is looked up once.
        let key = relative ? Paths.dirname(rel) + "\u{0}" + path : path
        let target: String, candidates: [String]
        if let hit = targetCache.get(key) {
            (target, candidates) = hit
        } else {
            (target, candidates) = Self.candidates(relative ? Paths.join(Paths.dirname(rel), path) : Paths.normalize(path), index: index)
            targetCache.set(key, (target, candidates))
        }
        if candidates.contains(rel) {
            throw StackError.importCycle(chain: [stripExtension(rel), stripExtension(rel)])
        }
        if candidates.isEmpty && !spec.skipIfMissing && !containsTemplateAction(spec.path) {
            let wanted = stripExtension(target)
            let suggestion = Suggestions.closest(to: wanted, in: index.manifestIDs).first
            throw StackError.importNotFound(location(rel, ["import", String(position)]) ?? SourceLocation(file: rel),
                                            importPath: spec.path, suggestion: suggestion)
        }
        return candidates
    }

    /// The manifests an import path (normalised, relative to the stacks directory) names, and the
    /// path it was probed as (for "did you mean").
    static func candidates(_ normalized: String, index: StackFileIndex) -> (target: String, files: [String]) {
        var target = normalized
        if target.hasPrefix("/") { target = String(target.dropFirst()) }  // atmos joins absolute paths to the stacks base

        let name = Paths.basename(target)
        let hasExtension = name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".tmpl")
        // A glob extension (`catalog/svc-*.*`, `services/top-level-service-?.*`): atmos adds no `.yaml`
        // (Go's filepath.Ext is not empty) and matches the pattern as written; kit keeps the manifests only.
        let globExtension = name.lastIndex(of: ".").map { name[$0...].contains(where: { "*?[".contains($0) }) } ?? false
        var candidates: [String]
        if globExtension {
            // Matched below as written.
        } else if !hasExtension {
            let probe = ["\(target).yaml", "\(target).yml", "\(target).yaml.tmpl", "\(target).yml.tmpl"]
            target = probe.first(where: index.contains) ?? "\(target).yaml"
        } else if (name.hasSuffix(".yaml") || name.hasSuffix(".yml")), index.contains(target + ".tmpl") {
            target += ".tmpl"
        }
        if Glob.isLiteral(target) {
            candidates = index.contains(target) ? [target] : []
        } else {
            candidates = index.glob(target)
            if globExtension {
                candidates = candidates.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".yaml.tmpl") || $0.hasSuffix(".yml.tmpl") }
            }
        }
        return (target, candidates)
    }

    /// Where a path of a manifest is, for error messages (re-parses the file with marks).
    func location(_ rel: String, _ path: [String]) -> SourceLocation? {
        let file = store.display(Paths.join(store.stacksBase, rel))
        let marks = store.marks(rel)
        var p = path
        while true {
            if let m = marks[ValuePath.key(p)] { return SourceLocation(file: file, mark: m) }
            if p.isEmpty { return SourceLocation(file: file) }
            p.removeLast()
        }
    }

    func mapSection(_ v: Value?, _ rel: String, _ path: [String]) throws -> [String: Value] {
        guard let v else { return [:] }
        switch v {
        case .map(let m): return m
        case .null: return [:]
        default:
            throw StackError.invalidSection(location(rel, path), path: path.joined(separator: "."), expected: "map", found: v.typeName, stack: nil, component: nil)
        }
    }
}

/// A manifest id: the relative path without `.yaml`/`.yml` (`.yaml.tmpl` keeps its name, as atmos).
public func stripExtension(_ rel: String) -> String {
    // By bytes: `hasSuffix`/`dropLast` on Characters cost ~1,100 instructions, and this runs several
    // times per resolved component. The suffixes are ASCII, so the cut is a character boundary.
    let u = rel.utf8
    @inline(__always) func ends(with ext: StaticString) -> Bool {
        let n = ext.utf8CodeUnitCount
        return u.count >= n && u.suffix(n).elementsEqual(UnsafeBufferPointer(start: ext.utf8Start, count: n))
    }
    if ends(with: ".yaml") { return String(decoding: u.dropLast(5), as: UTF8.self) }
    if ends(with: ".yml") { return String(decoding: u.dropLast(4), as: UTF8.self) }
    return rel
}
