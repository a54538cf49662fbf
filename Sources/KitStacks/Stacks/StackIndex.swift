import Foundation
import Synchronization
import KitModel

/// One index of the top-level manifests per run: for each file its import closure, its components
/// and, when that is certain without merging, the stack name of each component type.
///
/// `list stacks` reads names and components from it, `find` (`describe component`, `-s` lookups)
/// skips the files that cannot hold the pair, and `describe stacks` resolves stacks in name order.
/// It is conservative: anything the parsed layers alone cannot decide (templates, import contexts,
/// `locals`, name tokens set per component, a name template, a section of the wrong type) leaves
/// the name unknown, and callers merge that file as before.
public final class StackIndex: Sendable {
    /// What the index knows about one top-level manifest.
    public struct Entry: Sendable {
        /// The manifest, relative to the stacks directory.
        public let file: String
        /// Every file it merges, in merge order (the file itself last); nil when templates decide it.
        public let layers: [String]?
        /// Component names per type (`terraform`, `helmfile`, `packer`); nil when a merge is needed to know them.
        public let components: [String: Set<String>]?
        /// The stack name of every component of a type; nil when naming needs the merged stack.
        public let names: [String: String]?

        /// The stack name of `type`'s components, when known.
        public func name(of type: String) -> String? { names?[type] }
    }

    /// One entry per top-level file, in the catalog's file order.
    public let entries: [Entry]
    private let positions: [String: Int]

    init(entries: [Entry]) {
        self.entries = entries
        var positions: [String: Int] = [:]
        for (i, e) in entries.enumerated() { positions[e.file] = i }
        self.positions = positions
    }

    /// The entry of a top-level file.
    public func entry(_ file: String) -> Entry? { positions[file].map { entries[$0] } }

    /// Whether `file` may hold `component` (of one of `types`) in the stack named `stack`. Never
    /// says no when unsure.
    func mayHold(_ file: String, component: String, stack: String, types: [String]) -> Bool {
        guard let e = entry(file), let components = e.components else { return true }
        if stripExtension(file) == stack { return true }
        for type in types where components[type]?.contains(component) == true {
            guard let name = e.name(of: type) else { return true }
            if name == stack { return true }
        }
        return false
    }
}

/// What one manifest, read alone, contributes to naming and to the component list.
struct LayerFacts: Sendable, Equatable {
    /// Component names per type.
    var components: [String: Set<String>] = [:]
    /// `name:` as this layer sets it: nil (absent), "" (cleared: null or empty), or the name.
    var name: String?
    /// Name tokens of the stack-level `vars`.
    var globalTokens: [String: String] = [:]
    /// Name tokens of `<type>.vars`.
    var typeTokens: [String: [String: String]] = [:]
    /// The name tokens that component vars or overrides set (a name using one may differ per component).
    var componentTokens: Set<String> = []
    /// The layer's own text may change before merging (`locals`), or a section has a type that the
    /// merge or the resolver treats specially: only a merge can tell.
    var opaque = false

    /// No facts (filled in field by field, `ManifestFactsCache`).
    init() {}

    init(_ doc: Value) {
        guard case .map(let top) = doc else { opaque = true; return }
        if case .map(let locals)? = top["locals"], !locals.isEmpty { opaque = true }
        switch top["name"] {
        case nil: name = nil
        case .null?: name = ""
        case .string(let s)?: name = s
        default: opaque = true
        }
        globalTokens = tokens(top["vars"])
        // Stack-level overrides reach every component (reference §2.4).
        componentTokens.formUnion(tokenNames(top["overrides"]?["vars"]))
        if let o = top["overrides"], !Self.isMapOrNull(o) { opaque = true }
        for type in StackCatalog.allComponentTypes {
            if let section = top[type] {
                guard Self.isMapOrNull(section) else { opaque = true; continue }
                typeTokens[type] = tokens(section["vars"])
                componentTokens.formUnion(tokenNames(section["overrides"]?["vars"]))
                if let o = section["overrides"], !Self.isMapOrNull(o) { opaque = true }
            }
        }
        guard let comps = top["components"] else { return }
        guard Self.isMapOrNull(comps) else { opaque = true; return }
        for type in StackCatalog.allComponentTypes {
            guard let typed = comps[type] else { continue }
            guard case .map(let m) = typed else { if !typed.isNull { opaque = true }; continue }
            components[type] = Set(m.keys)
            for c in m.values {
                guard Self.isMapOrNull(c) else { opaque = true; continue }
                if let meta = c["metadata"], !Self.isMapOrNull(meta) { opaque = true }
                componentTokens.formUnion(tokenNames(c["vars"]))
                componentTokens.formUnion(tokenNames(c["overrides"]?["vars"]))
            }
        }
    }

