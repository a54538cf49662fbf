/// A tokenizer for HCL's native syntax, enough to read block structure: identifiers, quoted strings
/// (escapes and `${…}` interpolation kept inside the token), heredocs, braces, `=`, newlines and other
/// punctuation; comments (`#`, `//`, `/* */`) are dropped. It never fails: text it cannot make sense of
/// becomes `.other` tokens, so a scan over broken files finds less, never something that is not there.
struct HCLTokenizer {
    enum Token: Equatable {
        case identifier(String)
        /// A quoted string's contents with escapes resolved (`\"`, `\\`, `\n`, `\t`); nil when it
        /// holds an interpolation (`${…}`) and so has no literal value.
        case string(String?)
        /// A heredoc's body (its value is never a module source).
        case heredoc
        case openBrace, closeBrace, equals, newline
        case other(UInt8)
    }

    let bytes: [UInt8]
    var i = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Every token of the text.
    static func tokens(_ text: String) -> [Token] {
        var t = HCLTokenizer(text)
        var out: [Token] = []
        while let token = t.next() { out.append(token) }
        return out
    }

    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    mutating func next() -> Token? {
        while let b = peek() {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "#"):
                skipLine()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                skipLine()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                i += 2
                while let c = peek(), !(c == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { i += 1 }
                i = min(bytes.count, i + 2)
            case UInt8(ascii: "\n"):
                i += 1
                return .newline
            case UInt8(ascii: "{"): i += 1; return .openBrace
            case UInt8(ascii: "}"): i += 1; return .closeBrace
            case UInt8(ascii: "="):
                // `==` is an operator, not an attribute's `=`.
                if peek(1) == UInt8(ascii: "=") { i += 2; return .other(b) }
                i += 1
                return .equals
            case UInt8(ascii: "\""):
                return quoted()
            case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "<"):
                if let h = heredoc() { return h }
                i += 1
                return .other(b)
            default:
                if Self.isIdentifierStart(b) {
                    let start = i
                    while let c = peek(), Self.isIdentifierPart(c) { i += 1 }
                    return .identifier(String(decoding: bytes[start..<i], as: UTF8.self))
                }
                i += 1
                return .other(b)
            }
        }
        return nil
    }

    private mutating func skipLine() {
        while let c = peek(), c != UInt8(ascii: "\n") { i += 1 }
    }

    /// A quoted template string; a newline before the closing quote ends it (HCL forbids one).
    private mutating func quoted() -> Token {
        i += 1
        var out: [UInt8] = []
        var literal = true
        var depth = 0
        while let c = peek() {
            if c == UInt8(ascii: "\n") { break }
            if c == UInt8(ascii: "\\"), let e = peek(1) {
                switch e {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
                default: out.append(e)
                }
                i += 2
                continue
            }
            if (c == UInt8(ascii: "$") || c == UInt8(ascii: "%")) && peek(1) == UInt8(ascii: "{") {
                if peek(-1) != c { literal = false }
                depth += 1
                out.append(c); out.append(UInt8(ascii: "{"))
                i += 2
                continue
            }
            if c == UInt8(ascii: "}") && depth > 0 { depth -= 1 }
            if c == UInt8(ascii: "\"") && depth == 0 { i += 1; break }
            out.append(c)
            i += 1
        }
        return .string(literal ? String(decoding: out, as: UTF8.self) : nil)
    }

    /// `<<EOF` / `<<-EOF` … a line holding only `EOF`; nil when this is not a heredoc opener.
    private mutating func heredoc() -> Token? {
        var j = i + 2
        if j < bytes.count && bytes[j] == UInt8(ascii: "-") { j += 1 }
        let start = j
        while j < bytes.count, Self.isIdentifierPart(bytes[j]) { j += 1 }
        guard j > start, j < bytes.count, bytes[j] == UInt8(ascii: "\n") || bytes[j] == UInt8(ascii: "\r") else { return nil }
        let marker = Array(bytes[start..<j])
        i = j
        skipLine()
        while i < bytes.count {
            i += 1  // past the newline
            var k = i
            while k < bytes.count, bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\t") { k += 1 }
            var e = k
            while e < bytes.count, bytes[e] != UInt8(ascii: "\n") { e += 1 }
            var line = bytes[k..<e]
            while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") { line = line.dropLast() }
            i = e
            if Array(line) == marker { break }
        }
        return .heredoc
    }

    static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_") || b >= 0x80
    }

    static func isIdentifierPart(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
    }
}

/// The `source` attributes of `module` blocks in HCL text: `module "x" { source = "../m" }` on one
/// line or many, with comments and heredocs anywhere, and only at the top level of a `module` block
/// (a `source` inside a nested block, a `locals` or another block type is not a module source).
package enum ModuleSources {
    package static func scan(_ text: String) -> [String] {
        let tokens = HCLTokenizer.tokens(text)
        var out: [String] = []
        // The blocks enclosing the current position: true for a `module` block.
        var stack: [Bool] = []
        // The tokens of the current line's header (identifiers and labels before a `{`).
        var header: [HCLTokenizer.Token] = []
        var k = 0
        while k < tokens.count {
            let t = tokens[k]
            switch t {
            case .openBrace:
                let isModule = stack.isEmpty && header.first == .identifier("module")
                stack.append(isModule)
                header = []
            case .closeBrace:
                if !stack.isEmpty { stack.removeLast() }
                header = []
            case .newline:
                header = []
            case .identifier("source") where stack.count == 1 && stack[0] == true && header.isEmpty:
                if k + 2 < tokens.count, tokens[k + 1] == .equals, case .string(let value?) = tokens[k + 2] {
                    let after = k + 3 < tokens.count ? tokens[k + 3] : .newline
                    // Only a plain string value (not `"a" + x`, not a conditional).
                    if after == .newline || after == .closeBrace { out.append(value) }
                }
                header.append(t)
            default:
                header.append(t)
            }
            k += 1
        }
        return out
    }
}
