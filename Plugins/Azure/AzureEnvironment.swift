import KitPluginSDK

/// The environment variables the Azure plugin gives terraform, from `settings.kit.azure`:
/// `ARM_SUBSCRIPTION_ID` ← `subscription_id`, `ARM_TENANT_ID` ← `tenant_id`, `ARM_CLIENT_ID` ←
/// `client_id`, `ARM_USE_OIDC=true` when `use_oidc` is true.
///
/// The component's `env` section wins: a variable it sets is never produced here. None is secret
/// (ids are not credentials; no client secret is ever produced).
enum AzureEnvironment {
    /// The variables, sorted by name.
    static func variables(for component: AzureComponent) -> [EnvVar] {
        let settings = component.azureSettings
        var result: [String: String] = [:]
        if let id = azureNonEmpty(settings["subscription_id"]) { result["ARM_SUBSCRIPTION_ID"] = id }
        if let id = azureNonEmpty(settings["tenant_id"]) { result["ARM_TENANT_ID"] = id }
        if let id = azureNonEmpty(settings["client_id"]) { result["ARM_CLIENT_ID"] = id }
        if settings["use_oidc"]?.boolValue == true { result["ARM_USE_OIDC"] = "true" }
        return result.keys.sorted()
            .filter { component.env[$0] == nil }
            .map { EnvVar(name: $0, value: result[$0]!, secret: false) }
    }
}
