import KitPluginSDK

/// Converts between the kernel's `Value` and the plugin SDK's `JSONValue`.
public enum ValueJSON {
    public static func convert(_ v: Value) -> JSONValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let l): return .array(l.map(convert))
        case .map(let m): return .object(m.mapValues(convert))
        case .tagged(_, let inner): return convert(inner)
        }
    }

    public static func convert(_ j: JSONValue) -> Value {
        switch j {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let a): return .list(a.map(convert))
        case .object(let o): return .map(o.mapValues(convert))
        }
    }
}

extension JSONValue {
    /// Parses a byte array.
    package static func parse(bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) }
    }
}
