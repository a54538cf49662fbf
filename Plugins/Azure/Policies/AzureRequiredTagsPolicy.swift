import KitPluginSDK

/// `azure.tags.required`: created and updated taggable resources carry the required tag keys
/// (`settings.kit.azure.required_tags`, default `Environment`, `Owner`, `CostCenter`).
///
/// azurerm has no provider default tags, so the configuration check is strict: `vars.tags` itself
/// must hold every key. Plan: `tags` of every created or updated resource that has a tags attribute.
struct AzureRequiredTagsPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.tagsRequired

    private static func missing(_ required: [String], in tags: [String: String]) -> [String] {
        required.filter { (tags[$0] ?? "").isEmpty }
    }

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        let tags = (component.vars["tags"]?.objectValue ?? [:]).compactMapValues { azureScalarText($0) }
        let missing = Self.missing(component.requiredTags, in: tags)
        guard !missing.isEmpty else { return [] }
        return [info.azureFinding(
            "vars.tags lacks required tag keys \(azureQuotedList(missing))",
            path: "vars.tags",
            hint: "set \(missing.map { "vars.tags.\($0)" }.joined(separator: ", ")), or change settings.kit.azure.required_tags")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        changes.compactMap { change in
            guard change.createsOrUpdates, !change.tagsUnknown, let tags = change.tagsAfter else { return nil }
            let missing = Self.missing(component.requiredTags, in: tags)
            guard !missing.isEmpty else { return nil }
            return info.azureFinding(
                "'\(change.address)' lacks required tag keys \(azureQuotedList(missing))",
                path: change.address, hint: "pass var.tags to the resource's tags and set the keys in vars.tags")
        }
    }
}
