import KitPluginSDK

/// One AWS guardrail: checks the configuration (vars) and a plan.
///
/// Policies report findings at their default severity; `AWSPolicySettings` then applies
/// `settings.kit.policies` (a different severity, or `off`).
protocol AWSPolicy: Sendable {
    /// The policy's id, summary and default severity.
    var info: PolicyInfo { get }
    /// Findings on the component's configuration; `operation` is nil for `validate`.
    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding]
    /// Findings on a plan's resource changes.
    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding]
}

extension PolicyInfo {
    /// A finding of this policy at its default severity.
    func finding(_ message: String, path: String?, hint: String?) -> Finding {
        Finding(severity: defaultSeverity, policy: id, message: message, path: path, hint: hint)
    }
}

/// Runs every AWS guardrail and applies the severity settings.
enum AWSGuardrails {
    /// The guardrail policies (the backend check lives in `AWSS3Backend`).
    static let policies: [any AWSPolicy] = [
        AWSRequiredTagsPolicy(), AWSDestroyTaggedOnlyPolicy(), AWSRDSProductionPolicy(),
        AWSS3BucketPolicy(), AWSIMDSv2Policy(), AWSPublicIngressPolicy(), AWSUserDataSizePolicy(),
        AWSPermissionsBoundaryPolicy(),
    ]

    /// Findings on the configuration, severities resolved, settings warnings first.
    static func checkConfiguration(_ component: AWSComponent, operation: Operation?,
                                   extra: [Finding] = []) -> [Finding] {
        let settings = PolicySeverities(settings: component.policySettings, plugin: "aws", namespace: "aws.", known: AWSPolicyCatalog.all.map(\.id))
        let raw = extra + policies.flatMap { $0.checkConfiguration(component, operation: operation) }
        return settings.findings + settings.apply(to: raw)
    }

    /// Findings on a plan, severities resolved; then `info` notes on what could not be checked
    /// (they keep their severity: a note is not a violation), unless the policy is off.
    static func checkPlan(_ plan: JSONValue, component: AWSComponent, operation: Operation) -> [Finding] {
        let settings = PolicySeverities(settings: component.policySettings, plugin: "aws", namespace: "aws.", known: AWSPolicyCatalog.all.map(\.id))
        let changes = PlanResourceChange.all(in: plan)
        let findings = settings.apply(to: policies.flatMap { $0.checkPlan(changes, component: component, operation: operation) })
        let tags = AWSRequiredTagsPolicy()
        return findings + (settings.isOff(tags.info.id) ? [] : tags.uncheckable(changes))
    }
}

/// Quotes a list of values for a message: `'a', 'b'`.
func quotedList(_ values: [String]) -> String {
    values.map { "'\($0)'" }.joined(separator: ", ")
}
