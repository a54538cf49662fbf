import KitPluginSDK

/// `azure.storage.tls`: storage accounts accept only TLS 1.2 or newer, over HTTPS only.
///
/// Plan, created or updated `azurerm_storage_account`: `min_tls_version` is `TLS1_2` (or `TLS1_3`)
/// when set (the provider's default is `TLS1_2`); `https_traffic_only_enabled` (azurerm 4.x) or
/// `enable_https_traffic_only` (3.x) is not false. Configuration: `vars.min_tls_version`,
/// `vars.https_traffic_only_enabled`, `vars.enable_https_traffic_only` (each only when set).
struct AzureStorageTLSPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.storageTLS
    static let acceptedVersions: Set<String> = ["TLS1_2", "TLS1_3"]
    static let httpsKeys = ["https_traffic_only_enabled", "enable_https_traffic_only"]

    private func problems(_ value: (String) -> JSONValue?) -> [(key: String, text: String, fix: String)] {
        var found: [(String, String, String)] = []
        if let version = value("min_tls_version")?.stringValue, !Self.acceptedVersions.contains(version) {
            found.append(("min_tls_version", "min_tls_version is '\(version)'", "min_tls_version = \"TLS1_2\""))
        }
        for key in Self.httpsKeys where value(key)?.boolValue == false {
            found.append((key, "\(key) is 'false', plain http is accepted", "\(key) = true"))
        }
        return found
    }

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        problems { component.vars[$0] }.map { problem in
            info.azureFinding("vars.\(problem.text)", path: "vars.\(problem.key)", hint: "set vars.\(problem.fix)")
        }
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        changes.filter { $0.type == "azurerm_storage_account" && $0.createsOrUpdates }.flatMap { change in
            problems { change.attribute($0).value }.map { problem in
                info.azureFinding("'\(change.address)': \(problem.text)", path: change.address, hint: "set \(problem.fix)")
            }
        }
    }
}
