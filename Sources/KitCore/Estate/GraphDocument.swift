import KitModel
import KitStacks
import KitTerraform
/// The dependency graph as documents: for `kit list dependencies` and `kit describe dependents`.
public enum GraphDocument {
    /// `{stack, component, via: [...]}` for each dependent of `id` (transitively with `allLevels`).
    public static func dependents(of id: InstanceID, in graph: DependencyGraph, allLevels: Bool) -> Value {
        let ids = allLevels ? graph.allDependents(of: id) : (graph.dependents[id] ?? [])
        return .list(ids.map { d in
            var m: [String: Value] = ["component": .string(d.component), "stack": .string(d.stack)]
            if let reasons = graph.reasons[DependencyGraph.Pair(from: d, to: id)] {
                m["via"] = .list(reasons.map { .string($0.via) })
            }
            return .map(m)
        })
    }

    /// The edges among `nodes` (and to what they depend on), with waves.
    public static func value(_ graph: DependencyGraph, nodes: Set<InstanceID>) -> Value {
        let waves = graph.waves(of: nodes, reverse: false)
        var edges: [Value] = []
        for from in nodes.sorted() {
            for to in graph.dependencies[from] ?? [] {
                let reasons = graph.reasons[DependencyGraph.Pair(from: from, to: to)] ?? []
                edges.append(.map([
                    "component": .string(from.component), "stack": .string(from.stack),
                    "depends_on": .map(["component": .string(to.component), "stack": .string(to.stack)]),
                    "via": .list(reasons.map { .string($0.via) }),
                ]))
            }
        }
        return .map([
            "waves": .list(waves.map { w in .list(w.map { .map(["component": .string($0.component), "stack": .string($0.stack)]) }) }),
            "edges": .list(edges),
        ])
    }

    /// Plain text: the waves, then one line per edge.
    public static func text(_ graph: DependencyGraph, nodes: Set<InstanceID>) -> String {
        var out = ""
        for (i, wave) in graph.waves(of: nodes, reverse: false).enumerated() {
            out += "wave \(i + 1): " + wave.map { $0.description }.joined(separator: ", ") + "\n"
        }
        for from in nodes.sorted() {
            for to in graph.dependencies[from] ?? [] {
                let reasons = graph.reasons[DependencyGraph.Pair(from: from, to: to)] ?? []
                out += "\(from) → \(to)  # " + reasons.map(\.via).joined(separator: "; ") + "\n"
            }
        }
        return out
    }

    /// Graphviz `dot`.
    public static func dot(_ graph: DependencyGraph, nodes: Set<InstanceID>) -> String {
        func q(_ id: InstanceID) -> String { "\"" + (id.stack + "/" + id.component).replacingAll("\"", with: "\\\"") + "\"" }
        var out = "digraph dependencies {\n  rankdir=LR;\n"
        for n in nodes.sorted() { out += "  \(q(n));\n" }
        for from in nodes.sorted() {
            for to in graph.dependencies[from] ?? [] { out += "  \(q(from)) -> \(q(to));\n" }
        }
        return out + "}\n"
    }
}
