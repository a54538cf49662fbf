import KitPluginSDK

/// `aws.destroy.tagged-only`: only resources tagged `ChatOpsManaged = "true"` may be deleted
/// (key and value from `settings.kit.aws.destroy_tag`).
///
/// Applies only to components whose `settings.kit.aws.destroy_tag` is set (the ChatOps catalog sets
/// it), and only for the `destroy` operation (an apply that replaces a resource is not a destroy).
/// Configuration: the component's default tags must carry the tag.
/// Plan: every deleted resource of a type that can carry tags must have carried the tag in
/// `change.before.tags_all` (else `tags`). Whether a type can carry tags comes from the aws provider's
/// schema (`AWSTaggableResourceTypes`); a type the table does not know counts as taggable when its
/// state has a `tags` or `tags_all` attribute. Resources that cannot carry tags (API Gateway v2 routes,
/// `aws_iam_role_policy`, `aws_lambda_permission`, …) are not judged.
struct AWSDestroyTaggedOnlyPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.destroyTaggedOnly

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        guard operation == "destroy", let (key, value) = component.destroyTag else { return [] }
        guard AWSDefaultTags.tags(for: component)[key] != value else { return [] }
        return [info.finding(
            "destroy needs tag '\(key)' = '\(value)' on the component, vars.tags does not carry it",
            path: "vars.tags.\(key)",
            hint: "set vars.tags.\(key): \"\(value)\" and apply it before destroying")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        guard operation == "destroy", let (key, value) = component.destroyTag else { return [] }
        let blocked = changes.filter { $0.deletes && Self.canCarryTags($0) && $0.tagsBefore?[key] != value }.map(\.address)
        guard !blocked.isEmpty else { return [] }
        let noun = blocked.count == 1 ? "resource" : "resources"
        let verb = blocked.count == 1 ? "lacks" : "lack"
        return [info.finding(
            "\(blocked.count) \(noun) to delete \(verb) tag '\(key)' = '\(value)': \(quotedList(blocked))",
            path: blocked.count == 1 ? blocked[0] : nil,
            hint: "tag them \(key) = \"\(value)\" and apply before deleting, or remove them from the plan")]
    }

    /// True when the resource's type has a `tags` attribute in the aws provider's schema; for a type
    /// the table does not list (a newer provider), when its prior state has `tags` or `tags_all`.
    static func canCarryTags(_ change: PlanResourceChange) -> Bool {
        if AWSTaggableResourceTypes.names.contains(change.type) { return true }
        if AWSTaggableResourceTypes.untaggable.contains(change.type) { return false }
        guard let before = change.before.objectValue else { return false }
        return (before["tags"] != nil || before["tags_all"] != nil)
    }
}
