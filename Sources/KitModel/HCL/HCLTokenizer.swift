/// A tokenizer for HCL's native syntax, enough to read block structure and literal values:
/// identifiers, numbers, quoted strings (escapes resolved, `${…}` interpolation kept inside the
/// token), heredocs, braces, `=`, newlines and other punctuation; comments (`#`, `//`, `/* */`) are
/// dropped. It never fails: text it cannot make sense of becomes `.other` tokens, so a scan over
/// broken files finds less, never something that is not there (`unclosed` says where a string,
/// heredoc or comment ran off the end).
struct HCLTokenizer {
    enum Token: Equatable {
        case identifier(String)
        /// A number literal as written (`12`, `1.5`, `1e3`); a leading `-` is a separate token.
        case number(String)
        /// A quoted string's contents with escapes resolved (`\"`, `\\`, `\n`, `\t`, `\uXXXX`, `$${`);
        /// nil when it holds an interpolation or directive (`${…}`, `%{…}`) and so has no literal value.
        case string(String?)
        /// A heredoc's body (`<<-` indentation removed); nil when it holds an interpolation.
        case heredoc(String?)
        case openBrace, closeBrace, equals, newline
        case other(UInt8)
    }

    /// A token and where it is: byte offsets into the text and the 1-based line it starts on.
    struct Located {
        var token: Token
        var start: Int
        var end: Int
        var line: Int
    }

    let bytes: [UInt8]
    var i = 0
    var line = 1
    /// The offset of a string, heredoc or block comment that the text ended inside, if one did.
    var unclosed: (offset: Int, line: Int, what: String)?

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Every token of the text.
    static func tokens(_ text: String) -> [Token] {
        var t = HCLTokenizer(text)
        var out: [Token] = []
        while let token = t.next() { out.append(token) }
        return out
    }

