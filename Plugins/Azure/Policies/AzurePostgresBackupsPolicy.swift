import KitPluginSDK

/// `azure.postgres.backups`: in production, `azurerm_postgresql_flexible_server` has
/// `geo_redundant_backup_enabled = true` and `backup_retention_days` of 35 or more.
/// Configuration: `vars.geo_redundant_backup_enabled` and `vars.backup_retention_days` (when set).
struct AzurePostgresBackupsPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.postgresBackups
    static let minimumRetentionDays = 35

    private func problems(_ value: (String) -> PlannedValue) -> [(key: String, text: String, fix: String)] {
        var found: [(String, String, String)] = []
        let geo = value("geo_redundant_backup_enabled")
        if !geo.isUnknown, geo.value?.boolValue != true {
            found.append(("geo_redundant_backup_enabled",
                          "geo_redundant_backup_enabled is '\(azureScalarText(geo.value) ?? "unset")' in production",
                          "geo_redundant_backup_enabled = true"))
        }
        let days = value("backup_retention_days")
        if !days.isUnknown, (days.value?.intValue ?? 7) < Self.minimumRetentionDays {
            found.append(("backup_retention_days",
                          "backup_retention_days is '\(azureScalarText(days.value) ?? "unset (7)")' in production, below \(Self.minimumRetentionDays)",
                          "backup_retention_days = \(Self.minimumRetentionDays)"))
        }
        return found
    }

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        guard component.isProduction else { return [] }
        let vars = component.vars
        // Only the keys that are set: an absent var is the module's business.
        return problems { key in vars[key].map { $0.isNull ? .absent : .known($0) } ?? .unknown }
            .map { info.azureFinding("vars.\($0.text)", path: "vars.\($0.key)", hint: "set vars.\($0.fix)") }
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        guard component.isProduction else { return [] }
        return changes.filter { $0.type == "azurerm_postgresql_flexible_server" && $0.createsOrUpdates }.flatMap { change in
            problems { change.attribute($0) }.map {
                info.azureFinding("'\(change.address)': \($0.text)", path: change.address, hint: "set \($0.fix)")
            }
        }
    }
}
