import KitModel
import KitStacks
import KitTerraform
/// Why one instance depends on another.
public struct DependencyReason: Hashable, Sendable, CustomStringConvertible {
    /// `dependencies.components`, `settings.depends_on.<key>`, or the reference text (`!terraform.state vpc .id`).
    public var via: String
    public var description: String { via }
}

/// The dependency graph of every deployable (stack, component) pair in the repository: edges from
/// `dependencies.components`, the legacy `settings.depends_on`, `!terraform.state` /
/// `!terraform.output` references and `atmos.Component` reads (a reference is a dependency without
/// being declared twice).
/// Abstract components are not nodes. Built once per run; cycles and unknown targets are errors.
public struct DependencyGraph: Sendable {
    /// Every node with its resolved component.
    public private(set) var instances: [InstanceID: ResolvedComponent] = [:]
    /// node → what it depends on (sorted), with why.
    public private(set) var dependencies: [InstanceID: [InstanceID]] = [:]
    /// node → what depends on it (sorted).
    public private(set) var dependents: [InstanceID: [InstanceID]] = [:]
    /// (dependent, dependency) → reasons.
    public private(set) var reasons: [Pair: [DependencyReason]] = [:]

    /// An edge's two ends.
    public struct Pair: Hashable, Sendable {
        public var from: InstanceID
        public var to: InstanceID
    }

    /// Builds the graph. `stackName` computes a stack name from context vars for the legacy
    /// `settings.depends_on` form (nil when the repository has no name pattern).
    public static func build(_ components: [ResolvedComponent],
                             stackName: (([String: Value]) -> String?)? = nil) throws -> DependencyGraph {
        var g = DependencyGraph()
        var byStack: [String: Set<String>] = [:]
        var abstract: Set<InstanceID> = []
        for c in components {
            let id = InstanceID(stack: c.stackName, component: c.name)
            byStack[c.stackName, default: []].insert(c.name)
            if c.isAbstract { abstract.insert(id); continue }
            g.instances[id] = c
        }
        for id in g.instances.keys.sorted() {
            let c = g.instances[id]!
            for (target, via) in try declaredTargets(c, id: id, stackName: stackName) + referenceTargets(c, id: id) {
                let to = InstanceID(stack: target.stack ?? id.stack, component: target.component)
                // An `atmos.Component` read either resolved (so it names a real pair, canonically) or was
                // found in a deferred template's text, where a stack may be written in another form
                // (`orgs/acme/dev`) or a typo that the run reports at the template: no edge, no guess.
                let isTemplateRead = via.hasPrefix(TemplateFunction.atmosComponent.name + " ")
                if isTemplateRead && byStack[to.stack]?.contains(to.component) != true { continue }
                guard let names = byStack[to.stack] else {
                    throw EstateError.unknownDependencyStack(from: id, stack: to.stack, via: via,
                                                             suggestion: Suggestions.closest(to: to.stack, in: Array(byStack.keys)).first)
                }
                guard names.contains(to.component) else {
                    throw EstateError.unknownDependency(from: id, component: to.component, stack: to.stack, via: via,
                                                        suggestions: Suggestions.closest(to: to.component, in: names.sorted(), limit: 2))
                }
                if abstract.contains(to) {
                    // Reading an abstract component's configuration is fine; it never runs, so it orders nothing.
                    if isTemplateRead { continue }
                    throw EstateError.abstractDependency(from: id, to: to, via: via)
                }
                if to == id { throw EstateError.cycle([id, id]) }
                g.addEdge(from: id, to: to, reason: DependencyReason(via: via))
            }
        }
        for k in g.dependencies.keys { g.dependencies[k]!.sort() }
        for k in g.dependents.keys { g.dependents[k]!.sort() }
        try g.checkAcyclic()
        return g
    }

    mutating func addEdge(from: InstanceID, to: InstanceID, reason: DependencyReason) {
        let pair = Pair(from: from, to: to)
        if reasons[pair] == nil {
            dependencies[from, default: []].append(to)
            dependents[to, default: []].append(from)
        }
        if !(reasons[pair]?.contains(reason) ?? false) { reasons[pair, default: []].append(reason) }
    }

