/// Untrusted mode for `kit workflow`: a `shell` step is a command from the repository (rule
/// `no-exec`), refused before any step runs; the kit steps run untrusted too (`KIT_UNTRUSTED=1`).
public enum UntrustedWorkflow {
    /// Refuses the first `shell` step of `workflow`, at its file:line:column.
    public static func check(_ workflow: Workflow, trust: TrustPolicy) throws {
        guard trust.untrusted else { return }
        if let step = workflow.steps.first(where: { $0.type == .shell }) {
            throw UntrustedRefusal(rule: .noExec, what: "workflow \(UserText.quoted(workflow.name)) step \(UserText.quoted(step.name)) is a shell step",
                                   location: step.location)
        }
    }

    /// The environment of the workflow's kit steps: untrusted mode passes on to them.
    public static func environment(_ environment: [String: String], trust: TrustPolicy) -> [String: String] {
        guard trust.untrusted else { return environment }
        var out = environment
        out[TrustPolicy.environmentVariable] = "1"
        return out
    }
}
