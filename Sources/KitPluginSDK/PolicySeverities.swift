/// Severity resolution for a plugin's policies from `settings.kit.policies`.
///
/// `settings.kit.policies` maps a policy id to `error`, `warning`, `info` or `off`; `off` disables the
/// policy. Ids in the plugin's namespace (`aws.`) that it does not offer, and values that are not one of
/// the four words, are reported as a `kit.settings` warning. Ids of other namespaces belong to other
/// plugins and are left alone.
public struct PolicySeverities: Sendable {
    /// The configured override per policy id; nil value means `off`.
    public let overrides: [String: Severity?]
    /// Warnings about the settings themselves (policy `kit.settings`).
    public let findings: [Finding]

    /// Reads `settings` (the `settings.kit.policies` map) for the plugin `plugin` whose policy ids
    /// start with `namespace` (e.g. `aws.`) and are `known`.
    public init(settings: [String: JSONValue], plugin: String, namespace: String, known: [String]) {
        var overrides: [String: Severity?] = [:]
        var findings: [Finding] = []
        for (id, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard id.hasPrefix(namespace) else { continue }
            let path = "settings.kit.policies.\(id)"
            guard known.contains(id) else {
                findings.append(Finding(
                    severity: .warning, policy: "kit.settings",
                    message: "unknown policy '\(id)' in settings.kit.policies",
                    path: path,
                    hint: "the \(plugin) plugin offers: \(known.map { "'\($0)'" }.joined(separator: ", "))"))
                continue
            }
            switch value.stringValue?.lowercased() {
            case "off": overrides[id] = .some(nil)
            case let word?:
                if let severity = Severity(rawValue: word) {
                    overrides[id] = .some(severity)
                } else {
                    findings.append(Self.badValue(id: id, value: value, path: path))
                }
            case nil:
                findings.append(Self.badValue(id: id, value: value, path: path))
            }
        }
        self.overrides = overrides
        self.findings = findings
    }

    private static func badValue(id: String, value: JSONValue, path: String) -> Finding {
        let shown = value.stringValue ?? value.serialized()
        return Finding(
            severity: .warning, policy: "kit.settings",
            message: "policy '\(id)' has severity '\(shown)', which is not a severity; using its default",
            path: path, hint: "use one of 'error', 'warning', 'info', 'off'")
    }

    /// Applies the configured severity to findings of one policy: replaces their severity, or drops
    /// them when the policy is `off`. Findings of policies with no override keep their severity.
    public func apply(to findings: [Finding]) -> [Finding] {
        findings.compactMap { finding in
            guard let override = overrides[finding.policy] else { return finding }
            guard let severity = override else { return nil }
            var adjusted = finding
            adjusted.severity = severity
            return adjusted
        }
    }

    /// True when the policy is configured `off`.
    public func isOff(_ id: String) -> Bool {
        if let override = overrides[id], override == nil { return true }
        return false
    }
}
