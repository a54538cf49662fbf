import KitModel

extension ComponentResolver {
    /// Untrusted mode (rule `terraform-command`): a component's `command:` must be `terraform` or
    /// `tofu` (found on PATH when it runs). The error points at the `command:` that set it: the
    /// component's `overrides`, the component, the stack's `terraform:` section, or the stack file
    /// when it was inherited. (kit.yaml's `components.terraform.command` is checked when the
    /// configuration loads.)
    func checkUntrustedCommand(_ command: String, env: [String: Value], name: String, cPath: [String], c: [String: Value],
                               overrides: [String: Value], tf: [String: Value]) throws {
        // `PATH` decides which `terraform` runs; `LD_*` load code into it: the job's, not the pull request's.
        if let key = env.keys.sorted().first(where: Self.controlsTheBinary) {
            let location = [cPath + ["overrides", "env", key], cPath + ["env", key], ["terraform", "env", key], ["env", key]]
                .lazy.compactMap(locate).first ?? SourceLocation(file: stackFile)
            throw UntrustedRefusal(rule: .terraformCommand,
                                   what: "'env' sets \(UserText.quoted(key)), which chooses or changes the terraform binary that runs",
                                   location: location, stack: stackFileID, component: name)
        }
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

    /// Environment variables a component may not set in untrusted mode.
    static func controlsTheBinary(_ name: String) -> Bool {
        name == "PATH" || name.hasPrefix("LD_") || name.hasPrefix("DYLD_")
    }
}
