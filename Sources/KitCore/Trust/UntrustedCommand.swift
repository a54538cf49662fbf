extension ComponentResolver {
    /// Untrusted mode (rule `terraform-command`): a component's `command:` must be `terraform` or
    /// `tofu` (found on PATH when it runs). The error points at the `command:` that set it: the
    /// component's `overrides`, the component, the stack's `terraform:` section, or the stack file
    /// when it was inherited. (kit.yaml's `components.terraform.command` is checked when the
    /// configuration loads.)
    func checkUntrustedCommand(_ command: String, name: String, cPath: [String], c: [String: Value],
                               overrides: [String: Value], tf: [String: Value]) throws {
        guard !TrustPolicy.allowedCommands.contains(command) else { return }
        let path: [String]?
        if overrides["command"]?.stringValue == command { path = cPath + ["overrides", "command"] }
        else if c["command"]?.stringValue == command { path = cPath + ["command"] }
        else if tf["command"]?.stringValue == command { path = ["terraform", "command"] }
        else { path = nil }
        let location = path.flatMap(locate) ?? SourceLocation(file: stackFile)
        throw UntrustedRefusal(rule: .terraformCommand,
                               what: "'command' is \(UserText.quoted(command)); use 'terraform' or 'tofu' on PATH",
                               location: location, stack: stackFileID, component: name)
    }
}
