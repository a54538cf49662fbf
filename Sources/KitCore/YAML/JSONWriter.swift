/// Writes `Value`s as JSON with sorted keys: pretty (2-space indent, trailing newline) or compact.
public enum JSONWriter {
    /// Pretty JSON with 2-space indentation, sorted keys and a trailing newline.
    public static func pretty(_ value: Value) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(value, into: &out, indent: 0, pretty: true)
        out.append("\n")
        return out
    }

    /// Compact JSON with sorted keys and no trailing newline.
    public static func compact(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: 0, pretty: false)
        return out
    }

    /// Appends the JSON for `value` to `out`.
    public static func write(_ value: Value, into out: inout String, indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(String(i))
        case .double(let d): out.append(format(double: d))
        case .string(let s): writeString(s, into: &out)
        case .tagged(_, let inner): write(inner, into: &out, indent: indent, pretty: pretty)
        case .list(let items):
            if items.isEmpty { out.append("[]"); return }
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                if pretty { newline(&out, indent + 2) }
                write(item, into: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append("]")
        case .map(let m):
            if m.isEmpty { out.append("{}"); return }
            out.append("{")
            for (i, key) in m.keys.sorted().enumerated() {
                if i > 0 { out.append(",") }
                if pretty { newline(&out, indent + 2) }
                writeString(key, into: &out)
                out.append(pretty ? ": " : ":")
                write(m[key]!, into: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append("}")
        }
    }

    @inline(__always) private static func newline(_ out: inout String, _ n: Int) {
        out.append("\n")
        out.append(String(repeating: " ", count: n))
    }

    /// A double as JSON: integral values keep no fraction when they fit, non-finite become null.
    public static func format(double d: Double) -> String {
        if !d.isFinite { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    /// Appends `s` as a JSON string literal.
    public static func writeString(_ s: String, into out: inout String) {
        out.append("\"")
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { needsEscape = true; break }
        if !needsEscape {
            out.append(s)
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out.append("\"")
    }
}
