import KitModel
import KitStacks
import KitTerraform
/// Errors in an estate's dependency graph and in multi-component runs. Messages are lowercase, quote
/// user values, and say what to do.
public enum EstateError: Error, Equatable, CustomStringConvertible {
    /// A dependency names a component that is not in the target stack.
    case unknownDependency(from: InstanceID, component: String, stack: String, via: String, suggestions: [String])
    /// A dependency names a stack that does not exist.
    case unknownDependencyStack(from: InstanceID, stack: String, via: String, suggestion: String?)
    /// A dependency on an abstract component (it is never deployed).
    case abstractDependency(from: InstanceID, to: InstanceID, via: String)
    /// The graph has a cycle; the chain starts and ends with the same instance.
    case cycle([InstanceID])
    /// A `settings.depends_on` entry names context (namespace, tenant, …) but no `stacks.name_pattern` exists.
    case legacyDependencyNeedsPattern(from: InstanceID, key: String)
    /// A malformed `dependencies`/`settings.depends_on` entry.
    case invalidDependency(from: InstanceID, via: String, message: String)
    /// Stacks or components failed to resolve, so the estate cannot be ordered safely.
    case brokenStacks([String])
    /// Nothing matched the selection.
    case emptySelection(String)
    /// `--components` named something that is not in the selected stacks.
    case unknownSelectedComponent(String, suggestions: [String])

    public var description: String {
        switch self {
        case .unknownDependency(let from, let component, let stack, let via, let suggestions):
            var m = "component '\(from.component)' in stack '\(from.stack)' depends on '\(component)' (\(via)), which is not a component of stack '\(stack)'"
            if let s = suggestions.first { m += " — did you mean '\(s)'?" }
            return m
        case .unknownDependencyStack(let from, let stack, let via, let suggestion):
            var m = "component '\(from.component)' in stack '\(from.stack)' depends on stack '\(stack)' (\(via)), which does not exist"
            if let s = suggestion { m += " — did you mean '\(s)'?" }
            return m
        case .abstractDependency(let from, let to, let via):
            return "component '\(from.component)' in stack '\(from.stack)' depends on '\(to.component)' (\(via)), which is abstract and is never deployed — depend on a component that inherits it"
        case .cycle(let chain):
            return "dependency cycle: " + chain.map { "'\($0.component)' in '\($0.stack)'" }.joined(separator: " → ") + " — remove one of these dependencies"
        case .legacyDependencyNeedsPattern(let from, let key):
            return "component '\(from.component)' in stack '\(from.stack)': settings.depends_on.\(key) names context fields but stacks.name_pattern is not set, so the stack cannot be computed — add 'stack:' to the entry or use dependencies.components"
        case .invalidDependency(let from, let via, let message):
            return "component '\(from.component)' in stack '\(from.stack)': \(via): \(message)"
        case .brokenStacks(let errors):
            let shown = errors.prefix(5).joined(separator: "\n  ")
            return "\(errors.count) stack(s) or component(s) failed to resolve, so the estate cannot be ordered:\n  \(shown)" +
                (errors.count > 5 ? "\n  … and \(errors.count - 5) more" : "") + "\n  fix them (see 'kit validate stacks') and run again"
        case .emptySelection(let what):
            return "nothing to run: \(what)"
        case .unknownSelectedComponent(let name, let suggestions):
            var m = "--components: no selected stack has a component '\(name)'"
            if let s = suggestions.first { m += " — did you mean '\(s)'?" }
            return m
        }
    }
}
