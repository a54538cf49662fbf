/// A JSON document as plugins see it: every request and response of the plugin ABI is one of these.
///
/// Objects are unordered; `JSONValue.serialize` sorts keys so every message is deterministic.
public indirect enum JSONValue: Equatable, Sendable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction or exponent that fits in `Int`.
    case int(Int)
    /// Any other number (never NaN or infinite: those have no JSON form).
    case double(Double)
    /// A string, as Unicode text.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object; keys are unique and unordered (serialized sorted).
    case object([String: JSONValue])

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The value at a path of object keys, or nil when any step is missing or not an object.
    public func value(at path: [String]) -> JSONValue? {
        var current = self
        for key in path {
            guard case .object(let o) = current, let next = o[key] else { return nil }
            current = next
        }
        return current
    }

    /// The string, or nil.
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    /// The bool, or nil.
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The number as an Int (doubles with no fraction count), or nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int(d)
        default: return nil
        }
    }
    /// The number as a Double, or nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    /// The array, or nil.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    /// The object, or nil.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    /// True for `null`.
    public var isNull: Bool { if case .null = self { return true }; return false }
}
