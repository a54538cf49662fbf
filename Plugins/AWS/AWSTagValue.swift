import KitPluginSDK

/// How tag maps are read from vars and from plans.
enum AWSTagValue {
    /// The text of a tag value: strings as they are, numbers and bools in their JSON spelling;
    /// nil for null, arrays and objects.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        default: return nil
        }
    }

    /// A tag map as strings (entries whose value is not a scalar are dropped).
    static func map(_ value: JSONValue?) -> [String: String] {
        guard let object = value?.objectValue else { return [:] }
        var tags: [String: String] = [:]
        for (key, value) in object {
            if let text = text(value) { tags[key] = text }
        }
        return tags
    }
}
