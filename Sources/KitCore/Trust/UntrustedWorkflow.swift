import KitModel
import KitStacks
import KitTerraform
/// Untrusted mode for `kit workflow`: a `shell` step is a command from the repository (rule
/// `no-exec`), refused before any step runs; the kit steps run untrusted too (`KIT_UNTRUSTED=1`).
public enum UntrustedWorkflow {
    /// Refuses the first `shell` step of `workflow`, at its file:line:column, and any environment the
    /// workflow sets for its steps (`env:` of the workflow or a step, an `env` step): a variable such as
    /// `LD_PRELOAD`, `PATH` or `KIT_UNTRUSTED` would change what the kit steps run.
    public static func check(_ workflow: Workflow, trust: TrustPolicy) throws {
        guard trust.untrusted else { return }
        if let step = workflow.steps.first(where: { $0.type == .shell }) {
            throw UntrustedRefusal(rule: .noExec, what: "workflow \(UserText.quoted(workflow.name)) step \(UserText.quoted(step.name)) is a shell step",
                                   location: step.location)
        }
        if !workflow.env.isEmpty {
            throw UntrustedRefusal(rule: .noExec, what: "workflow \(UserText.quoted(workflow.name)) sets environment variables for its steps (\(names(workflow.env.keys)))",
                                   location: workflow.steps.first?.location ?? SourceLocation(file: workflow.file))
        }
        if let step = workflow.steps.first(where: { !$0.env.isEmpty || !$0.vars.isEmpty }) {
            throw UntrustedRefusal(rule: .noExec, what: "workflow \(UserText.quoted(workflow.name)) step \(UserText.quoted(step.name)) sets environment variables (\(names(Array(step.env.keys) + Array(step.vars.keys))))",
                                   location: step.location)
        }
    }

    /// Variable names for a message, sorted, escaped and capped.
    static func names<S: Sequence<String>>(_ keys: S) -> String {
        let sorted = Set(keys).sorted()
        let shown = sorted.prefix(5).map { UserText.escaped($0) }.joined(separator: ", ")
        return sorted.count > 5 ? shown + ", …" : shown
    }

    /// The environment of the workflow's kit steps: untrusted mode passes on to them.
    public static func environment(_ environment: [String: String], trust: TrustPolicy) -> [String: String] {
        guard trust.untrusted else { return environment }
        var out = environment
        out[TrustPolicy.environmentVariable] = "1"
        return out
    }
}
