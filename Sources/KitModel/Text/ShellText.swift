/// Text for a POSIX shell: quoting and relative paths.
public enum ShellText {
    /// `value` as one shell word: unchanged when it holds only safe characters, else in single quotes.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty && value.utf8.allSatisfy(isSafe) { return value }
        return "'" + value.replacingAll("'", with: "'\\''") + "'"
    }

    /// Bytes a shell word may hold unquoted: ASCII letters, digits and `_-./:=@%+,` (any byte of a
    /// non-ASCII character is not one of them, so such a word is quoted).
    @inline(__always) static func isSafe(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="),
             UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: ","): return true
        default: return false
        }
    }

    /// `path` relative to the directory `from` (both absolute, normalised), with `..` as needed.
    public static func relativePath(from: String, to path: String) -> String {
        let a = from.split(separator: "/")
        let b = path.split(separator: "/")
        var common = 0
        while common < a.count && common < b.count && a[common] == b[common] { common += 1 }
        let ups = Array(repeating: "..", count: a.count - common)
        let rest = b[common...].map(String.init)
        let joined = (ups + rest).joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }
}