    /// These facts followed by `later`'s in merge order: component names and name tokens set per
    /// component accumulate, a later `name:` and later tokens win, one opaque layer makes all opaque.
    /// Associative, so a closure's facts can be folded from its imports' folds.
    mutating func fold(_ later: LayerFacts) {
        // Unions and merges start from whichever side is larger, and an empty side takes the other's
        // storage as it is: most folds add a big import's facts to an empty or small accumulator.
        for (type, names) in later.components {
            guard var mine = components.removeValue(forKey: type) else { components[type] = names; continue }
            if mine.count < names.count { var theirs = names; theirs.formUnion(mine); mine = theirs } else { mine.formUnion(names) }
            components[type] = mine
        }
        if let n = later.name { name = n }
        Self.overlay(&globalTokens, later.globalTokens)
        for (type, tokens) in later.typeTokens {
            var mine = typeTokens.removeValue(forKey: type) ?? [:]
            Self.overlay(&mine, tokens)
            typeTokens[type] = mine
        }
        if componentTokens.count < later.componentTokens.count {
            var theirs = later.componentTokens
            theirs.formUnion(componentTokens)
            componentTokens = theirs
        } else {
            componentTokens.formUnion(later.componentTokens)
        }
        opaque = opaque || later.opaque
    }

    /// `later`'s entries over `base`'s.
    private static func overlay(_ base: inout [String: String], _ later: [String: String]) {
        if base.isEmpty { base = later } else if !later.isEmpty { base.merge(later) { _, new in new } }
    }

    static func isMapOrNull(_ v: Value) -> Bool {
        switch v {
        case .map, .null: return true
        default: return false
        }
    }

    /// The name tokens of a `vars` section; a section or token of another type makes the layer opaque.
    private mutating func tokens(_ section: Value?) -> [String: String] {
        guard let section else { return [:] }
        // Not a map (`vars: null` clears what earlier layers set): only the merge knows.
        guard case .map(let vars) = section else { opaque = true; return [:] }
        var out: [String: String] = [:]
        for t in StackNaming.patternTokens {
            guard let v = vars[t] else { continue }
            guard case .string(let s) = v else { opaque = true; continue }
            out[t] = s
        }
        return out
    }

    /// The name tokens a `vars` section sets.
    private func tokenNames(_ section: Value?) -> [String] {
        guard let section, case .map(let vars) = section else { return [] }
        return StackNaming.patternTokens.filter { vars[$0] != nil }
    }
}

extension StackCatalog {
    /// The run's stack index, built on first use (every top-level file, in parallel).
    public var stackIndex: StackIndex {
        indexCell.withLock { cell in
            if let cell { return cell }
            let built = StackIndex(entries: parallelMap { self.indexEntry($0) })
            cell = built
            imports.persistentFacts.save()
            return built
        }
    }

    func indexEntry(_ file: String) -> StackIndex.Entry {
        guard let layers = imports.closure(file) else { return .init(file: file, layers: nil, components: nil, names: nil) }
        // What the layers say together, folded once per imported file (a catalog imported by 200
        // stacks is folded once, not 200 times): exactly the fold of `layers` in merge order.
        guard let facts = imports.closureFacts(file), !facts.opaque else {
            return .init(file: file, layers: layers, components: nil, names: nil)
        }
        return .init(file: file, layers: layers, components: facts.components, names: names(file, facts: facts, types: Array(facts.components.keys)))
    }

    /// The stack name of each type's components, from the layers alone (reference §6.1), or nil.
    /// `facts`: the stack's layers folded in merge order (`LayerFacts.fold`).
    func names(_ file: String, facts: LayerFacts, types: [String]) -> [String: String]? {
        var out: [String: String] = [:]
        let pattern: String
        switch StackNaming.rule(manifestName: facts.name, config: config) {
        case .template: return nil
        case .manifestName(let name):
            guard StackNaming.problem(with: name) == nil else { return nil }
            for type in types { out[type] = name }
            return out
        case .fileID:
            for type in types { out[type] = stripExtension(file) }
            return out
        case .pattern(let p): pattern = p
        }
        // Only the tokens the pattern uses matter: a component's own `namespace` cannot change a
        // `{tenant}-{environment}-{stage}` name.
        let used = StackNaming.tokens(in: pattern)
        if !facts.componentTokens.isDisjoint(with: used) { return nil }
        for type in types {
            // `<type>.vars` is a whole-stack layer above the stack-level vars.
            let vars = facts.globalTokens.merging(facts.typeTokens[type] ?? [:]) { _, new in new }
            guard let name = try? StackNaming.fromPattern(pattern, vars: vars.mapValues(Value.string), file: file, component: ""),
                  StackNaming.problem(with: name) == nil else { return nil }
            out[type] = name
        }
        return out
    }
}

