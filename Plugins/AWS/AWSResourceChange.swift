import KitPluginSDK

/// AWS tag reading on plan changes: `tags_all` (which includes provider default tags), else `tags`.
extension PlanResourceChange {
    /// The resource's tags after the change: `change.after.tags_all` (which includes provider
    /// default tags) else `change.after.tags`; nil when the resource has neither attribute
    /// (it is not taggable) or they are unknown.
    var tagsAfter: [String: String]? { Self.tags(in: after) }

    /// The resource's tags before the change (what a deleted resource carried), as `tagsAfter`.
    var tagsBefore: [String: String]? { Self.tags(in: before) }

    /// True when `tags_all` or `tags` is unknown until apply.
    var tagsUnknown: Bool {
        afterUnknown["tags_all"]?.boolValue == true || ownTagsUnknown
    }

    /// True when the resource's own `tags` is unknown until apply (wholly, or some value in it).
    var ownTagsUnknown: Bool {
        switch afterUnknown["tags"] {
        case .bool(true)?: return true
        case .object(let values)?: return values.values.contains { $0.boolValue == true }
        default: return false
        }
    }

    private static func tags(in state: JSONValue) -> [String: String]? {
        guard case .object(let object) = state else { return nil }
        if let all = object["tags_all"], case .object = all { return AWSTagValue.map(all) }
        if let tags = object["tags"] {
            if case .object = tags { return AWSTagValue.map(tags) }
            if tags.isNull, object.keys.contains("tags_all") || object.keys.contains("tags") { return [:] }
        }
        if object["tags_all"]?.isNull == true { return [:] }
        return nil
    }
}