    /// `dependencies.components` and `settings.depends_on` targets (component, stack or nil) with their origin.
    static func declaredTargets(_ c: ResolvedComponent, id: InstanceID,
                                stackName: (([String: Value]) -> String?)?) throws -> [((component: String, stack: String?), String)] {
        var out: [((component: String, stack: String?), String)] = []
        if let entries = c.dependencies["components"] {
            guard let list = entries.listValue else {
                throw EstateError.invalidDependency(from: id, via: "dependencies.components", message: "expected a list, found \(entries.typeName)")
            }
            for (i, entry) in list.enumerated() {
                let via = "dependencies.components[\(i)]"
                switch entry {
                case .string(let name): out.append(((name, nil), via))
                case .map(let m):
                    if let kind = m["kind"]?.stringValue, kind != "terraform" { continue }
                    guard let name = (m["component"] ?? m["name"])?.stringValue, !name.isEmpty else {
                        throw EstateError.invalidDependency(from: id, via: via, message: "an entry needs 'component:' (or 'name:')")
                    }
                    let stack = m["stack"]?.stringValue
                    out.append(((name, stack?.isEmpty == false ? stack : nil), via))
                default:
                    throw EstateError.invalidDependency(from: id, via: via, message: "expected a map with 'component:', found \(entry.typeName)")
                }
            }
        }
        if let legacy = c.settings["depends_on"]?.mapValue {
            for key in legacy.keys.sorted() {
                let via = "settings.depends_on.\(key)"
                guard let m = legacy[key]?.mapValue else {
                    throw EstateError.invalidDependency(from: id, via: via, message: "expected a map with 'component:'")
                }
                // File and folder entries matter to `describe affected`, not to ordering.
                guard let name = m["component"]?.stringValue else {
                    if m["file"] != nil || m["folder"] != nil { continue }
                    throw EstateError.invalidDependency(from: id, via: via, message: "an entry needs 'component:'")
                }
                let contextKeys = ["namespace", "tenant", "environment", "stage"]
                var stack = m["stack"]?.stringValue
                if stack == nil, contextKeys.contains(where: { m[$0] != nil }) {
                    var vars = c.vars
                    for k in contextKeys { if let v = m[k] { vars[k] = v } }
                    guard let computed = stackName?(vars) else { throw EstateError.legacyDependencyNeedsPattern(from: id, key: key) }
                    stack = computed
                }
                out.append(((name, stack), via))
            }
        }
        return out
    }

    /// Reference targets: `!terraform.state vpc .id` → (vpc, nil); the components the templates read
    /// with `atmos.Component` (recorded while resolving), and those named with literal or `.stack`
    /// arguments in templates deferred to the run (their reads stop at the first output).
    static func referenceTargets(_ c: ResolvedComponent, id: InstanceID) throws -> [((component: String, stack: String?), String)] {
        var out: [((component: String, stack: String?), String)] = c.templateReads.map { read in
            ((read.component, read.stack), "atmos.Component \"\(read.component)\" \"\(read.stack)\"")
        }
        for site in ReferenceScan.sites(in: c) {
            if site.isTemplate {
                for call in ReferenceScan.componentCalls(inTemplate: site.arguments) {
                    out.append(((call.component, call.stack), "atmos.Component \"\(call.component)\" \"\(call.stack ?? id.stack)\""))
                }
                continue
            }
            let ref: TerraformReference
            do { ref = try TerraformReference.parse(function: site.function, arguments: site.arguments) } catch {
                throw EstateError.invalidDependency(from: id, via: site.path, message: "\(error)")
            }
            out.append(((ref.component, ref.stack), site.text))
        }
        return out
    }

    /// Throws `EstateError.cycle` with the first cycle found (deterministic: nodes in sorted order).
    func checkAcyclic() throws {
        var state: [InstanceID: Int] = [:]   // 1 visiting, 2 done
        for start in instances.keys.sorted() where state[start] == nil {
            // Iterative DFS with an explicit path.
            var path: [InstanceID] = [start]
            var iterators: [Int] = [0]
            state[start] = 1
            while let node = path.last {
                let deps = dependencies[node] ?? []
                let i = iterators[iterators.count - 1]
                if i < deps.count {
                    iterators[iterators.count - 1] += 1
                    let next = deps[i]
                    switch state[next] {
                    case 1:
                        let from = path.firstIndex(of: next)!
                        throw EstateError.cycle(Array(path[from...]) + [next])
                    case 2: continue
                    default:
                        state[next] = 1
                        path.append(next)
                        iterators.append(0)
                    }
                } else {
                    state[node] = 2
                    path.removeLast()
                    iterators.removeLast()
                }
            }
        }
    }

