import KitModel
import KitStacks
import KitTerraform
/// Chooses the (stack, component) pairs of a multi-component run.
public enum EstateSelection {
    /// The pairs `flags` select in `graph`: `--all` (of `stack`, or of every stack), `--components`
    /// (by name, in `stack` or every stack), filtered by `--query` on each component's document, plus
    /// every dependent with `--include-dependents`. Abstract components are never selected.
    public static func select(_ graph: DependencyGraph, stack: String?, flags: TerraformInvocation.EstateFlags) throws -> Set<InstanceID> {
        var candidates = graph.instances.keys.filter { stack == nil || stack!.isEmpty || $0.stack == stack }
        if let stack, !stack.isEmpty, candidates.isEmpty {
            let stacks = Set(graph.instances.keys.map(\.stack))
            throw StackError.unknownStack(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(stacks)).first, component: nil)
        }
        if !flags.components.isEmpty {
            let names = Set(candidates.map(\.component))
            for name in flags.components where !names.contains(name) {
                throw EstateError.unknownSelectedComponent(name, suggestions: Suggestions.closest(to: name, in: names.sorted(), limit: 2))
            }
            let wanted = Set(flags.components)
            candidates = candidates.filter { wanted.contains($0.component) }
        }
        if let text = flags.query {
            let query = try QueryExpression.parse(text)
            candidates = try candidates.filter { id in try query.matches(document(graph.instances[id]!)) }
        }
        var selection = Set(candidates)
        if flags.includeDependents {
            for d in graph.closure(from: Array(selection), edges: graph.dependents) { selection.insert(d) }
        }
        if selection.isEmpty {
            var what = stack.map { "stack '\($0)'" } ?? "the repository"
            if let q = flags.query { what += " has no component matching --query '\(q)'" } else { what += " has no deployable component" }
            throw EstateError.emptySelection(what)
        }
        return selection
    }

    /// What `--query` sees for a component: its sections and names, as in `describe component`.
    public static func document(_ c: ResolvedComponent) -> Value {
        .map([
            "atmos_component": .string(c.name), "component": .string(c.baseComponentName),
            "atmos_stack": .string(c.stackName), "stack": .string(c.stackName),
            "atmos_stack_file": .string(c.stackFileID), "workspace": .string(c.workspace),
            "vars": .map(c.vars), "settings": .map(c.settings), "env": .map(c.env), "metadata": .map(c.metadata),
            "providers": .map(c.providers), "backend_type": .string(c.backendType), "backend": .map(c.backend),
            "dependencies": .map(c.dependencies), "command": .string(c.command),
            "component_info": .map(["component_path": .string(c.folder)]),
        ])
    }
}
