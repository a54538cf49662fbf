import KitPluginSDK

/// `aws.destroy.tagged-only`: only resources tagged `ChatOpsManaged = "true"` may be deleted
/// (key and value from `settings.kit.aws.destroy_tag`).
///
/// Only for the `destroy` operation (ChatOps destroys; an apply that replaces a resource is not a destroy).
/// Configuration: the component's default tags must carry the tag.
/// Plan: every resource change whose actions include `delete` must have carried the tag in
/// `change.before.tags_all` (else `tags`); resources with no tags at all block too.
struct AWSDestroyTaggedOnlyPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.destroyTaggedOnly

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        guard operation == "destroy" else { return [] }
        let (key, value) = component.destroyTag
        guard AWSDefaultTags.tags(for: component)[key] != value else { return [] }
        return [info.finding(
            "destroy needs tag '\(key)' = '\(value)' on the component, vars.tags does not carry it",
            path: "vars.tags.\(key)",
            hint: "set vars.tags.\(key): \"\(value)\" and apply it before destroying")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        guard operation == "destroy" else { return [] }
        let (key, value) = component.destroyTag
        let blocked = changes.filter { $0.deletes && $0.tagsBefore?[key] != value }.map(\.address)
        guard !blocked.isEmpty else { return [] }
        let noun = blocked.count == 1 ? "resource" : "resources"
        let verb = blocked.count == 1 ? "lacks" : "lack"
        return [info.finding(
            "\(blocked.count) \(noun) to delete \(verb) tag '\(key)' = '\(value)': \(quotedList(blocked))",
            path: blocked.count == 1 ? blocked[0] : nil,
            hint: "tag them \(key) = \"\(value)\" and apply before deleting, or remove them from the plan")]
    }
}
