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

    /// `settings.kit.aws.required_tags`, default `Environment`, `Owner`, `CostCenter`.
    var requiredTags: [String] {
        guard let list = awsSettings["required_tags"]?.arrayValue else { return ["Environment", "Owner", "CostCenter"] }
        return list.compactMap(\.stringValue)
    }

    /// The tag that allows a resource to be destroyed: `settings.kit.aws.destroy_tag`
    /// (`{key, value}`), default `ChatOpsManaged = "true"`.
    var destroyTag: (key: String, value: String) {
        let setting = awsSettings["destroy_tag"]?.objectValue ?? [:]
        let key = nonEmptyString(setting["key"]) ?? "ChatOpsManaged"
        let value = setting["value"].flatMap(AWSTagValue.text) ?? "true"
        return (key, value)
    }
}

/// A non-empty string, or nil.
func nonEmptyString(_ value: JSONValue?) -> String? {
    guard let s = value?.stringValue, !s.isEmpty else { return nil }
    return s
}
