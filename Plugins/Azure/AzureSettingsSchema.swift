import KitPluginSDK

/// The JSON Schema of `settings.kit.azure`, as `describe` reports it.
enum AzureSettingsSchema {
    private static func typed(_ type: String, _ description: String) -> JSONValue {
        .object(["type": .string(type), "description": .string(description)])
    }

    static let schema: JSONValue = .object([
        "type": .string("object"),
        "additionalProperties": .bool(false),
        "properties": .object([
            "subscription_id": typed("string", "ARM_SUBSCRIPTION_ID and the provider's subscription_id"),
            "tenant_id": typed("string", "ARM_TENANT_ID"),
            "client_id": typed("string", "ARM_CLIENT_ID"),
            "use_oidc": typed("boolean", "ARM_USE_OIDC=true and the backend's use_oidc"),
            "use_azuread_auth": typed("boolean", "the backend's use_azuread_auth (then resource_group_name is optional)"),
            "blob_endpoint": typed("string", "the storage account's blob service endpoint for kit's own state reads (!terraform.state), e.g. an emulator's http://127.0.0.1:10000/devstoreaccount1 or a sovereign cloud's https://<account>.blob.core.chinacloudapi.cn; KIT_AZURE_BLOB_ENDPOINT"),
            "required_tags": .object([
                "type": .string("array"), "items": .object(["type": .string("string")]),
                "description": .string("tag keys every taggable resource carries; default Environment, Owner, CostCenter"),
            ]),
        ]),
    ])
}