    /// Everything `id` depends on, transitively (sorted).
    public func allDependencies(of id: InstanceID) -> [InstanceID] { closure(from: [id], edges: dependencies) }

    /// Everything that depends on `id`, transitively (sorted).
    public func allDependents(of id: InstanceID) -> [InstanceID] { closure(from: [id], edges: dependents) }

    /// Everything reachable from `ids` along `edges` (not including `ids` unless reached again).
    public func closure(from ids: [InstanceID], edges: [InstanceID: [InstanceID]]) -> [InstanceID] {
        var seen: Set<InstanceID> = []
        var work = ids
        while let n = work.popLast() {
            for m in edges[n] ?? [] where !seen.contains(m) {
                seen.insert(m)
                work.append(m)
            }
        }
        return seen.sorted()
    }

    /// The dependency level of every node: 0 for nodes without dependencies, else 1 + the deepest dependency.
    public func levels() -> [InstanceID: Int] {
        var level: [InstanceID: Int] = [:]
        // Kahn's algorithm over the whole graph (acyclic by construction).
        var remaining: [InstanceID: Int] = [:]
        for id in instances.keys { remaining[id] = dependencies[id]?.count ?? 0 }
        var ready = instances.keys.filter { remaining[$0] == 0 }.sorted()
        for id in ready { level[id] = 0 }
        while !ready.isEmpty {
            var next: [InstanceID] = []
            for id in ready {
                for d in dependents[id] ?? [] {
                    level[d] = max(level[d] ?? 0, level[id]! + 1)
                    remaining[d]! -= 1
                    if remaining[d] == 0 { next.append(d) }
                }
            }
            ready = next.sorted()
        }
        return level
    }

    /// For each selected node, the selected nodes it must wait for: its dependencies, looking through
    /// unselected nodes (a → b → c with b unselected still orders c after a). Reversed for destroy.
    public func prerequisites(within selection: Set<InstanceID>, reverse: Bool) -> [InstanceID: Set<InstanceID>] {
        let edges = reverse ? dependents : dependencies
        var out: [InstanceID: Set<InstanceID>] = [:]
        for id in selection {
            var found: Set<InstanceID> = []
            var seen: Set<InstanceID> = []
            var work = edges[id] ?? []
            while let n = work.popLast() {
                guard seen.insert(n).inserted else { continue }
                if selection.contains(n) { found.insert(n) } else { work.append(contentsOf: edges[n] ?? []) }
            }
            out[id] = found
        }
        return out
    }

    /// The selection in waves: wave k holds the nodes whose prerequisites are all in earlier waves.
    public func waves(of selection: Set<InstanceID>, reverse: Bool) -> [[InstanceID]] {
        let pre = prerequisites(within: selection, reverse: reverse)
        // Kahn's algorithm: linear in nodes and edges (a wave is the longest path to the node).
        var unfinished: [InstanceID: Int] = [:]
        var next: [InstanceID: [InstanceID]] = [:]
        for id in selection {
            let deps = pre[id] ?? []
            unfinished[id] = deps.count
            for d in deps { next[d, default: []].append(id) }
        }
        var wave: [InstanceID: Int] = [:]
        var work: [InstanceID] = []
        for id in selection where unfinished[id] == 0 { wave[id] = 0; work.append(id) }
        while let n = work.popLast() {
            let w = wave[n]! + 1
            for d in next[n] ?? [] {
                wave[d] = max(wave[d] ?? 0, w)
                unfinished[d]! -= 1
                if unfinished[d] == 0 { work.append(d) }
            }
        }
        // A node on a cycle gets no wave (unreachable: the graph is acyclic).
        for id in selection where unfinished[id] != 0 { wave[id] = nil }
        let count = (wave.values.max() ?? -1) + 1
        var out = [[InstanceID]](repeating: [], count: count)
        for (id, w) in wave { out[w].append(id) }
        return out.map { $0.sorted() }
    }
}
