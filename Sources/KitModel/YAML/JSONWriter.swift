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
            for position in sortedPositions(m) {
                let (key, item) = m[position]
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

    /// A map's positions in key order (`String`'s `<`), ASCII keys, nearly all of them, by
    /// their first 24 bytes as three integers, compared as strings only on a tie (keys such as
    /// `network_1_default_0`…`_7` share sixteen) (for ASCII, byte
    /// order is `<`'s order); a map with any other key is sorted with `<` itself. Positions, not
    /// entries: keys and values are not copied (no reference counting while sorting).
    static func sortedPositions(_ m: [String: Value]) -> [Dictionary<String, Value>.Index] {
        typealias Keyed = (hi: UInt64, mid: UInt64, lo: UInt64, position: Dictionary<String, Value>.Index)
        var keyed: [Keyed] = []
        keyed.reserveCapacity(m.count)
        var position = m.startIndex
        while position != m.endIndex {
            guard let (hi, mid, lo) = asciiPrefix(m.keys[position]) else { return m.indices.sorted { m.keys[$0] < m.keys[$1] } }
            keyed.append((hi, mid, lo, position))
            position = m.index(after: position)
        }
        @inline(__always) func less(_ a: Keyed, _ b: Keyed) -> Bool {
            a.hi != b.hi ? a.hi < b.hi : a.mid != b.mid ? a.mid < b.mid : a.lo != b.lo ? a.lo < b.lo : m.keys[a.position] < m.keys[b.position]
        }
        if keyed.count > 24 {
            keyed.sort(by: less)
        } else if keyed.count > 1 {
            // Most maps are small: an insertion sort without the generic sort's closure calls (keys
            // are unique, so stability does not matter).
            for i in 1 ..< keyed.count {
                let x = keyed[i]
                var j = i
                while j > 0 && less(x, keyed[j - 1]) { keyed[j] = keyed[j - 1]; j -= 1 }
                keyed[j] = x
            }
        }
        return keyed.map(\.position)
    }

    /// The first 24 bytes of an ASCII key as three big-endian integers (zero-padded), or nil
    /// when the key is not ASCII. Eight bytes at a time: this runs for every key of every map written.
    @inline(__always) static func asciiPrefix(_ key: String) -> (UInt64, UInt64, UInt64)? {
        var key = key
        return key.withUTF8 { bytes -> (UInt64, UInt64, UInt64)? in
            guard let base = bytes.baseAddress else { return (0, 0, 0) }
            let n = bytes.count
            var high: UInt64 = 0
            var i = 0
            while i + 8 <= n {
                high |= UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < n { high |= UInt64(base[i]); i += 1 }
            if high & 0x8080_8080_8080_8080 != 0 { return nil }
            return (word(base, n, from: 0), word(base, n, from: 8), word(base, n, from: 16))
        }
    }

    /// Bytes `from..<from+8` of `base[0..<n]` as a big-endian integer, zero-padded past `n`.
    @inline(__always) static func word(_ base: UnsafePointer<UInt8>, _ n: Int, from: Int) -> UInt64 {
        if from + 8 <= n { return UInt64(bigEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: from, as: UInt64.self)) }
        var w: UInt64 = 0
        var i = from
        while i < from + 8 {
            w = w << 8 | (i < n ? UInt64(base[i]) : 0)
            i += 1
        }
        return w
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
