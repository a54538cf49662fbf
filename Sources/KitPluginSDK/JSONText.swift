/// The JSON text rules every writer in kit shares (kit's `describe`/`generate` writer over its stack
/// values, and `JSONValue.serialized` for the plugin ABI): string escaping, numbers, indentation.
public enum JSONText {
    /// How a double with no fractional part is written.
    public enum IntegralDoubles: Sendable {
        /// `1.0`: it parses back as a double (the plugin ABI keeps `.double` apart from `.int`).
        case withFraction
        /// `1`, as Go's encoding/json (and so atmos) writes it, when it fits in 15 digits.
        case asInteger
    }

    /// A double as JSON; NaN and infinities become `null`.
    public static func double(_ d: Double, integral: IntegralDoubles) -> String {
        if !d.isFinite { return "null" }
        if integral == .asInteger, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\r`,
    /// `\t`, `\b`, `\f` or `\u00XX`; everything else (UTF-8 included) as it is.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        // Most strings need no escape: one pass over the bytes, then one copy.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard isPlain(bytes) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true { out.append(0x22); return }
        if plain == nil && !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: s.utf8)
            out.append(0x22)
            return
        }
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// True when no byte needs an escape (control characters, `"`, `\`): eight bytes at a time
    /// (exact SWAR tests for a byte below 0x20 or equal to one of the two), the rest one by one.
    @inlinable public static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* 0x22, backslashes = ones &* 0x5C
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        var i = 0
        while i + 8 <= bytes.count {
            let w = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte below 0x20: (w - 0x20…) & ~w & 0x80… (exact for thresholds up to 0x80).
            if (w &- ones &* 0x20) & ~w & highs != 0 || hasZeroByte(w ^ quotes) || hasZeroByte(w ^ backslashes) { return false }
            i += 8
        }
        while i < bytes.count {
            let b = base[i]
            if b < 0x20 || b == 0x22 || b == 0x5C { return false }
            i += 1
        }
        return true
    }

    /// Appends a newline and `n` spaces (pretty output).
    @inline(__always) public static func newline(_ out: inout [UInt8], indent n: Int) {
        out.append(0x0A)
        appendSpaces(&out, n)
    }

    /// Appends `n` spaces.
    @inline(__always) public static func appendSpaces(_ out: inout [UInt8], _ n: Int) {
        var left = n
        while left > 0 {
            let k = min(left, spaces.count)
            spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<k])) }
            left -= k
        }
    }

    /// Spaces copied in one piece (a generic `repeatElement` append cost pretty output 5% of its time).
    static let spaces = [UInt8](repeating: 0x20, count: 64)
}
