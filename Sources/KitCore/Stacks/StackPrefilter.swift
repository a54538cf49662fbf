import Foundation
import Synchronization

/// Cheap answers about a top-level manifest without merging it: which files it imports, and its
/// stack name when that does not depend on any component. `-s` lookups use it to merge only the
/// files that can match, so `describe component` costs about one parse of the repository.
extension ImportResolver {
    /// The files a manifest imports, transitively, in merge order (the manifest itself last), or nil
    /// when that cannot be known without rendering templates (then callers merge fully).
    func closure(_ rel: String, chain: [String] = []) -> [String]? {
        if let hit = closureCache.get(rel) { return hit }
        if chain.contains(rel) || rel.hasSuffix(".tmpl") { return nil }
        guard let file = try? store.manifest(rel), case .map(let own) = file,
              let specs = try? importSpecs(own["import"], rel: rel) else { return nil }
        var out: [String] = []
        for (position, spec) in specs.enumerated() {
            if !spec.context.isEmpty || containsTemplateAction(spec.path) { return nil }
            guard let matches = try? resolvePath(spec, from: rel, position: position, data: [:]) else { return nil }
            for m in matches {
                guard let sub = closure(m, chain: chain + [rel]) else { return nil }
                out += sub
            }
        }
        out.append(rel)
        closureCache.set(rel, out)
        return out
    }
}

/// A small thread-safe memo table.
final class Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let table = Mutex<[Key: Value]>([:])
    func get(_ k: Key) -> Value? { table.withLock { $0[k] } }
    func set(_ k: Key, _ v: Value) { table.withLock { $0[k] = v } }
}

/// What one manifest contributes to naming, computed once per file.
struct LayerFacts: Sendable {
    var components: Set<String>
    var name: String?
    var globalTokens: [String: Value]
    var terraformTokens: [String: Value]
    /// Component-level vars or overrides set a name token (the name may vary per component).
    var componentLevelTokens: Bool

    init(_ doc: Value) {
        let comps = doc.value(at: ["components", "terraform"])?.mapValue ?? [:]
        components = Set(comps.keys)
        name = doc["name"]?.stringValue
        func tokens(_ v: Value?) -> [String: Value] {
            var out: [String: Value] = [:]
            for t in StackNaming.patternTokens { if let x = v?[t] { out[t] = x } }
            return out
        }
        globalTokens = tokens(doc["vars"])
        terraformTokens = tokens(doc["terraform"]?["vars"])
        componentLevelTokens = comps.values.contains { c in
            !tokens(c["vars"]).isEmpty || !tokens(c["overrides"]?["vars"]).isEmpty
        } || !tokens(doc["overrides"]?["vars"]).isEmpty || !tokens(doc["terraform"]?["overrides"]?["vars"]).isEmpty
    }
}

extension StackCatalog {
    /// What a cheap look at a file says about stack `stack` and component `component`.
    enum Prefilter { case cannotMatch, mayMatch }

    func facts(_ rel: String) -> LayerFacts? {
        if let hit = imports.factsCache.get(rel) { return hit }
        guard let doc = try? store.manifest(rel) else { return nil }
        let f = LayerFacts(doc)
        imports.factsCache.set(rel, f)
        return f
    }

    /// Decides, without merging, whether `file` can hold `component` in `stack`. Conservative: any
    /// doubt (templates, a name template, component-level name vars) answers `mayMatch`.
    func prefilter(_ file: String, component: String, stack: String) -> Prefilter {
        if !config.nameTemplate.isEmpty || stripExtension(file) == stack { return .mayMatch }
        guard let layers = imports.closure(file) else { return .mayMatch }
        let all = layers.compactMap(facts)
        guard all.count == layers.count else { return .mayMatch }
        if !all.contains(where: { $0.components.contains(component) }) { return .cannotMatch }
        if let name = all.reversed().lazy.compactMap(\.name).first(where: { !$0.isEmpty }) {
            return name == stack ? .mayMatch : .cannotMatch
        }
        if config.namePattern.isEmpty { return .cannotMatch }
        if all.contains(where: \.componentLevelTokens) { return .mayMatch }
        // Global vars, then terraform.vars (a whole-stack layer above them).
        var vars: [String: Value] = [:]
        for f in all { vars.merge(f.globalTokens) { _, new in new } }
        for f in all { vars.merge(f.terraformTokens) { _, new in new } }
        guard let name = try? StackNaming.fromPattern(config.namePattern, vars: vars, file: file, component: component) else { return .mayMatch }
        return name == stack ? .mayMatch : .cannotMatch
    }
}
