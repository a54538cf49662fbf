import KitPluginSDK

/// The first-party AWS provider plugin: the `s3` backend, AWS environment variables, the `aws`
/// provider override and the `aws.*` guardrails. See `docs/guardrails.md`.
public struct AWSPlugin: ProviderPlugin, Sendable {
    /// The plugin's version, reported by `describe`.
    public static let version = "1.0.0"

    /// Creates the plugin.
    public init() {}

    /// Name `aws`, backend type `s3`, provider `aws`, the `aws.*` policies and the settings schema.
    public func describe() -> PluginDescription {
        PluginDescription(
            name: "aws", version: Self.version, backendTypes: ["s3"], providers: ["aws"],
            policies: AWSPolicyCatalog.all, settingsSchema: AWSSettingsSchema.schema)
    }

    /// Backend (for `backend_type: s3`), environment, provider override, `-var` arguments and the
    /// configuration findings (backend keys, settings, guardrails).
    public func adapt(_ request: AdaptRequest, events: PluginEventSink) throws -> AdaptResponse {
        let component = AWSComponent(request.component)
        var backend: JSONValue?
        var backendFindings: [Finding] = []
        if component.backendType == "s3" {
            (backend, backendFindings) = AWSS3Backend.adapt(component)
        }
        return AdaptResponse(
            backend: backend,
            env: AWSEnvironment.variables(for: component),
            providersOverride: AWSProviderOverride.override(for: component),
            args: AWSProviderOverride.arguments(for: component, operation: request.operation),
            findings: AWSGuardrails.checkConfiguration(component, operation: request.operation, extra: backendFindings))
    }

    /// The guardrails on the plan's resource changes.
    public func review(_ request: ReviewRequest, events: PluginEventSink) throws -> [Finding] {
        AWSGuardrails.checkPlan(request.plan, component: AWSComponent(request.component), operation: request.operation)
    }

    /// The backend keys, the settings and the guardrails on the configuration.
    public func validate(_ request: ValidateRequest, events: PluginEventSink) throws -> [Finding] {
        let component = AWSComponent(request.component)
        return AWSGuardrails.checkConfiguration(component, operation: nil, extra: AWSS3Backend.findings(component))
    }
}
