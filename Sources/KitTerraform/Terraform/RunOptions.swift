// The options of a run that the typed request (`TerraformInvocation`) carries for the estate layer.

/// What `--failure-mode` says happens after a component fails.
public enum FailureMode: String, Sendable, CaseIterable {
    /// Start nothing new; components already running finish.
    case failFast = "fail-fast"
    /// Go on with everything that does not depend on the failure; its dependents are skipped.
    case keepGoing = "keep-going"
}

/// How the output of many components is shown.
public enum LogOrder: String, Sendable, CaseIterable {
    /// Each component's output in one block when it finishes, every line prefixed with its name.
    case grouped
    /// Lines as they come, prefixed with the component's name.
    case stream
}
