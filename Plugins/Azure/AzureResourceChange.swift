import KitPluginSDK

/// One entry of a plan's `resource_changes` (terraform `show -json`, format 1.x).
struct AzureResourceChange {
    /// `address`, e.g. `module.db.azurerm_storage_account.main[0]`.
    let address: String
    /// `type`, e.g. `azurerm_storage_account`.
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
    static func all(in plan: JSONValue) -> [AzureResourceChange] {
        (plan["resource_changes"]?.arrayValue ?? []).compactMap { entry in
            guard let address = entry["address"]?.stringValue, let type = entry["type"]?.stringValue else { return nil }
            let mode = entry["mode"]?.stringValue ?? "managed"
            guard mode == "managed" else { return nil }
            let change = entry["change"] ?? .null
            return AzureResourceChange(
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
    /// The planned value of a top-level attribute of `change.after`.
    func attribute(_ name: String) -> AzurePlannedValue {
        if afterUnknown[name]?.boolValue == true { return .unknown }
        guard let value = after[name], !value.isNull else { return .absent }
        return .known(value)
    }

    /// The planned value at a path inside `change.after`, where integer steps index lists
    /// (`["metadata_options", 0, "http_tokens"]`).
    func attribute(path: [AzurePathStep]) -> AzurePlannedValue {
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

/// One step of a path into a planned value.
enum AzurePathStep: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

/// A value in a plan: known, known only after apply, or absent (null / not set).
enum AzurePlannedValue {
    case known(JSONValue)
    case unknown
    case absent

    /// The known value, or nil.
    var value: JSONValue? { if case .known(let v) = self { return v }; return nil }
    /// True when the value is known only after apply.
    var isUnknown: Bool { if case .unknown = self { return true }; return false }
}
