import KitPluginSDK

/// `aws.tags.required`: created and updated taggable resources carry the required tag keys
/// (`settings.kit.aws.required_tags`, default `Environment`, `Owner`, `CostCenter`).
///
/// Configuration: the tags kit sets as provider default tags (`vars.tags` plus the mapping in
/// `AWSDefaultTags`) must contain every key. Plan: `change.after.tags_all` of every created or updated
/// resource that has a tags attribute. When `tags_all` is unknown until apply (the provider computes it
/// at apply time, e.g. for a new resource without provider default tags), the resource's own `tags`
/// merged with the provider's default tags (the component's `providers.aws.default_tags`, else the ones
/// kit sets) are judged instead — that is what `tags_all` becomes. When `tags` is unknown too, the
/// check is not possible: one `info` note names those resources (`uncheckable`).
struct AWSRequiredTagsPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.tagsRequired

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        guard !component.requiredTags.isEmpty else { return [] }
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
        guard !required.isEmpty else { return [] }
        let defaults = component.providerDefaultTags
        return changes.compactMap { change in
            guard change.createsOrUpdates, let tags = Self.effectiveTags(change, defaults: defaults) else { return nil }
            let missing = required.filter { (tags[$0] ?? "").isEmpty }
            guard !missing.isEmpty else { return nil }
            return info.finding(
                "'\(change.address)' lacks required tag keys \(quotedList(missing))",
                path: change.address,
                hint: "add them to vars.tags (kit passes vars.tags as the provider's default_tags) or to the resource's tags")
        }
    }

    /// One `info` note naming the created or updated resources whose tags cannot be judged before
    /// apply (`tags` itself unknown), or none.
    func uncheckable(_ changes: [PlanResourceChange]) -> [Finding] {
        let addresses = changes.filter { $0.createsOrUpdates && $0.ownTagsUnknown }.map(\.address)
        guard !addresses.isEmpty else { return [] }
        return [Finding(
            severity: .info, policy: info.id,
            message: "required tags could not be checked before apply: the tags of \(quotedList(addresses)) are known only after apply",
            path: addresses.count == 1 ? addresses[0] : nil,
            hint: "give these resources tags known at plan time, or check them after apply")]
    }

    /// The tags to judge: `tags_all` when known; else, when only `tags_all` is unknown, `tags` over the
    /// provider's default tags; nil when the resource has no tags attribute or its tags are unknown.
    static func effectiveTags(_ change: PlanResourceChange, defaults: [String: String]) -> [String: String]? {
        if !change.tagsUnknown { return change.tagsAfter }
        guard !change.ownTagsUnknown, case .object(let after) = change.after,
              after.keys.contains("tags") || after.keys.contains("tags_all") else { return nil }
        return defaults.merging(AWSTagValue.map(after["tags"]), uniquingKeysWith: { _, own in own })
    }
}
