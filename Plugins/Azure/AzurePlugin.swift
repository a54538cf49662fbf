import KitPluginSDK

/// The first-party Azure provider plugin: the `azurerm` backend, `ARM_*` environment variables, the
/// `azurerm` provider override and the `azure.*` guardrails. See `docs/guardrails.md`.
public struct AzurePlugin: ProviderPlugin, Sendable {
    /// The plugin's version, reported by `describe`.
    public static let version = "1.0.0"

    /// Creates the plugin.
    public init() {}

    /// Name `azure`, backend type `azurerm`, provider `azurerm`, the `azure.*` policies and the
    /// settings schema.
    public func describe() -> PluginDescription {
        PluginDescription(
            name: "azure", version: Self.version, backendTypes: ["azurerm"], providers: ["azurerm"],
            policies: AzurePolicyCatalog.all, settingsSchema: AzureSettingsSchema.schema)
    }

    /// Backend (for `backend_type: azurerm`), environment, provider override and the configuration
    /// findings (backend keys, settings, guardrails).
    public func adapt(_ request: AdaptRequest, events: PluginEventSink) throws -> AdaptResponse {
        let component = AzureComponent(request.component)
        var backend: JSONValue?
        var backendFindings: [Finding] = []
        if component.backendType == "azurerm" {
            (backend, backendFindings) = AzurermBackend.adapt(component)
        }
        return AdaptResponse(
            backend: backend,
            env: AzureEnvironment.variables(for: component),
            providersOverride: AzureProviderOverride.override(for: component),
            findings: AzureGuardrails.checkConfiguration(component, extra: backendFindings))
    }

    /// The guardrails on the plan's resource changes.
    public func review(_ request: ReviewRequest, events: PluginEventSink) throws -> [Finding] {
        AzureGuardrails.checkPlan(request.plan, component: AzureComponent(request.component))
    }

    /// The backend keys, the settings and the guardrails on the configuration.
    public func validate(_ request: ValidateRequest, events: PluginEventSink) throws -> [Finding] {
        let component = AzureComponent(request.component)
        return AzureGuardrails.checkConfiguration(component, extra: AzurermBackend.findings(component))
    }
}
