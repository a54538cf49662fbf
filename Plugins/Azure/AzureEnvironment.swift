import KitPluginSDK

/// The environment variables the Azure plugin gives terraform, from `settings.kit.azure`:
/// `ARM_SUBSCRIPTION_ID` ← `subscription_id`, `ARM_TENANT_ID` ← `tenant_id`, `ARM_CLIENT_ID` ←
/// `client_id`, `ARM_USE_OIDC=true` when `use_oidc` is true, and `KIT_AZURE_BLOB_ENDPOINT` ←
/// `blob_endpoint` (read by the plugin's own `read_state`; terraform's azurerm backend has no such
/// setting and ignores the variable).
///
/// The component's `env` section wins: a variable it sets is never produced here. None is secret
/// (ids and endpoints are not credentials; no client secret is ever produced).
enum AzureEnvironment {
    /// The variables, sorted by name.
    static func variables(for component: AzureComponent) -> [EnvVar] {
        let settings = component.azureSettings
        var result: [String: String] = [:]
        if let id = azureNonEmpty(settings["subscription_id"]) { result["ARM_SUBSCRIPTION_ID"] = id }
        if let id = azureNonEmpty(settings["tenant_id"]) { result["ARM_TENANT_ID"] = id }
        if let id = azureNonEmpty(settings["client_id"]) { result["ARM_CLIENT_ID"] = id }
        if settings["use_oidc"]?.boolValue == true { result["ARM_USE_OIDC"] = "true" }
        if let endpoint = azureNonEmpty(settings["blob_endpoint"]) { result["KIT_AZURE_BLOB_ENDPOINT"] = endpoint }
        return result.keys.sorted()
            .filter { component.env[$0] == nil }
            .map { EnvVar(name: $0, value: result[$0]!, secret: false) }
    }
}
