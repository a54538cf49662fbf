import Synchronization
import KitModel

/// Stage 1 of resolving a component: its base chain (reference §5).
extension ComponentResolver {
    /// The accumulated contribution of a component's base chain (reference §5.2).
    struct Accumulator: Sendable {
        var sections: [String: [String: Value]] = [:]
        var command: String?
        var backendType: String?
        var remoteStateBackendType: String?
        var requiredVersion: String?
        var finalBase = ""
        var chain: [String] = []
        /// Every base name the walk looked up in the stack's components, found or not: what a walk's
        /// result depends on besides the configuration (`SharedBaseChains`). Not a contribution.
        var lookedUp: [String] = []

        /// Room for `spare` more keys in the `vars` map (a copy keeps its original's capacity). Only
        /// `vars`: every component adds the stack's and its own variables to it, while the other
        /// sections often reach the component unchanged, as the same storage, whose JSON is reused
        /// (`JSONSubtreeCache`) — a copy with room would be new storage, written afresh.
        mutating func reserveSpareCapacity(_ spare: Int = 32) {
            guard let i = sections.index(forKey: "vars"), !sections.values[i].isEmpty else { return }
            sections.values[i].reserveCapacity(sections.values[i].count + spare)
        }

        /// True before any base contributed (lookups alone contribute nothing).
        var isEmpty: Bool {
            sections.isEmpty && command == nil && backendType == nil && remoteStateBackendType == nil
                && requiredVersion == nil && finalBase.isEmpty && chain.isEmpty
        }
    }

    /// The base chains one resolver already walked. In a stack, every component of a group inherits the
    /// same bases (`network-1` and `network-1/defaults` both walk `network/base` and `common/base`): a
    /// base visited into an empty accumulator always yields the same accumulator, so it is walked and
    /// merged once per stack. Exact, not approximate: an entry is reused only where a fresh walk starts
    /// from an empty accumulator too, and never where one of its bases is on the current path (the fresh
    /// walk would report that cycle). Only successful walks are kept; errors are found afresh each time.
    /// Valid for one `raw` (the resolver's `rawComponents()`, which every caller passes).
    final class BaseChainMemo: Sendable {
        struct Key: Hashable {
            let base: String
            let componentChain: Bool
            let strategy: ListMergeStrategy
        }
        struct Entry {
            let acc: Accumulator
            /// Every base the walk visited, the first one included.
            let visited: Set<String>
        }
        let entries = Mutex<[Key: Entry]>([:])
    }

    /// Base-chain walks shared by every stack of a catalog. 200 stacks importing one catalog walk the
    /// same bases with the same definitions; a walk's result depends only on the definitions it looked
    /// up (`Accumulator.lookedUp`, absent ones included), the key and the configuration, so an entry is
    /// reused in another stack when every definition it looked up is equal there (`==`; the same parsed
    /// value, which stacks share unless a layer of theirs changed it, compares by identity first). The
    /// cycle rule is `BaseChainMemo`'s. At most `variants` entries a key (per-stack overrides make variants).
    package final class SharedBaseChains: Sendable {
        struct Key: Hashable {
            let componentType: String
            let base: BaseChainMemo.Key
        }
        struct Entry {
            let walk: BaseChainMemo.Entry
            let inputs: [(name: String, definition: Value?)]
        }
        static let variants = 8
        private let entries = Mutex<[Key: [Entry]]>([:])
        /// Walks answered from another stack's (tests; `KIT_STATS=1` prints it as `base_chains_reused`).
        package let reused = Mutex(0)

        package init() {}

        /// A kept walk valid in the stack whose components are `raw`, with none of its bases on `onPath`.
        func find(_ key: Key, raw: [String: Value], onPath: [String]) -> BaseChainMemo.Entry? {
            let candidates = entries.withLock { $0[key] ?? [] }
            for c in candidates.reversed() where c.walk.visited.isDisjoint(with: onPath)
                && c.inputs.allSatisfy({ raw[$0.name] == $0.definition }) {
                reused.withLock { $0 += 1 }
                return c.walk
            }
            return nil
        }

        func keep(_ walk: BaseChainMemo.Entry, for key: Key, raw: [String: Value]) {
            let inputs = walk.acc.lookedUp.map { (name: $0, definition: raw[$0]) }
            entries.withLock { table in
                var list = table[key] ?? []
                if list.count >= Self.variants { list.removeFirst() }
                list.append(Entry(walk: walk, inputs: inputs))
                table[key] = list
            }
        }
    }

