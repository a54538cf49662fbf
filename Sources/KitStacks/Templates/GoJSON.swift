import KitModel
/// JSON as Go's `encoding/json` writes and reads it for `toJson`, `toPrettyJson` and `fromJson`:
/// sorted map keys, `<`, `>`, `&` escaped as `\u003c` etc., floats in Go's shortest form, and
/// every decoded number a float64.
enum GoJSON {
    /// `json.Marshal` (compact) or `json.MarshalIndent(v, "", "  ")` (pretty).
    /// `escapeHTML: false` is Sprig's `toRawJson` (an encoder with `SetEscapeHTML(false)`).
    static func encode(_ value: Value, pretty: Bool, escapeHTML: Bool = true) -> String {
        var out = ""
        write(value, into: &out, indent: 0, pretty: pretty, escapeHTML: escapeHTML)
        return out
    }

    private static func write(_ value: Value, into out: inout String, indent: Int, pretty: Bool, escapeHTML: Bool) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += GoFormat.formatJSON(d)
        case .string(let s): writeString(s, into: &out, escapeHTML: escapeHTML)
        case .tagged(_, let inner): write(inner, into: &out, indent: indent, pretty: pretty, escapeHTML: escapeHTML)
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                write(item, into: &out, indent: indent + 2, pretty: pretty, escapeHTML: escapeHTML)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "]"
        case .map(let m):
            if m.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in m.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                writeString(key, into: &out, escapeHTML: escapeHTML)
                out += pretty ? ": " : ":"
                write(m[key]!, into: &out, indent: indent + 2, pretty: pretty, escapeHTML: escapeHTML)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String, escapeHTML: Bool) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where escapeHTML: out += "\\u003c"
            case ">" where escapeHTML: out += "\\u003e"
            case "&" where escapeHTML: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text; numbers become floats as in Go's `interface{}` decoding. Nil when invalid.
    static func decode(_ text: String) -> Value? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let value = parser.parseValue() else { return nil }
        parser.skipSpace()
        return parser.pos == parser.bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var pos = 0
        /// Open arrays and objects; deeper than the standard `max_depth` is refused as invalid, so no
        /// input can exhaust the stack here or in the writers.
        var depth = 0

        mutating func skipSpace() {
            while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
        }

        mutating func literal(_ word: String, _ value: Value) -> Value? {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<(pos + w.count)]) == w else { return nil }
            pos += w.count
            return value
        }

        mutating func parseValue() -> Value? {
            skipSpace()
            guard pos < bytes.count else { return nil }
            switch bytes[pos] {
            case UInt8(ascii: "n"): return literal("null", .null)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "\""): return parseString().map { .string($0) }
            case UInt8(ascii: "["):
                depth += 1
                defer { depth -= 1 }
                guard depth <= InputLimits.standard.maxDepth else { return nil }
                pos += 1
                var items: [Value] = []
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .list(items) }
                while true {
                    guard let item = parseValue() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard pos < bytes.count else { return nil }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .list(items) }
                    return nil
                }
            case UInt8(ascii: "{"):
                depth += 1
                defer { depth -= 1 }
                guard depth <= InputLimits.standard.maxDepth else { return nil }
                pos += 1
                var dict: [String: Value] = [:]
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .map(dict) }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\""), let key = parseString() else { return nil }
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { return nil }
                    pos += 1
                    guard let value = parseValue() else { return nil }
                    dict[key] = value
                    skipSpace()
                    guard pos < bytes.count else { return nil }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .map(dict) }
                    return nil
                }
            default:
                let start = pos
                while pos < bytes.count, "+-0123456789.eE".utf8.contains(bytes[pos]) { pos += 1 }
                guard pos > start, let d = Double(String(decoding: bytes[start..<pos], as: UTF8.self)) else { return nil }
                return .double(d)
            }
        }

        mutating func parseString() -> String? {
            pos += 1
            var out = [UInt8]()
            while pos < bytes.count {
                let b = bytes[pos]
                pos += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { out.append(b); continue }
                guard pos < bytes.count else { return nil }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard pos + 4 <= bytes.count,
                          var code = UInt32(String(decoding: bytes[pos..<(pos + 4)], as: UTF8.self), radix: 16) else { return nil }
                    pos += 4
                    if code >= 0xD800 && code < 0xDC00, pos + 6 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                       let low = UInt32(String(decoding: bytes[(pos + 2)..<(pos + 6)], as: UTF8.self), radix: 16),
                       low >= 0xDC00 && low < 0xE000 {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        pos += 6
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
            }
            return nil
        }
    }
}
