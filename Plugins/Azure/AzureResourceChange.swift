import KitPluginSDK

/// Azure tag reading on plan changes: `tags` (azurerm has no provider default tags).
extension PlanResourceChange {
    /// The resource's `tags` after the change; nil when the resource has no tags attribute (it is not
    /// taggable). A null `tags` counts as no tags.
    var tagsAfter: [String: String]? {
        guard case .object(let object) = after, let tags = object["tags"] else { return nil }
        guard case .object(let map) = tags else { return [:] }
        return map.compactMapValues { azureScalarText($0) }
    }

    /// True when `tags` is unknown until apply.
    var tagsUnknown: Bool { afterUnknown["tags"]?.boolValue == true }
}
