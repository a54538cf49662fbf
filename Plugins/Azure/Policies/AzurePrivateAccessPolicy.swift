import KitPluginSDK

/// `azure.private-access`: in production, data services disable public network access.
///
/// Plan, created or updated `azurerm_storage_account`, `azurerm_key_vault`,
/// `azurerm_postgresql_flexible_server`, `azurerm_redis_cache`, `azurerm_container_registry`:
/// `public_network_access_enabled` must be false (unset counts as true, the provider's default; a value
/// known only after apply is skipped). Configuration: `vars.public_network_access_enabled` must not be
/// true (when set).
struct AzurePrivateAccessPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.privateAccess
    static let resourceTypes: Set<String> = [
        "azurerm_storage_account", "azurerm_key_vault", "azurerm_postgresql_flexible_server",
        "azurerm_redis_cache", "azurerm_container_registry",
    ]

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        guard component.isProduction, component.vars["public_network_access_enabled"]?.boolValue == true else { return [] }
        return [info.azureFinding(
            "vars.public_network_access_enabled is 'true' in production",
            path: "vars.public_network_access_enabled",
            hint: "set vars.public_network_access_enabled: false and reach the service through a private endpoint")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        guard component.isProduction else { return [] }
        return changes.compactMap { change in
            guard Self.resourceTypes.contains(change.type), change.createsOrUpdates else { return nil }
            let access = change.attribute("public_network_access_enabled")
            if access.isUnknown || access.value?.boolValue == false { return nil }
            return info.azureFinding(
                "'\(change.address)' allows public network access in production",
                path: change.address,
                hint: "set public_network_access_enabled = false and add a private endpoint")
        }
    }
}