    /// The base chain's contribution (reference §5.2) and the component's list merge strategy: the
    /// last non-empty `settings.list_merge_strategy` of its layers, the chain included.
    func inheritance(of l: ComponentLayers, raw: [String: Value]) throws -> (Accumulator, ListMergeStrategy) {
        let (name, cPath, c, cMeta) = (l.name, l.path, l.own, l.ownMetadata)
        var acc = Accumulator()
        var path: [(String, String)] = []
        if let top = c["component"] {
            guard case .string(let base) = top else { throw sectionError(cPath + ["component"], "string", top, component: name) }
            try visit(child: name, base: base, via: "component", raw: raw, acc: &acc, path: &path, componentChain: true)
        }
        if let inh = cMeta["inherits"] {
            guard case .list(let bases) = inh else { throw sectionError(cPath + ["metadata", "inherits"], "list", inh, component: name) }
            for b in bases {
                guard case .string(let base) = b else { throw sectionError(cPath + ["metadata", "inherits"], "list of strings", inh, component: name) }
                try visit(child: name, base: base, via: "metadata.inherits", raw: raw, acc: &acc, path: &path)
            }
        }

        var strategy = config.listMergeStrategy
        let strategyCandidates: [Value?] = [l.global["settings"]?["list_merge_strategy"], l.typeLevel["settings"]?["list_merge_strategy"],
                                            acc.sections["settings"]?["list_merge_strategy"], c["settings"]?["list_merge_strategy"],
                                            c["overrides"]?["settings"]?["list_merge_strategy"]]
        for case .string(let s)? in strategyCandidates where !s.isEmpty {
            guard let st = ListMergeStrategy(rawValue: s) else { throw StackError.invalidMergeStrategy(locate(cPath + ["settings"]), value: s) }
            strategy = st
        }

        // The base chain is merged with the component's own strategy (a stack's `settings.list_merge_strategy:
        // append` must keep every level's items, not only atmos.yaml's strategy).
        if strategy != config.listMergeStrategy {
            acc = Accumulator()
            path = []
            if case .string(let base)? = c["component"] {
                try visit(child: name, base: base, via: "component", raw: raw, acc: &acc, path: &path, componentChain: true, strategy: strategy)
            }
            if case .list(let bases)? = cMeta["inherits"] {
                for case .string(let base) in bases {
                    try visit(child: name, base: base, via: "metadata.inherits", raw: raw, acc: &acc, path: &path, strategy: strategy)
                }
            }
        }
        return (acc, strategy)
    }

