import KitPluginSDK

/// The `aws` provider override: `{"aws": {"region", "default_tags": {"tags"}, "assume_role": {"role_arn"}}}`.
///
/// Produced only when the component uses the aws provider (`settings.kit.providers` lists `aws`, or the
/// backend type is `s3`). `region` ← `settings.kit.aws.region` else `vars.region`; `default_tags` ←
/// `AWSDefaultTags`; `assume_role` ← `settings.kit.aws.role_arn`; `max_retries` ←
/// `settings.kit.aws.max_retries`. With `settings.kit.aws.endpoint_url` (a local AWS API, reached
/// through `AWS_ENDPOINT_URL`): `s3_use_path_style = true` (bucket names cannot be host names of a
/// loopback address) and `skip_metadata_api_check = true` (no instance metadata service to ask for
/// credentials). Keys with no value are left out, and so are keys the component's own `providers.aws`
/// section already sets (the stack wins).
enum AWSProviderOverride {
    /// The override document, or nil when there is nothing to override.
    static func override(for component: AWSComponent) -> JSONValue? {
        guard component.usesAWSProvider else { return nil }
        var aws: [String: JSONValue] = [:]
        if let region = component.region { aws["region"] = .string(region) }
        let tags = AWSDefaultTags.tags(for: component)
        if !tags.isEmpty {
            aws["default_tags"] = .object(["tags": .object(tags.mapValues { .string($0) })])
        }
        if let role = component.roleARN { aws["assume_role"] = .object(["role_arn": .string(role)]) }
        if let retries = component.maxRetries { aws["max_retries"] = .int(retries) }
        if component.endpointURL != nil {
            aws["s3_use_path_style"] = .bool(true)
            aws["skip_metadata_api_check"] = .bool(true)
        }
        for key in component.awsProviderSection.keys { aws[key] = nil }
        return aws.isEmpty ? nil : .object(["aws": .object(aws)])
    }

    /// Operations whose terraform command accepts `-var`. `apply` (and `deploy`, which is an apply)
    /// is one: without a saved planfile kit plans it (plan, review, apply the reviewed plan), and that
    /// plan needs the variable; when kit applies a saved planfile it leaves `-var` arguments out itself.
    static let varOperations: Set<String> = ["plan", "apply", "destroy", "refresh", "import", "console"]

    /// `-var permissions_boundary=<arn>` when `settings.kit.aws.permissions_boundary` is set and the
    /// component declares `vars.permissions_boundary` as null or empty.
    static func arguments(for component: AWSComponent, operation: Operation) -> [String] {
        guard varOperations.contains(operation), let boundary = component.permissionsBoundary,
              let declared = component.vars["permissions_boundary"],
              declared.isNull || declared.stringValue == "" else { return [] }
        return ["-var", "permissions_boundary=\(boundary)"]
    }
}
