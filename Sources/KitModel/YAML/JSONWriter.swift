import KitPluginSDK

/// Writes `Value`s as JSON with sorted keys: pretty (2-space indent, trailing newline) or compact.
/// Output is built as UTF-8 bytes; `describe stacks` on large repositories spends most of its time here.
/// The text rules (escaping, numbers, indentation) are the SDK's `JSONText`, shared with the plugin
/// messages; only integral doubles differ on purpose: `1`, as atmos writes them, where a plugin
/// message keeps `1.0` so it parses back as a double.
public enum JSONWriter {
    /// Pretty JSON with 2-space indentation, sorted keys and a trailing newline.
    public static func pretty(_ value: Value) -> String {
        String(decoding: prettyBytes(value), as: UTF8.self)
    }

    /// Pretty JSON as bytes.
    public static func prettyBytes(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, indent: 0, pretty: true)
        out.append(10)
        return out
    }

    /// Compact JSON with sorted keys and no trailing newline.
    public static func compact(_ value: Value) -> String {
        var out: [UInt8] = []
        write(value, into: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) static func newline(_ out: inout [UInt8], _ n: Int) { JSONText.newline(&out, indent: n) }

    /// Appends the JSON for `value` to `out`.
    public static func write(_ value: Value, into out: inout [UInt8], indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: format(double: d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .tagged(_, let inner): write(inner, into: &out, indent: indent, pretty: pretty)
        case .list(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                if pretty { newline(&out, indent + 2) }
                write(item, into: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .map(let m):
            if m.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            var first = true
            let entries = Array(m)
            for i in sortedOrder(entries) {
                let (key, item) = entries[i]
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                if pretty { newline(&out, indent + 2) }
                writeString(key, into: &out)
                if pretty { out.append(contentsOf: ": ".utf8) } else { out.append(UInt8(ascii: ":")) }
                write(item, into: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The indices of `entries` in key order (`String`'s `<`). ASCII keys, nearly all of them, are
    /// ordered by their first eight bytes as one integer and compared as strings only on a tie: for
    /// ASCII, byte order is `<`'s order. Any other key sorts the whole map with `<` itself.
    static func sortedOrder(_ entries: [(key: String, value: Value)]) -> [Int] {
        if entries.count < 2 { return Array(entries.indices) }
        var prefixes: [(prefix: UInt64, index: Int)] = []
        prefixes.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() {
            var prefix: UInt64 = 0
            var taken = 0
            for b in e.key.utf8 {
                if b >= 0x80 { return entries.indices.sorted { entries[$0].key < entries[$1].key } }
                if taken < 8 {
                    prefix = prefix << 8 | UInt64(b)
                    taken += 1
                }
            }
            prefixes.append((taken == 0 ? 0 : prefix << (8 * (8 - taken)), i))
        }
        prefixes.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : entries[a.index].key < entries[b.index].key }
        return prefixes.map(\.index)
    }

    /// A double as JSON: integral values keep no fraction when they fit, non-finite become null.
    public static func format(double d: Double) -> String { JSONText.double(d, integral: .asInteger) }

    /// Appends `s` as a JSON string literal.
    public static func writeString(_ s: String, into out: inout [UInt8]) { JSONText.appendString(s, to: &out) }

    /// Appends `s` as a JSON string literal to a String.
    public static func writeString(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        writeString(s, into: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }
}
