import KitPluginSDK

/// The `azurerm` provider override: `{"azurerm": {"features": {}, "subscription_id": …}}`.
///
/// Produced only when the component uses the azurerm provider (`settings.kit.providers` lists `azure`
/// or `azurerm`, or the backend type is `azurerm`). `subscription_id` ← `settings.kit.azure.subscription_id`
/// else `vars.subscription_id`, left out when neither is set. Keys the component's own
/// `providers.azurerm` section sets are left out (the stack wins).
enum AzureProviderOverride {
    /// The override document, or nil when the component does not use azurerm.
    static func override(for component: AzureComponent) -> JSONValue? {
        guard component.usesAzurermProvider else { return nil }
        var azurerm: [String: JSONValue] = ["features": .object([:])]
        if let id = component.subscriptionID { azurerm["subscription_id"] = .string(id) }
        for key in component.azurermProviderSection.keys { azurerm[key] = nil }
        return azurerm.isEmpty ? nil : .object(["azurerm": .object(azurerm)])
    }
}
