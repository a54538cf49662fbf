import KitPluginSDK

/// One entry of a plan's `resource_changes` (terraform `show -json`, format 1.x).
struct AWSResourceChange {
    /// `address`, e.g. `module.db.aws_db_instance.main[0]`.
    let address: String
    /// `type`, e.g. `aws_db_instance`.
    let type: String
    /// `mode`: `managed` or `data`.
    let mode: String
    /// `change.actions`, e.g. `["create"]`, `["delete", "create"]`.
    let actions: [String]
    /// `change.before`, null for a create.
    let before: JSONValue
    /// `change.after`, null for a delete.
    let after: JSONValue
    /// `change.after_unknown`: true (or a nested structure) where a value is known only after apply.
    let afterUnknown: JSONValue

    /// The resource changes of a plan document, managed resources only.
    static func all(in plan: JSONValue) -> [AWSResourceChange] {
        (plan["resource_changes"]?.arrayValue ?? []).compactMap { entry in
            guard let address = entry["address"]?.stringValue, let type = entry["type"]?.stringValue else { return nil }
            let mode = entry["mode"]?.stringValue ?? "managed"
            guard mode == "managed" else { return nil }
            let change = entry["change"] ?? .null
            return AWSResourceChange(
                address: address, type: type, mode: mode,
                actions: (change["actions"]?.arrayValue ?? []).compactMap(\.stringValue),
                before: change["before"] ?? .null, after: change["after"] ?? .null,
                afterUnknown: change["after_unknown"] ?? .null)
        }
    }

    /// True when the resource is created or updated (this includes the create half of a replace).
    var createsOrUpdates: Bool { actions.contains("create") || actions.contains("update") }
    /// True when the resource is deleted (a destroy, or the delete half of a replace).
    var deletes: Bool { actions.contains("delete") }
    /// True when the resource stays in the configuration after the plan (anything but a pure delete).
    var remains: Bool { !(actions == ["delete"]) }
    /// The module prefix of the address (`module.a.module.b`), empty for the root module.
    var modulePath: String {
        var parts: [String] = []
        var rest = Substring(address)
        while rest.hasPrefix("module.") {
            let afterKeyword = rest.dropFirst("module.".count)
            guard let dot = Self.firstTopLevelDot(afterKeyword) else { break }
            parts.append("module." + afterKeyword[..<dot])
            rest = afterKeyword[afterKeyword.index(after: dot)...]
        }
        return parts.joined(separator: ".")
    }

    private static func firstTopLevelDot(_ text: Substring) -> Substring.Index? {
        var depth = 0
        var inString = false
        for index in text.indices {
            switch text[index] {
            case "\"": inString.toggle()
            case "[" where !inString: depth += 1
            case "]" where !inString: depth -= 1
            case "." where !inString && depth == 0: return index
            default: break
            }
        }
        return nil
    }

    /// The planned value of a top-level attribute of `change.after`.
    func attribute(_ name: String) -> AWSPlannedValue {
        if afterUnknown[name]?.boolValue == true { return .unknown }
        guard let value = after[name], !value.isNull else { return .absent }
        return .known(value)
    }

    /// The planned value at a path inside `change.after`, where integer steps index lists
    /// (`["metadata_options", 0, "http_tokens"]`).
    func attribute(path: [AWSPathStep]) -> AWSPlannedValue {
        var value: JSONValue? = after
        var unknown: JSONValue? = afterUnknown
        for step in path {
            switch step {
            case .key(let key):
                value = value?[key]
                unknown = unknown?[key]
            case .index(let index):
                value = value?.arrayValue.flatMap { index < $0.count ? $0[index] : nil }
                unknown = unknown?.arrayValue.flatMap { index < $0.count ? $0[index] : nil }
            }
            if unknown?.boolValue == true { return .unknown }
        }
        guard let found = value, !found.isNull else { return .absent }
        return .known(found)
    }

    /// The resource's tags after the change: `change.after.tags_all` (which includes provider
    /// default tags) else `change.after.tags`; nil when the resource has neither attribute
    /// (it is not taggable) or they are unknown.
    var tagsAfter: [String: String]? { Self.tags(in: after) }

    /// The resource's tags before the change (what a deleted resource carried), as `tagsAfter`.
    var tagsBefore: [String: String]? { Self.tags(in: before) }

    /// True when `tags_all` or `tags` is unknown until apply.
    var tagsUnknown: Bool {
        afterUnknown["tags_all"]?.boolValue == true || afterUnknown["tags"]?.boolValue == true
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

/// One step of a path into a planned value.
enum AWSPathStep: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

/// A value in a plan: known, known only after apply, or absent (null / not set).
enum AWSPlannedValue {
    case known(JSONValue)
    case unknown
    case absent

    /// The known value, or nil.
    var value: JSONValue? { if case .known(let v) = self { return v }; return nil }
    /// True when the value is known only after apply.
    var isUnknown: Bool { if case .unknown = self { return true }; return false }
}
