/// A stack value: what a YAML node becomes once parsed, and what the resolver merges.
///
/// Maps are unordered dictionaries; every emitter sorts keys, so output is deterministic.
/// `tagged` carries a YAML tag the kernel resolves at merge time (today only `!append` on a
/// sequence); YAML functions such as `!env X` are kept as the plain string `"!env X"`, as atmos does.
public enum Value: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case map([String: Value])
    indirect case tagged(String, Value)

    /// The empty map.
    public static let emptyMap = Value.map([:])

    /// The map's entries, or nil when this is not a map.
    @inlinable public var mapValue: [String: Value]? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The list's items, or nil when this is not a list (an `!append` list counts as a list).
    @inlinable public var listValue: [Value]? {
        switch self {
        case .list(let l): return l
        case .tagged(_, let inner): return inner.listValue
        default: return nil
        }
    }

    /// The string, or nil when this is not a string.
    @inlinable public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The bool, or nil when this is not a bool.
    @inlinable public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// True for `null`.
    @inlinable public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value at `key` when this is a map.
    @inlinable public subscript(key: String) -> Value? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    /// The value at a path of map keys.
    public func value(at path: [String]) -> Value? {
        var current = self
        for key in path {
            guard case .map(let m) = current, let next = m[key] else { return nil }
            current = next
        }
        return current
    }

    /// A name for the value's type, as used in error messages ("map", "list", "string", …).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "string"
        case .list: return "list"
        case .map: return "map"
        case .tagged(let tag, _): return tag
        }
    }

    /// The value as a plain string for interpolation (`%v` in Go terms): scalars print as text,
    /// null prints as an empty string, lists and maps print as compact JSON.
    public var interpolated: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.format(double: d)
        case .string(let s): return s
        case .list, .map, .tagged: return JSONWriter.compact(self)
        }
    }
}
