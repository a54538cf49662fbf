import KitPluginSDK

/// One Azure guardrail: checks the configuration (vars) and a plan.
///
/// Policies report findings at their default severity; `AzurePolicySettings` then applies
/// `settings.kit.policies` (a different severity, or `off`).
protocol AzurePolicy: Sendable {
    /// The policy's id, summary and default severity.
    var info: PolicyInfo { get }
    /// Findings on the component's configuration.
    func checkConfiguration(_ component: AzureComponent) -> [Finding]
    /// Findings on a plan's resource changes.
    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding]
}

extension PolicyInfo {
    /// A finding of this policy at its default severity.
    func azureFinding(_ message: String, path: String?, hint: String?) -> Finding {
        Finding(severity: defaultSeverity, policy: id, message: message, path: path, hint: hint)
    }
}

/// Runs every Azure guardrail and applies the severity settings.
enum AzureGuardrails {
    /// The guardrail policies (the backend check lives in `AzurermBackend`).
    static let policies: [any AzurePolicy] = [
        AzureNamingPolicy(), AzureLocationPolicy(), AzureRequiredTagsPolicy(), AzureStorageTLSPolicy(),
        AzurePrivateAccessPolicy(), AzureAKSPrivateClusterPolicy(), AzurePostgresBackupsPolicy(),
    ]

    /// Findings on the configuration, severities resolved, settings warnings first.
    static func checkConfiguration(_ component: AzureComponent, extra: [Finding] = []) -> [Finding] {
        let settings = PolicySeverities(settings: component.policySettings, plugin: "azure", namespace: "azure.", known: AzurePolicyCatalog.all.map(\.id))
        let raw = extra + policies.flatMap { $0.checkConfiguration(component) }
        return settings.findings + settings.apply(to: raw)
    }

    /// Findings on a plan, severities resolved.
    static func checkPlan(_ plan: JSONValue, component: AzureComponent) -> [Finding] {
        let settings = PolicySeverities(settings: component.policySettings, plugin: "azure", namespace: "azure.", known: AzurePolicyCatalog.all.map(\.id))
        let changes = PlanResourceChange.all(in: plan)
        return settings.apply(to: policies.flatMap { $0.checkPlan(changes, component: component) })
    }
}
