import KitPluginSDK

/// The policies the Azure plugin offers, with their default severities.
enum AzurePolicyCatalog {
    static let backendAzurerm = PolicyInfo(
        id: "azure.backend.azurerm",
        summary: "the azurerm backend has storage_account_name, container_name, key and resource_group_name",
        defaultSeverity: .error)
    static let naming = PolicyInfo(
        id: "azure.naming", summary: "storage account, key vault and container registry names follow azure's rules",
        defaultSeverity: .error)
    static let location = PolicyInfo(
        id: "azure.location", summary: "locations are public azure regions", defaultSeverity: .error)
    static let tagsRequired = PolicyInfo(
        id: "azure.tags.required", summary: "created and updated taggable resources carry the required tag keys",
        defaultSeverity: .error)
    static let storageTLS = PolicyInfo(
        id: "azure.storage.tls", summary: "storage accounts require tls 1.2 and https", defaultSeverity: .error)
    static let privateAccess = PolicyInfo(
        id: "azure.private-access",
        summary: "in prod, storage, key vault, postgresql, redis and container registry disable public network access",
        defaultSeverity: .error)
    static let aksPrivateCluster = PolicyInfo(
        id: "azure.aks.private-cluster", summary: "in prod, aks clusters are private", defaultSeverity: .error)
    static let postgresBackups = PolicyInfo(
        id: "azure.postgres.backups",
        summary: "in prod, postgresql flexible servers keep geo-redundant backups for 35 days or more",
        defaultSeverity: .error)

    /// Every policy, in a stable order.
    static let all: [PolicyInfo] = [
        backendAzurerm, naming, location, tagsRequired, storageTLS, privateAccess, aksPrivateCluster, postgresBackups,
    ]
}