    /// Every token of the text with its position, and the construct (if any) the text ended inside.
    static func located(_ text: String) -> (tokens: [Located], unclosed: (line: Int, what: String)?) {
        var t = HCLTokenizer(text)
        var out: [Located] = []
        while true {
            t.skipBlanks()
            let start = t.i, line = t.line
            guard let token = t.next() else { break }
            out.append(Located(token: token, start: start, end: t.i, line: line))
        }
        return (out, t.unclosed.map { ($0.line, $0.what) })
    }

    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < bytes.count && i + offset >= 0 ? bytes[i + offset] : nil }

    /// Moves past spaces and comments (not newlines), counting lines inside block comments.
    private mutating func skipBlanks() {
        while let b = peek() {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "#"):
                skipLine()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                skipLine()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let start = i, startLine = line
                i += 2
                while let c = peek(), !(c == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    if c == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                if i >= bytes.count { unclosed = unclosed ?? (start, startLine, "comment") }
                i = min(bytes.count, i + 2)
            default:
                return
            }
        }
    }

    mutating func next() -> Token? {
        skipBlanks()
        guard let b = peek() else { return nil }
        switch b {
        case UInt8(ascii: "\n"):
            i += 1
            line += 1
            return .newline
        case UInt8(ascii: "{"): i += 1; return .openBrace
        case UInt8(ascii: "}"): i += 1; return .closeBrace
        case UInt8(ascii: "="):
            // `==` and `=>` are operators, not an attribute's `=`.
            if peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: ">") { i += 2; return .other(b) }
            i += 1
            return .equals
        case UInt8(ascii: "!"), UInt8(ascii: ">"):
            i += peek(1) == UInt8(ascii: "=") ? 2 : 1
            return .other(b)
        case UInt8(ascii: "\""):
            return quoted()
        case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "<"):
            if let h = heredoc() { return h }
            i += 1
            return .other(b)
        case UInt8(ascii: "<"):
            i += peek(1) == UInt8(ascii: "=") ? 2 : 1
            return .other(b)
        default:
            if Self.isIdentifierStart(b) {
                let start = i
                while let c = peek(), Self.isIdentifierPart(c) { i += 1 }
                return .identifier(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            if Self.isDigit(b) { return number() }
            i += 1
            return .other(b)
        }
    }

    private mutating func skipLine() {
        while let c = peek(), c != UInt8(ascii: "\n") { i += 1 }
    }

    /// Digits, an optional fraction and an optional exponent (`1`, `1.5`, `2e10`, `1.5E-3`).
    private mutating func number() -> Token {
        let start = i
        while let c = peek(), Self.isDigit(c) { i += 1 }
        if peek() == UInt8(ascii: "."), let d = peek(1), Self.isDigit(d) {
            i += 1
            while let c = peek(), Self.isDigit(c) { i += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var j = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { j = 2 }
            if let d = peek(j), Self.isDigit(d) {
                i += j
                while let c = peek(), Self.isDigit(c) { i += 1 }
            }
        }
        return .number(String(decoding: bytes[start..<i], as: UTF8.self))
    }

    /// A quoted template string; a newline before the closing quote ends it (HCL forbids one).
    private mutating func quoted() -> Token {
        let start = i, startLine = line
        i += 1
        var out: [UInt8] = []
        var literal = true
        var depth = 0
        while let c = peek() {
            if c == UInt8(ascii: "\n") { unclosed = unclosed ?? (start, startLine, "string"); break }
            if c == UInt8(ascii: "\\"), let e = peek(1) {
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let digits = e == UInt8(ascii: "u") ? 4 : 8
                    var n: UInt32 = 0, k = 0
                    while k < digits, let h = peek(), let v = Self.hexValue(h) { n = n * 16 + v; i += 1; k += 1 }
                    if k == digits, let scalar = Unicode.Scalar(n) { out.append(contentsOf: Array(String(scalar).utf8)) } else { literal = false }
                default: out.append(e)
                }
                continue
            }
            if (c == UInt8(ascii: "$") || c == UInt8(ascii: "%")) && peek(1) == c && peek(2) == UInt8(ascii: "{") {
                // `$${` and `%%{` are the literal `${` and `%{`.
                out.append(c); out.append(UInt8(ascii: "{"))
                i += 3
                continue
            }
            if (c == UInt8(ascii: "$") || c == UInt8(ascii: "%")) && peek(1) == UInt8(ascii: "{") {
                literal = false
                depth += 1
                out.append(c); out.append(UInt8(ascii: "{"))
                i += 2
                continue
            }
            if c == UInt8(ascii: "}") && depth > 0 { depth -= 1 }
            if c == UInt8(ascii: "\"") && depth == 0 { i += 1; return .string(literal ? String(decoding: out, as: UTF8.self) : nil) }
            out.append(c)
            i += 1
        }
        if peek() == nil { unclosed = unclosed ?? (start, startLine, "string") }
        return .string(literal ? String(decoding: out, as: UTF8.self) : nil)
    }

    /// `<<EOF` / `<<-EOF` … a line holding only `EOF`; nil when this is not a heredoc opener. The
    /// closing marker's newline is left for the next token.
    private mutating func heredoc() -> Token? {
        var j = i + 2
        let indented = j < bytes.count && bytes[j] == UInt8(ascii: "-")
        if indented { j += 1 }
        let start = j
        while j < bytes.count, Self.isIdentifierPart(bytes[j]) { j += 1 }
        guard j > start, j < bytes.count, bytes[j] == UInt8(ascii: "\n") || bytes[j] == UInt8(ascii: "\r") else { return nil }
        let marker = Array(bytes[start..<j])
        let openOffset = i, openLine = line
        i = j
        skipLine()
        var lines: [ArraySlice<UInt8>] = []
        var closed = false
        while i < bytes.count {
            i += 1  // past the newline
            line += 1
            var e = i
            while e < bytes.count, bytes[e] != UInt8(ascii: "\n") { e += 1 }
            var content = bytes[i..<e]
            if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
            var trimmed = content.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            while let last = trimmed.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { trimmed = trimmed.dropLast() }
            i = e
            if Array(trimmed) == marker { closed = true; break }
            lines.append(content)
        }
        if !closed { unclosed = unclosed ?? (openOffset, openLine, "heredoc") }
        if indented {
            let indent = lines.filter { !$0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
                .map { $0.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count }.min() ?? 0
            lines = lines.map { $0.dropFirst(min(indent, $0.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count)) }
        }
        var body: [UInt8] = []
        for l in lines { body += l; body.append(UInt8(ascii: "\n")) }
        return .heredoc(Self.heredocLiteral(body))
    }

    /// A heredoc body with `$${`/`%%{` unescaped; nil when it holds an interpolation or directive.
    static func heredocLiteral(_ body: [UInt8]) -> String? {
        var out: [UInt8] = []
        var k = 0
        while k < body.count {
            let c = body[k]
            if (c == UInt8(ascii: "$") || c == UInt8(ascii: "%")) && k + 1 < body.count {
                if body[k + 1] == c && k + 2 < body.count && body[k + 2] == UInt8(ascii: "{") {
                    out.append(c); out.append(UInt8(ascii: "{")); k += 3; continue
                }
                if body[k + 1] == UInt8(ascii: "{") { return nil }
            }
            out.append(c)
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_") || b >= 0x80
    }

    static func isIdentifierPart(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || isDigit(b) || b == UInt8(ascii: "-")
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
