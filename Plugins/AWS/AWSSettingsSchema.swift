import KitPluginSDK

/// The JSON Schema of `settings.kit.aws`, as `describe` reports it.
enum AWSSettingsSchema {
    private static func string(_ description: String) -> JSONValue {
        .object(["type": .string("string"), "description": .string(description)])
    }

    static let schema: JSONValue = .object([
        "type": .string("object"),
        "additionalProperties": .bool(false),
        "properties": .object([
            "profile": string("AWS_PROFILE for terraform"),
            "region": string("region for AWS_REGION, AWS_DEFAULT_REGION and the provider; default vars.region"),
            "role_arn": string("role assumed by the s3 backend and the aws provider"),
            "permissions_boundary": string("permissions boundary ARN required on iam roles and passed as -var permissions_boundary"),
            "required_tags": .object([
                "type": .string("array"), "items": .object(["type": .string("string")]),
                "description": .string("tag keys every taggable resource carries; default Environment, Owner, CostCenter"),
            ]),
            "destroy_tag": .object([
                "type": .string("object"),
                "description": .string("the tag a resource needs before it may be deleted; aws.destroy.tagged-only applies only where this is set"),
                "properties": .object(["key": string("tag key"), "value": string("tag value")]),
            ]),
            "endpoint_url": string("one endpoint for every AWS API (a local API such as moto_server): AWS_ENDPOINT_URL for the provider and the s3 backend, path-style S3, no instance metadata"),
            "max_retries": .object([
                "type": .array([.string("integer"), .string("string")]),
                "description": .string("the aws provider's max_retries (caps retries of failing API calls)"),
            ]),
            "enforce_public_ingress": .object([
                "type": .string("boolean"),
                "description": .string("make aws.sg.public-ingress an error instead of a warning"),
            ]),
        ]),
    ])
}
