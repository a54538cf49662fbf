import KitPluginSDK

/// A read-only view of the resolved component document as the AWS plugin needs it.
///
/// The document is what `kit describe component` prints: `vars`, `settings`, `env`, `backend_type`,
/// `backend`, `providers`, `metadata`, `workspace`, `atmos_stack`, `atmos_component`, `component`.
struct AWSComponent {
    /// The whole resolved component document.
    let document: JSONValue

    init(_ document: JSONValue) { self.document = document }

    /// `vars`, or an empty map.
    var vars: [String: JSONValue] { document["vars"]?.objectValue ?? [:] }
    /// `env`, or an empty map.
    var env: [String: JSONValue] { document["env"]?.objectValue ?? [:] }
    /// `backend_type`, or an empty string.
    var backendType: String { document["backend_type"]?.stringValue ?? "" }
    /// `backend` (the map for `backend_type` only), or an empty map.
    var backend: [String: JSONValue] { document["backend"]?.objectValue ?? [:] }
    /// `settings.kit.aws`, or an empty map.
    var awsSettings: [String: JSONValue] { document.value(at: ["settings", "kit", "aws"])?.objectValue ?? [:] }
    /// `settings.kit.policies`, or an empty map.
    var policySettings: [String: JSONValue] { document.value(at: ["settings", "kit", "policies"])?.objectValue ?? [:] }
    /// The component's own `providers.aws` section, or an empty map.
    var awsProviderSection: [String: JSONValue] { document.value(at: ["providers", "aws"])?.objectValue ?? [:] }

    /// `vars.stage`, or nil.
    var stage: String? { vars["stage"]?.stringValue }

    /// True for a production component: `vars.stage` is `prod` or `production`, or
    /// `settings.kit.environment_class` is `prod`.
    var isProduction: Bool {
        if let stage = stage?.lowercased(), stage == "prod" || stage == "production" { return true }
        return document.value(at: ["settings", "kit", "environment_class"])?.stringValue?.lowercased() == "prod"
    }

    /// True when the component uses the aws provider: `settings.kit.providers` lists `aws`, or the
    /// backend type is `s3`.
    var usesAWSProvider: Bool {
        if backendType == "s3" { return true }
        let requested = document.value(at: ["settings", "kit", "providers"])?.arrayValue ?? []
        return requested.contains { $0.stringValue == "aws" }
    }

    /// The region: `settings.kit.aws.region`, else `vars.region`, else nil.
    var region: String? {
        nonEmptyString(awsSettings["region"]) ?? nonEmptyString(vars["region"])
    }

    /// `settings.kit.aws.role_arn`, or nil.
    var roleARN: String? { nonEmptyString(awsSettings["role_arn"]) }

    /// `settings.kit.aws.permissions_boundary`, or nil.
    var permissionsBoundary: String? { nonEmptyString(awsSettings["permissions_boundary"]) }

    /// `settings.kit.aws.required_tags`; none when unset. Which tag keys are required is one
    /// organisation's convention, so kit invents none: the policy checks nothing until a stack sets them.
    var requiredTags: [String] {
        guard let list = awsSettings["required_tags"]?.arrayValue else { return [] }
        return list.compactMap(\.stringValue)
    }

    /// The tag that allows a resource to be destroyed: `settings.kit.aws.destroy_tag`
    /// (`{key, value}`; a missing key is `ChatOpsManaged`, a missing value `"true"`), or nil when the
    /// component does not set it — then `aws.destroy.tagged-only` does not apply to it.
    var destroyTag: (key: String, value: String)? {
        guard let setting = awsSettings["destroy_tag"]?.objectValue else { return nil }
        let key = nonEmptyString(setting["key"]) ?? "ChatOpsManaged"
        let value = setting["value"].flatMap(AWSTagValue.text) ?? "true"
        return (key, value)
    }

    /// `settings.kit.aws.endpoint_url`: one URL for every AWS API (a local AWS API such as
    /// moto_server or LocalStack), or nil.
    var endpointURL: String? { nonEmptyString(awsSettings["endpoint_url"]) }

    /// `settings.kit.aws.max_retries`: the provider's `max_retries`, or nil. An integer ≥ 0, or a
    /// string of digits.
    var maxRetries: Int? {
        switch awsSettings["max_retries"] {
        case .int(let n)? where n >= 0: return n
        case .double(let n)? where n >= 0 && n == n.rounded(): return Int(n)
        case .string(let s)?: return Int(s).flatMap { $0 >= 0 ? $0 : nil }
        default: return nil
        }
    }

    /// The default tags the aws provider applies to this component's resources: the component's own
    /// `providers.aws.default_tags.tags` when it sets them, else the ones kit sets (`AWSDefaultTags`).
    var providerDefaultTags: [String: String] {
        if let own = awsProviderSection["default_tags"]?.objectValue?["tags"] { return AWSTagValue.map(own) }
        return usesAWSProvider ? AWSDefaultTags.tags(for: self) : [:]
    }
}

/// A non-empty string, or nil.
func nonEmptyString(_ value: JSONValue?) -> String? {
    guard let s = value?.stringValue, !s.isEmpty else { return nil }
    return s
}