extension ImportResolver {
    /// The files a manifest imports, transitively, in merge order (the manifest itself last), or nil
    /// when that cannot be known without rendering templates (then callers merge fully).
    func closure(_ rel: String, chain: [String] = []) -> [String]? {
        if let hit = closureCache.get(rel) { return hit }
        if chain.contains(rel) || rel.hasSuffix(".tmpl") { return nil }
        guard let imports = indexRecord(rel)?.imports else { return nil }
        var out: [String] = []
        var children: [String] = []
        for (position, entry) in imports.enumerated() {
            if entry.hasContext || containsTemplateAction(entry.path) { return nil }
            let spec = ImportSpec(path: entry.path, context: [:], skipIfMissing: entry.skipIfMissing,
                                  skipTemplates: entry.skipTemplates, ignoreMissing: entry.ignoreMissing)
            guard let matches = try? resolvePath(spec, from: rel, position: position, data: [:]) else { return nil }
            for m in matches {
                guard let sub = closure(m, chain: chain + [rel]) else { return nil }
                out += sub
                children.append(m)
            }
        }
        out.append(rel)
        childrenCache.set(rel, children)
        closureCache.set(rel, out)
        return out
    }

    /// The facts of a manifest's whole import closure folded in merge order (`LayerFacts.fold`),
    /// computed once per file from its imports' folds; nil when the closure is unknown or a layer
    /// cannot be read. Equal to folding `closure(rel)` layer by layer: the closure is the imports'
    /// closures in order, then the file, and the fold is associative.
    func closureFacts(_ rel: String) -> LayerFacts? {
        if let hit = closureFactsCache.get(rel) { return hit }
        guard closure(rel) != nil, let children = childrenCache.get(rel), let own = facts(rel) else { return nil }
        var out = LayerFacts()
        for child in children {
            guard let f = closureFacts(child) else { return nil }
            out.fold(f)
        }
        out.fold(own)
        closureFactsCache.set(rel, out)
        return out
    }

    /// What one manifest contributes to naming, computed once per file.
    func facts(_ rel: String) -> LayerFacts? {
        if let hit = factsCache.get(rel) { return hit }
        guard let f = indexRecord(rel)?.facts else { return nil }
        factsCache.set(rel, f)
        return f
    }

    /// What the index reads of one manifest: from `ManifestFactsCache` when a run of this kit saw
    /// these bytes, else parsed (and kept for the next run). Nil when the manifest cannot be parsed.
    func indexRecord(_ rel: String) -> ManifestFactsCache.Record? {
        if let hit = recordCache.get(rel) { return hit }
        let record = computeIndexRecord(rel)
        if let record { recordCache.set(rel, record) }
        return record
    }

    private func computeIndexRecord(_ rel: String) -> ManifestFactsCache.Record? {
        var key: String?
        if persistentFacts.isActive, let bytes = try? store.bytes(rel), !ManifestFactsCache.dependsOnOtherFiles(bytes) {
            let k = ManifestFactsCache.key(bytes)
            if let hit = persistentFacts.record(for: k) { return hit }
            key = k
        }
        guard let doc = try? store.manifest(rel) else { return nil }
        var imports: [ManifestFactsCache.Import]?
        if case .map(let own) = doc, let specs = try? importSpecs(own["import"], rel: rel) {
            imports = specs.map { .init(path: $0.path, skipIfMissing: $0.skipIfMissing, skipTemplates: $0.skipTemplates,
                                        ignoreMissing: $0.ignoreMissing, hasContext: !$0.context.isEmpty) }
        }
        let record = ManifestFactsCache.Record(imports: imports, facts: LayerFacts(doc))
        // The parse itself says whether it read other files (an `!include` spelled through a `%TAG`
        // directive has no `!include` bytes): such a record would outlive a change to those files.
        if let key, store.includes(of: rel).isEmpty { persistentFacts.store(record, for: key) }
        return record
    }
}

/// A small thread-safe memo table.
final class Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let table = Mutex<[Key: Value]>([:])
    func get(_ k: Key) -> Value? { table.withLock { $0[k] } }
    func set(_ k: Key, _ v: Value) { table.withLock { $0[k] = v } }
}
