import KitPluginSDK

/// `aws.tags.required`: created and updated taggable resources carry the required tag keys
/// (`settings.kit.aws.required_tags`, default `Environment`, `Owner`, `CostCenter`).
///
/// Configuration: the tags kit sets as provider default tags (`vars.tags` plus the mapping in
/// `AWSDefaultTags`) must contain every key. Plan: `change.after.tags_all` (else `tags`) of every
/// created or updated resource that has a tags attribute; unknown tags are skipped.
struct AWSRequiredTagsPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.tagsRequired

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        let tags = AWSDefaultTags.tags(for: component)
        let missing = component.requiredTags.filter { (tags[$0] ?? "").isEmpty }
        guard !missing.isEmpty else { return [] }
        let sources = missing.map { key in
            "vars.tags.\(key)" + (AWSDefaultTags.sourceKeys(for: key).map { " or vars.\($0)" }.joined())
        }
        return [info.finding(
            "vars.tags lacks required tag keys \(quotedList(missing))",
            path: "vars.tags",
            hint: "set \(sources.joined(separator: "; ")), or change settings.kit.aws.required_tags")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        let required = component.requiredTags
        return changes.compactMap { change in
            guard change.createsOrUpdates, !change.tagsUnknown, let tags = change.tagsAfter else { return nil }
            let missing = required.filter { (tags[$0] ?? "").isEmpty }
            guard !missing.isEmpty else { return nil }
            return info.finding(
                "'\(change.address)' lacks required tag keys \(quotedList(missing))",
                path: change.address,
                hint: "add them to vars.tags (kit passes vars.tags as the provider's default_tags) or to the resource's tags")
        }
    }
}
