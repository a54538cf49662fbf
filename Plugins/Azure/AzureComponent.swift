import KitPluginSDK

/// A read-only view of the resolved component document as the Azure plugin needs it.
struct AzureComponent {
    /// The whole resolved component document.
    let document: JSONValue

    init(_ document: JSONValue) { self.document = document }

    /// `vars`, or an empty map.
    var vars: [String: JSONValue] { document["vars"]?.objectValue ?? [:] }
    /// `env`, or an empty map.
    var env: [String: JSONValue] { document["env"]?.objectValue ?? [:] }
    /// `backend_type`, or an empty string.
    var backendType: String { document["backend_type"]?.stringValue ?? "" }
    /// `backend` (the map for `backend_type` only), or an empty map.
    var backend: [String: JSONValue] { document["backend"]?.objectValue ?? [:] }
    /// `settings.kit.azure`, or an empty map.
    var azureSettings: [String: JSONValue] { document.value(at: ["settings", "kit", "azure"])?.objectValue ?? [:] }
    /// `settings.kit.policies`, or an empty map.
    var policySettings: [String: JSONValue] { document.value(at: ["settings", "kit", "policies"])?.objectValue ?? [:] }
    /// The component's own `providers.azurerm` section, or an empty map.
    var azurermProviderSection: [String: JSONValue] { document.value(at: ["providers", "azurerm"])?.objectValue ?? [:] }

    /// True for a production component: `vars.stage` is `prod` or `production`, or
    /// `settings.kit.environment_class` is `prod`.
    var isProduction: Bool {
        if let stage = vars["stage"]?.stringValue?.lowercased(), stage == "prod" || stage == "production" { return true }
        return document.value(at: ["settings", "kit", "environment_class"])?.stringValue?.lowercased() == "prod"
    }

    /// True when the component uses the azurerm provider: `settings.kit.providers` lists `azure` or
    /// `azurerm`, or the backend type is `azurerm`.
    var usesAzurermProvider: Bool {
        if backendType == "azurerm" { return true }
        let requested = document.value(at: ["settings", "kit", "providers"])?.arrayValue ?? []
        return requested.contains { $0.stringValue == "azure" || $0.stringValue == "azurerm" }
    }

    /// `settings.kit.azure.subscription_id`, else `vars.subscription_id`, else nil.
    var subscriptionID: String? {
        azureNonEmpty(azureSettings["subscription_id"]) ?? azureNonEmpty(vars["subscription_id"])
    }

    /// `settings.kit.azure.required_tags`, default `Environment`, `Owner`, `CostCenter`.
    var requiredTags: [String] {
        guard let list = azureSettings["required_tags"]?.arrayValue else { return ["Environment", "Owner", "CostCenter"] }
        return list.compactMap(\.stringValue)
    }
}

/// A non-empty string, or nil.
func azureNonEmpty(_ value: JSONValue?) -> String? {
    guard let s = value?.stringValue, !s.isEmpty else { return nil }
    return s
}

/// Quotes a list of values for a message: `'a', 'b'`.
func azureQuotedList(_ values: [String]) -> String {
    values.map { "'\($0)'" }.joined(separator: ", ")
}

/// The text of a scalar JSON value (for messages and tag values), or nil.
func azureScalarText(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let s)?: return s
    case .bool(let b)?: return b ? "true" : "false"
    case .int(let i)?: return String(i)
    case .double(let d)?: return String(d)
    default: return nil
    }
}
