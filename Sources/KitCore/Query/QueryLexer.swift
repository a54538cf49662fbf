/// Splits a query expression into tokens on demand, so a huge input costs no token array.
struct QueryLexer {
    let text: String
    let scalars: [Unicode.Scalar]
    var index = 0

    init(text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    func error(at offset: Int, _ problem: String, hint: String = "") -> QueryError {
        QueryError(text: text, column: offset + 1, problem: problem, hint: hint)
    }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isWordPart(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || isDigit(c) }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// The next token; `.end` (repeatedly) once the input is used up.
    mutating func next() throws -> QueryToken {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
        let start = index
        guard let c = peek() else { return QueryToken(kind: .end, start: start, end: start) }
        func token(_ kind: QueryToken.Kind, length: Int) -> QueryToken {
            index += length
            return QueryToken(kind: kind, start: start, end: index)
        }
        switch c {
        case ".": return try dot()
        case "[": return token(.leftBracket, length: 1)
        case "]": return token(.rightBracket, length: 1)
        case "(": return token(.leftParen, length: 1)
        case ")": return token(.rightParen, length: 1)
        case "|": return token(.pipe, length: 1)
        case "\"", "'":
            let s = try string()
            return QueryToken(kind: .string(s), start: start, end: index)
        case "=":
            if peek(1) == "=" { return token(.comparison(.equal), length: 2) }
            if let n = peek(1), n == "!" || n == "<" || n == ">" {
                throw error(at: start + 1, "unexpected '\(n)'", hint: "expected an operator")
            }
            throw error(at: start, "unexpected '='",
                        hint: "expected an operator (assignment is not supported; '==' compares)")
        case "!":
            if peek(1) == "=" { return token(.comparison(.notEqual), length: 2) }
            throw error(at: start, "unexpected '!'", hint: "use 'not' to negate, or '!=' to compare")
        case "<":
            if peek(1) == "=" { return token(.comparison(.lessOrEqual), length: 2) }
            return token(.comparison(.less), length: 1)
        case ">":
            if peek(1) == "=" { return token(.comparison(.greaterOrEqual), length: 2) }
            return token(.comparison(.greater), length: 1)
        case "/":
            if peek(1) == "/" { return token(.alternative, length: 2) }
            throw error(at: start, "unexpected '/'", hint: "division is not supported; '//' gives a default")
        case "-":
            if let n = peek(1), Self.isDigit(n) { return try number() }
            throw error(at: start, "unexpected '-'", hint: "arithmetic is not supported")
        case "+", "*", "%":
            throw error(at: start, "unexpected '\(c)'", hint: "arithmetic is not supported")
        case ",":
            throw error(at: start, "unexpected ','", hint: "several results ('a, b') are not supported")
        case "?":
            throw error(at: start, "unexpected '?'", hint: "not needed: a missing key or index already gives null")
        case "$":
            throw error(at: start, "unexpected '$'", hint: "variables are not supported")
        case "{", "}":
            throw error(at: start, "unexpected '\(c)'", hint: "building objects is not supported")
        default:
            if Self.isDigit(c) { return try number() }
            if Self.isWordStart(c) {
                while let n = peek(), Self.isWordPart(n) { index += 1 }
                return QueryToken(kind: .word(slice(start, index)), start: start, end: index)
            }
            throw error(at: start, "unexpected '\(MessageText.quoted(String(c)))'", hint: "expected a value or an operator")
        }
    }

    func slice(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[from..<to])
        return String(s)
    }

    /// `.`, `.name`, `."quoted"`; rejects `..` and `.0`.
    mutating func dot() throws -> QueryToken {
        let start = index
        index += 1
        guard let n = peek() else { return QueryToken(kind: .dot, start: start, end: index) }
        if n == "." {
            throw error(at: start, "unexpected '..'", hint: "recursive descent is not supported")
        }
        if Self.isDigit(n) {
            throw error(at: index, "unexpected '\(n)' after '.'", hint: "write '[\(n)]' to index a list")
        }
        if n == "\"" || n == "'" {
            let name = try string()
            return QueryToken(kind: .field(name), start: start, end: index)
        }
        if Self.isWordStart(n) {
            let nameStart = index
            while let c = peek(), Self.isWordPart(c) || c == "-" { index += 1 }
            return QueryToken(kind: .field(slice(nameStart, index)), start: start, end: index)
        }
        return QueryToken(kind: .dot, start: start, end: index)
    }

    /// A `"…"` or `'…'` string with JSON escapes (plus `\'`); the index is on the opening quote.
    mutating func string() throws -> String {
        let open = index
        let quote = scalars[index]
        index += 1
        var out = String.UnicodeScalarView()
        while let c = peek() {
            index += 1
            if c == quote { return String(out) }
            guard c == "\\" else { out.append(c); continue }
            guard let e = peek() else { break }
            index += 1
            switch e {
            case "\"", "'", "\\", "/": out.append(e)
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u": out.append(try unicodeEscape(at: index - 2))
            default:
                throw error(at: index - 2, "invalid escape '\\\(MessageText.quoted(String(e)))' in string",
                            hint: "use \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX")
            }
        }
        throw error(at: open, "unterminated string", hint: "close it with \(quote)")
    }

    /// The scalar of `\uXXXX` (or a surrogate pair `\uD83D\uDE00`); the index is after `\u`.
    mutating func unicodeEscape(at escapeStart: Int) throws -> Unicode.Scalar {
        func hex4() throws -> UInt32 {
            guard index + 4 <= scalars.count else {
                throw error(at: escapeStart, "truncated '\\u' escape in string", hint: "write four hex digits")
            }
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let d = hexDigit(scalars[index]) else {
                    throw error(at: index, "invalid hex digit '\(MessageText.quoted(String(scalars[index])))' in '\\u' escape")
                }
                v = v << 4 | d
                index += 1
            }
            return v
        }
        var value = try hex4()
        if value >= 0xD800 && value < 0xDC00, peek() == "\\", peek(1) == "u" {
            index += 2
            let low = try hex4()
            if low >= 0xDC00 && low < 0xE000 { value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00) }
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error(at: escapeStart, "invalid '\\u' escape in string", hint: "a lone surrogate is not a character")
        }
        return scalar
    }

    func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    /// An integer or a float: `-?digits(.digits)?([eE][+-]?digits)?`.
    mutating func number() throws -> QueryToken {
        let start = index
        if peek() == "-" { index += 1 }
        var isInteger = true
        while let c = peek(), Self.isDigit(c) { index += 1 }
        if peek() == ".", let n = peek(1), Self.isDigit(n) {
            isInteger = false
            index += 1
            while let c = peek(), Self.isDigit(c) { index += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            var k = 1
            if let s = peek(1), s == "+" || s == "-" { k = 2 }
            if let d = peek(k), Self.isDigit(d) {
                isInteger = false
                index += k
                while let c = peek(), Self.isDigit(c) { index += 1 }
            }
        }
        let literal = slice(start, index)
        if let n = peek(), Self.isWordStart(n) {
            throw error(at: index, "unexpected '\(n)' after the number '\(literal)'", hint: "expected an operator")
        }
        if isInteger, let i = Int(literal) { return QueryToken(kind: .int(i), start: start, end: index) }
        guard let d = Double(literal), d.isFinite else {
            throw error(at: start, "number '\(literal)' is out of range")
        }
        return QueryToken(kind: .double(d), start: start, end: index)
    }
}
