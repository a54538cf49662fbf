extension JSONValue {
    /// The value as JSON text with object keys sorted.
    ///
    /// Compact form has no whitespace and no trailing newline. Pretty form indents by two spaces,
    /// writes `"key": value` and ends with a newline. Doubles keep a fraction or exponent
    /// (`1.0`, `1e+20`) so they parse back as `.double`; NaN and infinities become `null`.
    public func serialized(pretty: Bool = false) -> String {
        var writer = JSONByteWriter(pretty: pretty)
        writer.write(self, indent: 0)
        if pretty { writer.out.append(0x0A) }
        return String(decoding: writer.out, as: UTF8.self)
    }

    /// The compact serialization as UTF-8 bytes (what crosses the plugin ABI).
    public func serializedBytes() -> [UInt8] {
        var writer = JSONByteWriter(pretty: false)
        writer.write(self, indent: 0)
        return writer.out
    }
}

/// Appends JSON to a byte buffer (the text rules are `JSONText`'s).
struct JSONByteWriter {
    var out: [UInt8] = []
    let pretty: Bool

    init(pretty: Bool) {
        self.pretty = pretty
        out.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): append(String(i))
        case .double(let d): append(JSONText.double(d, integral: .withFraction))
        case .string(let s): writeString(s)
        case .array(let items):
            if items.isEmpty { append("[]"); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 2) }
                write(item, indent: indent + 2)
            }
            if pretty { newline(indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { append("{}"); return }
            out.append(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 2) }
                writeString(key)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(0x20) }
                write(members[key]!, indent: indent + 2)
            }
            if pretty { newline(indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always) mutating func append(_ s: String) { out.append(contentsOf: s.utf8) }

    mutating func newline(_ n: Int) { JSONText.newline(&out, indent: n) }

    mutating func writeString(_ s: String) { JSONText.appendString(s, to: &out) }
}
