/// One entry of a plan's `resource_changes` (terraform `show -json`, format 1.x), for guardrails.
public struct PlanResourceChange: Sendable {
    /// `address`, e.g. `module.db.aws_db_instance.main[0]`.
    public let address: String
    /// `type`, e.g. `aws_db_instance`.
    public let type: String
    /// `mode`: `managed` or `data`.
    public let mode: String
    /// `change.actions`, e.g. `["create"]`, `["delete", "create"]`.
    public let actions: [String]
    /// `change.before`, null for a create.
    public let before: JSONValue
    /// `change.after`, null for a delete.
    public let after: JSONValue
    /// `change.after_unknown`: true (or a nested structure) where a value is known only after apply.
    public let afterUnknown: JSONValue

    /// The resource changes of a plan document, managed resources only.
    public static func all(in plan: JSONValue) -> [PlanResourceChange] {
        (plan["resource_changes"]?.arrayValue ?? []).compactMap { entry in
            guard let address = entry["address"]?.stringValue, let type = entry["type"]?.stringValue else { return nil }
            let mode = entry["mode"]?.stringValue ?? "managed"
            guard mode == "managed" else { return nil }
            let change = entry["change"] ?? .null
            return PlanResourceChange(
                address: address, type: type, mode: mode,
                actions: (change["actions"]?.arrayValue ?? []).compactMap(\.stringValue),
                before: change["before"] ?? .null, after: change["after"] ?? .null,
                afterUnknown: change["after_unknown"] ?? .null)
        }
    }

    /// True when the resource is created or updated (this includes the create half of a replace).
    public var createsOrUpdates: Bool { actions.contains("create") || actions.contains("update") }
    /// True when the resource is deleted (a destroy, or the delete half of a replace).
    public var deletes: Bool { actions.contains("delete") }
    /// True when the resource stays in the configuration after the plan (anything but a pure delete).
    public var remains: Bool { !(actions == ["delete"]) }
    /// The module prefix of the address (`module.a.module.b`), empty for the root module.
    public var modulePath: String {
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
    public func attribute(_ name: String) -> PlannedValue {
        if afterUnknown[name]?.boolValue == true { return .unknown }
        guard let value = after[name], !value.isNull else { return .absent }
        return .known(value)
    }

    /// The planned value at a path inside `change.after`, where integer steps index lists
    /// (`["metadata_options", 0, "http_tokens"]`).
    public func attribute(path: [PlanPathStep]) -> PlannedValue {
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
}

/// One step of a path into a planned value.
public enum PlanPathStep: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, Sendable {
    /// A key of an object, e.g. `"tags"`.
    case key(String)
    /// A position in an array, from 0.
    case index(Int)

    /// A string literal is a key: `["tags", "Owner"]`.
    public init(stringLiteral value: String) { self = .key(value) }
    /// An integer literal is an index: `["ingress", 0, "cidr_blocks"]`.
    public init(integerLiteral value: Int) { self = .index(value) }
}

/// A value in a plan: known, known only after apply, or absent (null / not set).
public enum PlannedValue: Sendable {
    /// The planned value (not null).
    case known(JSONValue)
    /// Known only after apply (`after_unknown` marks it).
    case unknown
    /// Null or not set.
    case absent

    /// The known value, or nil.
    public var value: JSONValue? { if case .known(let v) = self { return v }; return nil }
    /// True when the value is known only after apply.
    public var isUnknown: Bool { if case .unknown = self { return true }; return false }
}
