import KitModel
/// Splits Go template source into tokens: text between actions, and the tokens inside `{{ }}`.
///
/// Trim markers (`{{- ` and ` -}}`) are applied here by cutting white space from the adjacent
/// text; comments (`{{/* … */}}`) produce no tokens.
struct TemplateLexer {
    private let source: String
    private let bytes: [UInt8]
    private var pos = 0
    private var tokens: [TemplateToken] = []
    private var trimNextText = false

    /// Tokenizes `source`; throws `TemplateError` on an unterminated action, string or comment.
    static func tokenize(_ source: String) throws -> [TemplateToken] {
        var lexer = TemplateLexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    private init(source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    private func fail(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(source: source, offset: offset, message: message)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }

    private func has(_ s: StaticString, at i: Int) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        return s.withUTF8Buffer { buf in
            for k in 0..<n where bytes[i + k] != buf[k] { return false }
            return true
        }
    }

    private mutating func run() throws {
        while pos < bytes.count {
            // Text up to the next `{{`.
            var end = pos
            let brace = UInt8(ascii: "{")
            while end < bytes.count && !(bytes[end] == brace && end + 1 < bytes.count && bytes[end + 1] == brace) { end += 1 }
            var textStart = pos
            if trimNextText {
                while textStart < end && Self.isSpace(bytes[textStart]) { textStart += 1 }
                trimNextText = false
            }
            var textEnd = end
            let trimLeft = end < bytes.count && end + 3 < bytes.count && bytes[end + 2] == UInt8(ascii: "-")
                && Self.isSpace(bytes[end + 3])
            if trimLeft {
                while textEnd > textStart && Self.isSpace(bytes[textEnd - 1]) { textEnd -= 1 }
            }
            if textEnd > textStart {
                tokens.append(TemplateToken(kind: .text(String(decoding: bytes[textStart..<textEnd], as: UTF8.self)),
                                            offset: textStart, spaceBefore: false))
            }
            pos = end
            if pos >= bytes.count { break }
            try lexAction(trimLeft: trimLeft)
        }
        tokens.append(TemplateToken(kind: .eof, offset: bytes.count, spaceBefore: false))
    }

    /// True at ` -}}` (exactly one space before the marker) or `}}`; returns the length to skip.
    private func rightDelimiter(at i: Int) -> (length: Int, trim: Bool)? {
        if i + 1 < bytes.count, Self.isSpace(bytes[i]), bytes[i + 1] == UInt8(ascii: "-"), has("}}", at: i + 2) {
            return (4, true)
        }
        if has("}}", at: i) { return (2, false) }
        return nil
    }

    private mutating func lexAction(trimLeft: Bool) throws {
        let actionStart = pos
        pos += trimLeft ? 4 : 2
        // A comment fills the whole action.
        if has("/*", at: pos) {
            guard let close = find("*/", from: pos + 2) else { throw fail("unclosed comment", at: pos) }
            pos = close + 2
            guard let delim = rightDelimiter(at: pos) else {
                throw fail("comment ends before closing delimiter", at: pos)
            }
            pos += delim.length
            trimNextText = delim.trim
            return
        }
        tokens.append(TemplateToken(kind: .actionStart, offset: actionStart, spaceBefore: false))
        var sawSpace = trimLeft
        var parenDepth = 0
        while true {
            guard pos < bytes.count else { throw fail("unclosed action", at: actionStart) }
            if let delim = rightDelimiter(at: pos) {
                if parenDepth > 0 { throw fail("unclosed left paren", at: pos) }
                tokens.append(TemplateToken(kind: .actionEnd, offset: pos, spaceBefore: sawSpace))
                pos += delim.length
                trimNextText = delim.trim
                return
            }
            let b = bytes[pos]
            if Self.isSpace(b) {
                sawSpace = true
                pos += 1
                continue
            }
            let start = pos
            let kind: TemplateToken.Kind
            switch b {
            case UInt8(ascii: "|"): pos += 1; kind = .pipe
            case UInt8(ascii: ","): pos += 1; kind = .comma
            case UInt8(ascii: "("): pos += 1; parenDepth += 1; kind = .leftParen
            case UInt8(ascii: ")"):
                if parenDepth == 0 { throw fail("unexpected right paren", at: pos) }
                pos += 1; parenDepth -= 1; kind = .rightParen
            case UInt8(ascii: ":"):
                guard pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "=") else {
                    throw fail("expected :=", at: pos)
                }
                pos += 2; kind = .declare
            case UInt8(ascii: "="): pos += 1; kind = .assign
            case UInt8(ascii: "\""): kind = .string(try lexQuoted())
            case UInt8(ascii: "`"): kind = .string(try lexRaw())
            case UInt8(ascii: "'"): kind = .char(try lexChar())
            case UInt8(ascii: "$"):
                pos += 1
                while pos < bytes.count && Self.isAlnum(bytes[pos]) { pos += 1 }
                kind = .variable(String(decoding: bytes[start..<pos], as: UTF8.self))
            case UInt8(ascii: "."):
                if pos + 1 < bytes.count, bytes[pos + 1] >= 0x30, bytes[pos + 1] <= 0x39 {
                    kind = .number(try lexNumber())
                } else {
                    pos += 1
                    let nameStart = pos
                    while pos < bytes.count && Self.isAlnum(bytes[pos]) { pos += 1 }
                    kind = pos == nameStart ? .dot : .field(String(decoding: bytes[nameStart..<pos], as: UTF8.self))
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                kind = .number(try lexNumber())
            default:
                guard Self.isAlnum(b) else {
                    let scalar = String(decoding: bytes[pos..<min(pos + 4, bytes.count)], as: UTF8.self)
                        .unicodeScalars.first.map { String($0) } ?? "?"
                    throw fail("unrecognized character in action: '\(scalar)'", at: pos)
                }
                while pos < bytes.count && Self.isAlnum(bytes[pos]) { pos += 1 }
                kind = .identifier(String(decoding: bytes[start..<pos], as: UTF8.self))
            }
            tokens.append(TemplateToken(kind: kind, offset: start, spaceBefore: sawSpace))
            sawSpace = false
        }
    }

    private func find(_ s: StaticString, from: Int) -> Int? {
        var i = from
        while i < bytes.count {
            if has(s, at: i) { return i }
            i += 1
        }
        return nil
    }

    private mutating func lexNumber() throws -> String {
        let start = pos
        if bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        var digits = "0123456789_"
        var exponent: Set<Character> = ["e", "E"]
        if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "0") {
            switch bytes[pos + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): pos += 2; digits = "0123456789abcdefABCDEF_"; exponent = ["p", "P"]
            case UInt8(ascii: "o"), UInt8(ascii: "O"): pos += 2; digits = "01234567_"
            case UInt8(ascii: "b"), UInt8(ascii: "B"): pos += 2; digits = "01_"
            default: break
            }
        }
        let digitSet = Set(digits.utf8)
        while pos < bytes.count && digitSet.contains(bytes[pos]) { pos += 1 }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            while pos < bytes.count && digitSet.contains(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, exponent.contains(Character(UnicodeScalar(bytes[pos]))) {
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
        }
        if pos < bytes.count && Self.isAlnum(bytes[pos]) {
            while pos < bytes.count && Self.isAlnum(bytes[pos]) { pos += 1 }
            throw fail("bad number syntax: '\(String(decoding: bytes[start..<pos], as: UTF8.self))'", at: start)
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private mutating func lexRaw() throws -> String {
        let start = pos
        pos += 1
        while pos < bytes.count && bytes[pos] != UInt8(ascii: "`") { pos += 1 }
        guard pos < bytes.count else { throw fail("unterminated raw quoted string", at: start) }
        let s = String(decoding: bytes[(start + 1)..<pos], as: UTF8.self)
        pos += 1
        return s
    }

    private mutating func lexQuoted() throws -> String {
        let start = pos
        pos += 1
        var out = [UInt8]()
        while true {
            guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else {
                throw fail("unterminated quoted string", at: start)
            }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; break }
            if b == UInt8(ascii: "\\") {
                try lexEscape(into: &out, quote: UInt8(ascii: "\""))
            } else {
                out.append(b)
                pos += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func lexChar() throws -> Int {
        let start = pos
        pos += 1
        var out = [UInt8]()
        while true {
            guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else {
                throw fail("unterminated character constant", at: start)
            }
            let b = bytes[pos]
            if b == UInt8(ascii: "'") { pos += 1; break }
            if b == UInt8(ascii: "\\") { try lexEscape(into: &out, quote: UInt8(ascii: "'")) } else { out.append(b); pos += 1 }
        }
        let scalars = String(decoding: out, as: UTF8.self).unicodeScalars
        guard scalars.count == 1, let c = scalars.first else {
            throw fail("malformed character constant", at: start)
        }
        return Int(c.value)
    }

    /// Decodes one backslash escape at `pos` (Go `strconv.Unquote` rules) into `out`.
    private mutating func lexEscape(into out: inout [UInt8], quote: UInt8) throws {
        let start = pos
        pos += 1
        guard pos < bytes.count else { throw fail("unterminated quoted string", at: start) }
        let c = bytes[pos]
        pos += 1
        func hex(_ n: Int) throws -> UInt32 {
            guard pos + n <= bytes.count,
                  let v = UInt32(String(decoding: bytes[pos..<(pos + n)], as: UTF8.self), radix: 16) else {
                throw fail("invalid escape sequence in string", at: start)
            }
            pos += n
            return v
        }
        switch c {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"): out.append(c)
        case quote: out.append(c)
        case UInt8(ascii: "x"): out.append(UInt8(try hex(2)))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let v = try hex(c == UInt8(ascii: "u") ? 4 : 8)
            guard let scalar = UnicodeScalar(v) else { throw fail("invalid escape sequence in string", at: start) }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard pos + 2 <= bytes.count,
                  let v = UInt8(String(decoding: bytes[(pos - 1)..<(pos + 2)], as: UTF8.self), radix: 8) else {
                throw fail("invalid escape sequence in string", at: start)
            }
            pos += 2
            out.append(v)
        default:
            throw fail("invalid escape sequence '\\\(Character(UnicodeScalar(c)))' in string", at: start)
        }
    }
}
