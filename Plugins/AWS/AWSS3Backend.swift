import KitPluginSDK

/// Completes the `s3` backend block for a component.
///
/// - `bucket`, `region`, `key` are required: missing, null or empty → an `aws.backend.s3` error naming
///   the key and `terraform.backend.s3.<key>`.
/// - `encrypt` defaults to true.
/// - Locking: `use_lockfile` and `dynamodb_table` are kept as given; when neither is set,
///   `use_lockfile: true` (terraform ≥ 1.10 native S3 locking).
/// - `assume_role: {role_arn}` from `settings.kit.aws.role_arn`, unless the backend already has
///   `assume_role` or a non-null legacy `role_arn`.
/// - `use_path_style: true` when `settings.kit.aws.endpoint_url` is set (a local AWS API) and the
///   backend does not set it; the endpoint itself reaches the backend as `AWS_ENDPOINT_URL`.
/// - Every other key (`workspace_key_prefix`, `endpoints`, `use_path_style`, `skip_*`, …) passes
///   through unchanged.
enum AWSS3Backend {
    /// The keys the s3 backend cannot do without.
    static let requiredKeys = ["bucket", "region", "key"]

    /// The complete backend map and the findings about it.
    static func adapt(_ component: AWSComponent) -> (backend: JSONValue, findings: [Finding]) {
        var backend = component.backend
        if backend["encrypt"] == nil || backend["encrypt"]?.isNull == true { backend["encrypt"] = .bool(true) }
        if isUnset(backend["use_lockfile"]) && isUnset(backend["dynamodb_table"]) {
            backend["use_lockfile"] = .bool(true)
        }
        if component.endpointURL != nil, isUnset(backend["use_path_style"]) { backend["use_path_style"] = .bool(true) }
        if let role = component.roleARN, backend["assume_role"] == nil, isUnset(backend["role_arn"]) {
            backend["assume_role"] = .object(["role_arn": .string(role)])
        }
        return (.object(backend), findings(component))
    }

    /// The `aws.backend.s3` findings: one per missing required key.
    static func findings(_ component: AWSComponent) -> [Finding] {
        guard component.backendType == "s3" else { return [] }
        let info = AWSPolicyCatalog.backendS3
        return requiredKeys.filter { isUnset(component.backend[$0]) }.map { key in
            info.finding(
                "the s3 backend has no '\(key)'",
                path: "backend.\(key)",
                hint: "set terraform.backend.s3.\(key) in the stack (globally or on the component)")
        }
    }

    private static func isUnset(_ value: JSONValue?) -> Bool {
        guard let value else { return true }
        return value.isNull || value.stringValue == ""
    }
}
