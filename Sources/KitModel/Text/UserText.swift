/// How messages echo values a user (or a hostile file) wrote: control characters escaped, length capped.
///
/// Every message of the stack loader that quotes a user value goes through here, so a file name, an
/// import path or a YAML key can neither break a message into several lines, nor send terminal escape
/// sequences, nor flood the terminal.
public enum UserText {
    /// The longest value echoed in full (in characters); longer values are cut and say how much is left out.
    public static let limit = 200

    /// The first line of `s`, cut at 300 characters (summary lines of multi-line errors).
    public static func firstLine(_ s: String) -> String {
        let line = s.split(separator: "\n").first.map(String.init) ?? s
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    /// `s` with control characters escaped (`\n`, `\t`, `\r`, `\u{1B}` …) and cut after `limit` characters.
    public static func escaped(_ s: String, limit: Int = UserText.limit) -> String {
        var out = ""
        var count = 0
        var scalars = s.unicodeScalars.makeIterator()
        while let u = scalars.next() {
            if count >= limit {
                var rest = 1
                while scalars.next() != nil { rest += 1 }
                out += "… (\(rest) more characters)"
                break
            }
            count += 1
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// `s` escaped and capped, in single quotes: `'catalog/vpc'`.
    public static func quoted(_ s: String, limit: Int = UserText.limit) -> String {
        "'" + escaped(s, limit: limit) + "'"
    }

    /// A whole message made safe for one terminal line: control characters escaped, nothing cut
    /// (values inside it were capped when quoted).
    public static func line(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: isControl) else { return message }
        return escaped(message, limit: Int.max)
    }

    package static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) || u == "\u{2028}" || u == "\u{2029}"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    package func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation on the hot path).
    ///
    /// Occurrences are whole characters, as `split(separator:)` finds them. An ASCII string without a
    /// carriage return (every character one byte) is searched byte by byte: the generic split cost
    /// ~16,000 instructions a call, and `describe stacks` replaces in every component's names.
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard let first = target.utf8.first, self.utf8.contains(first) else { return self }
        if let fast = Self.replacingASCII(self, target, replacement) { return fast }
        return self.split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// `replacingAll` by bytes when `s` and `target` are ASCII without `\r` (where bytes are
    /// characters: `\r\n` is one character); nil otherwise.
    static func replacingASCII(_ s: String, _ target: String, _ replacement: String) -> String? {
        let t = Array(target.utf8)
        guard t.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        return s.utf8.withContiguousStorageIfAvailable { b -> String? in
            for c in b where c >= 0x80 || c == 0x0D { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(b.count + 16)
            var i = 0, copied = 0
            let n = t.count
            while i + n <= b.count {
                var k = 0
                while k < n && b[i + k] == t[k] { k += 1 }
                if k == n {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied ..< i]))
                    out.append(contentsOf: replacement.utf8)
                    i += n
                    copied = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied ..< b.count]))
            return String(decoding: out, as: UTF8.self)
        } ?? nil
    }
}
