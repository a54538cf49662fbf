import KitPluginSDK

/// Completes the `azurerm` backend block for a component.
///
/// - `storage_account_name`, `container_name`, `key` are required; `resource_group_name` too, except
///   with Azure AD authentication (`use_azuread_auth: true`), where terraform reads the blob with the
///   caller's identity and never needs the account's access keys, so no resource group. Missing, null
///   or empty → an `azure.backend.azurerm` error naming the key and `terraform.backend.azurerm.<key>`.
/// - `use_azuread_auth` and `use_oidc` come from `settings.kit.azure` unless the backend sets them.
/// - Every other key passes through unchanged.
enum AzurermBackend {
    /// The keys the azurerm backend always needs.
    static let requiredKeys = ["storage_account_name", "container_name", "key"]

    /// The complete backend map and the findings about it.
    static func adapt(_ component: AzureComponent) -> (backend: JSONValue, findings: [Finding]) {
        (.object(completed(component)), findings(component))
    }

    private static func completed(_ component: AzureComponent) -> [String: JSONValue] {
        var backend = component.backend
        for key in ["use_azuread_auth", "use_oidc"] where backend[key] == nil {
            if let flag = component.azureSettings[key]?.boolValue { backend[key] = .bool(flag) }
        }
        return backend
    }

    /// The `azure.backend.azurerm` findings: one per missing required key.
    static func findings(_ component: AzureComponent) -> [Finding] {
        guard component.backendType == "azurerm" else { return [] }
        let backend = completed(component)
        var required = requiredKeys
        if backend["use_azuread_auth"]?.boolValue != true { required.append("resource_group_name") }
        let info = AzurePolicyCatalog.backendAzurerm
        return required.filter { azureNonEmpty(backend[$0]) == nil }.map { key in
            info.azureFinding(
                "the azurerm backend has no '\(key)'",
                path: "backend.\(key)",
                hint: key == "resource_group_name"
                    ? "set terraform.backend.azurerm.resource_group_name, or use_azuread_auth: true (settings.kit.azure.use_azuread_auth)"
                    : "set terraform.backend.azurerm.\(key) in the stack (globally or on the component)")
        }
    }
}