    /// Depth-first post-order visit of a base component (reference §5.2).
    /// `componentChain`: reached only through top-level `component:` links from the resolved component;
    /// only such bases can become the folder (`final_base`, reference §5.3).
    func visit(child: String, base: String, via: String, raw: [String: Value],
               acc: inout Accumulator, path: inout [(String, String)], componentChain: Bool = false,
               varsOnly: Bool = false, strategy: ListMergeStrategy? = nil) throws {
        let listStrategy = strategy ?? config.listMergeStrategy
        // The chain so far: the resolved component, then every base on the current path.
        let root = path.first?.0 ?? child
        let onPath = [root] + path.map(\.1)
        if base == child && via == "component" { return }  // `component: <own name>` names the folder only
        if onPath.contains(base) {
            throw StackError.inheritanceCycle(stack: stackFileID, chain: onPath + [base])
        }
        acc.lookedUp.append(base)
        guard let bValue = raw[base] else {
            if via == "metadata.inherits" {
                throw StackError.unknownBase(locate(["components", componentType, child, "metadata", "inherits"]),
                                             stack: stackFileID, component: child, base: base, via: via,
                                             suggestion: Suggestions.closest(to: base, in: Array(raw.keys)).first)
            }
            // `component: B` naming only a folder: allowed when the folder exists; contributes nothing.
            return
        }
        // A walk into an empty accumulator is the same wherever it starts (see `BaseChainMemo`).
        let memoKey = !varsOnly && acc.isEmpty ? BaseChainMemo.Key(base: base, componentChain: componentChain, strategy: listStrategy) : nil
        // A reused walk keeps the names looked up before it (an enclosing walk's entry depends on them too).
        if let memoKey, let hit = baseChains.entries.withLock({ $0[memoKey] }), hit.visited.isDisjoint(with: onPath) {
            let before = acc.lookedUp
            acc = hit.acc
            acc.lookedUp = before + hit.acc.lookedUp
            return
        }
        if let memoKey, let hit = sharedBaseChains.find(.init(componentType: componentType, base: memoKey), raw: raw, onPath: onPath) {
            baseChains.entries.withLock { $0[memoKey] = hit }
            let before = acc.lookedUp
            acc = hit.acc
            acc.lookedUp = before + hit.acc.lookedUp
            return
        }
        path.append((child, base))
        defer { path.removeLast() }
        let bPath = ["components", componentType, base]
        let b = try map(bValue, bPath, component: base)
        let bMeta = try map(b["metadata"], bPath + ["metadata"], component: base)
        let isAbstract = bMeta["type"]?.stringValue == "abstract"
        if !isAbstract, case .string(let next)? = b["component"] {
            try visit(child: base, base: next, via: "component", raw: raw, acc: &acc, path: &path, componentChain: componentChain, varsOnly: varsOnly, strategy: strategy)
        }
        if let inh = bMeta["inherits"] {
            guard case .list(let bases) = inh else { throw sectionError(bPath + ["metadata", "inherits"], "list", inh, component: base) }
            for case .string(let y) in bases {
                try visit(child: child, base: y, via: "metadata.inherits", raw: raw, acc: &acc, path: &path, varsOnly: varsOnly, strategy: strategy)
            }
        }
        // The base's own keys (a few) are read, not each of the fourteen section names looked up; a
        // section of the wrong type is reported as the lookup in `mapSections` order found it.
        func inherited(_ key: String) -> Bool { varsOnly ? key == "vars" : key != "metadata" && Self.isMapSection(key) }
        if b.contains(where: { inherited($0.key) && !$0.value.isMapOrNull }) {
            for key in varsOnly ? ["vars"] : Self.mapSections where key != "metadata" { _ = try map(b[key], bPath + [key], component: base) }
        }
        for (key, value) in b where inherited(key) {
            guard case .map(let s) = value, !s.isEmpty else { continue }
            guard let i = acc.sections.index(forKey: key) else {
                acc.sections[key] = s
                continue
            }
            // Taken out through its index, so that it is uniquely referenced and merges in place.
            var existing: [String: Value] = [:]
            swap(&existing, &acc.sections.values[i])
            if existing.isEmpty { existing = s } else { DeepMerge.merge(into: &existing, s, listStrategy) }
            acc.sections.values[i] = existing
        }
        if varsOnly { return }
        if config.inheritMetadata {
            var m = bMeta
            m["inherits"] = nil
            m["type"] = nil
            acc.sections["metadata"] = DeepMerge.merge([acc.sections["metadata"] ?? [:], m], strategy: listStrategy)
        }
        acc.command = b["command"]?.stringValue ?? ""
        acc.backendType = b["backend_type"]?.stringValue ?? ""
        acc.remoteStateBackendType = b["remote_state_backend_type"]?.stringValue ?? ""
        if let rv = b["required_version"]?.stringValue, !rv.isEmpty { acc.requiredVersion = rv }
        if componentChain && acc.finalBase.isEmpty { acc.finalBase = base }
        acc.chain.removeAll { $0 == base }
        acc.chain.insert(base, at: 0)
        if let memoKey {
            // Every component inheriting this chain merges the stack-wide and its own values into a copy
            // of these maps: room for them now spares each copy a resize (a rehash of every key).
            acc.reserveSpareCapacity()
            let entry = BaseChainMemo.Entry(acc: acc, visited: Set(acc.chain))
            baseChains.entries.withLock { $0[memoKey] = entry }
            sharedBaseChains.keep(entry, for: .init(componentType: componentType, base: memoKey), raw: raw)
        }
    }
}

extension Value {
    /// A map or null: what `ComponentResolver.map` reads as a map section without an error.
    var isMapOrNull: Bool {
        switch self {
        case .map, .null: return true
        default: return false
        }
    }
}
