import KitPluginSDK

/// `azure.naming`: globally unique resource names follow Azure's character rules.
///
/// - storage account: 3–24 lowercase letters and digits
/// - key vault: 3–24 letters, digits and hyphens
/// - container registry: 5–50 letters and digits
///
/// Plan: `name` of created or updated `azurerm_storage_account`, `azurerm_key_vault`,
/// `azurerm_container_registry`. Configuration: `vars.storage_account_name`, `vars.key_vault_name`,
/// `vars.container_registry_name`.
struct AzureNamingPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.naming

    /// One naming rule.
    struct Rule: Sendable {
        let what: String
        let resourceType: String
        let varName: String
        let lengths: ClosedRange<Int>
        let allowed: @Sendable (Character) -> Bool
        let allowedText: String

        /// True when `name` follows the rule.
        func accepts(_ name: String) -> Bool {
            lengths.contains(name.count) && name.allSatisfy(allowed)
        }

        /// The finding text for a bad name.
        func problem(_ name: String) -> String {
            "\(what) name '\(name)' must be \(lengths.lowerBound)–\(lengths.upperBound) \(allowedText) (it has \(name.count) characters)"
        }
    }

    private static func isLowerOrDigit(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
    private static func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    static let rules: [Rule] = [
        Rule(what: "storage account", resourceType: "azurerm_storage_account", varName: "storage_account_name",
             lengths: 3...24, allowed: { isLowerOrDigit($0) }, allowedText: "lowercase letters and digits"),
        Rule(what: "key vault", resourceType: "azurerm_key_vault", varName: "key_vault_name",
             lengths: 3...24, allowed: { isAlphanumeric($0) || $0 == "-" }, allowedText: "letters, digits and hyphens"),
        Rule(what: "container registry", resourceType: "azurerm_container_registry", varName: "container_registry_name",
             lengths: 5...50, allowed: { isAlphanumeric($0) }, allowedText: "letters and digits"),
    ]

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        Self.rules.compactMap { rule in
            guard let name = component.vars[rule.varName]?.stringValue, !rule.accepts(name) else { return nil }
            return info.azureFinding(rule.problem(name), path: "vars.\(rule.varName)",
                                     hint: "rename it in vars.\(rule.varName)")
        }
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        changes.compactMap { change in
            guard change.createsOrUpdates, let rule = Self.rules.first(where: { $0.resourceType == change.type }),
                  let name = change.attribute("name").value?.stringValue, !rule.accepts(name) else { return nil }
            return info.azureFinding("'\(change.address)': \(rule.problem(name))", path: change.address,
                                     hint: "change the name the component builds for it")
        }
    }
}
