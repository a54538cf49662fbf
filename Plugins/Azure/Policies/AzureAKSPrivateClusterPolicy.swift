import KitPluginSDK

/// `azure.aks.private-cluster`: in production, `azurerm_kubernetes_cluster` has
/// `private_cluster_enabled = true`. Configuration: `vars.private_cluster_enabled` must not be false
/// (when set).
struct AzureAKSPrivateClusterPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.aksPrivateCluster

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        guard component.isProduction, let value = component.vars["private_cluster_enabled"],
              value.boolValue != true else { return [] }
        return [info.azureFinding(
            "vars.private_cluster_enabled is '\(azureScalarText(value) ?? "null")' in production",
            path: "vars.private_cluster_enabled", hint: "set vars.private_cluster_enabled: true")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        guard component.isProduction else { return [] }
        return changes.compactMap { change in
            guard change.type == "azurerm_kubernetes_cluster", change.createsOrUpdates else { return nil }
            let value = change.attribute("private_cluster_enabled")
            if value.isUnknown || value.value?.boolValue == true { return nil }
            return info.azureFinding(
                "'\(change.address)' has a public api server in production",
                path: change.address, hint: "set private_cluster_enabled = true")
        }
    }
}
