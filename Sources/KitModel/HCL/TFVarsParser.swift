/// Parses terraform variable files (`.tfvars`, and `.hcl` files of attributes) into data, for
/// `!include` (atmos turns such files into maps; reference §14 #44).
///
/// Understood: `name = value` attributes (one per line, or separated by commas inside objects);
/// strings with escapes (`\n`, `\t`, `\"`, `\\`, `\uXXXX`; `${…}` kept as written), heredocs
/// (`<<EOF` and indented `<<-EOF`), numbers, `true`/`false`/`null`, lists `[…]`, objects `{…}` with
/// `key = value` or `key: value` and quoted keys, and `#`, `//`, `/* */` comments. Anything else (blocks,
/// function calls, expressions) is an error with its line and column.
public struct TFVarsParser {
    /// A parse failure at a 1-based line and column of the file.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var mark: Mark
        public var description: String { "\(mark): \(message)" }
    }

    let chars: [Character]
    var i = 0
    var line = 1
    var column = 1

    /// Parses a whole file into a map of its attributes.
    public static func parse(_ text: String) throws -> Value {
        var p = TFVarsParser(chars: Array(text))
        return try p.body()
    }

    init(chars: [Character]) { self.chars = chars }

    var mark: Mark { Mark(line: line, column: column) }
    func fail(_ message: String) -> Failure { Failure(message: message, mark: mark) }
    var peek: Character? { i < chars.count ? chars[i] : nil }
    func peek(_ offset: Int) -> Character? { i + offset < chars.count ? chars[i + offset] : nil }

    mutating func advance() {
        if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    /// Skips spaces and comments; newlines too when `newlines`.
    mutating func skip(newlines: Bool) throws {
        while let c = peek {
            if c == " " || c == "\t" || c == "\r" || (newlines && c == "\n") { advance(); continue }
            if c == "#" || (c == "/" && peek(1) == "/") {
                while let d = peek, d != "\n" { _ = d; advance() }
                continue
            }
            if c == "/" && peek(1) == "*" {
                let start = mark
                advance(); advance()
                while peek != nil && !(peek == "*" && peek(1) == "/") { advance() }
                guard peek != nil else { throw Failure(message: "unclosed comment", mark: start) }
                advance(); advance()
                continue
            }
            break
        }
    }

    mutating func body() throws -> Value {
        var out: [String: Value] = [:]
        while true {
            try skip(newlines: true)
            guard peek != nil else { return .map(out) }
            let keyMark = mark
            let key = try identifier()
            try skip(newlines: false)
            if peek == "{" || peek == "\"" {
                throw Failure(message: "block '\(key)' is not supported — a variables file holds attributes ('name = value') only", mark: keyMark)
            }
            guard peek == "=" else { throw fail("expected '=' after '\(key)'") }
            advance()
            try skip(newlines: false)
            if out[key] != nil { throw Failure(message: "attribute '\(key)' is set twice", mark: keyMark) }
            out[key] = try value()
            try skip(newlines: false)
            if let c = peek, c != "\n" { throw fail("unexpected '\(c)' after the value of '\(key)' — one attribute per line") }
        }
    }

    mutating func identifier() throws -> String {
        var s = ""
        while let c = peek, c.isLetter || c.isNumber || c == "_" || c == "-" { s.append(c); advance() }
        guard !s.isEmpty else { throw fail("expected an attribute name, found '\(peek.map(String.init) ?? "end of file")'") }
        return s
    }

    mutating func value() throws -> Value {
        guard let c = peek else { throw fail("expected a value, found the end of the file") }
        switch c {
        case "\"": return .string(try quoted())
        case "[": return try list()
        case "{": return try object()
        case "<" where peek(1) == "<": return .string(try heredoc())
        case "-", "0"..."9": return try number()
        default:
            let start = mark
            var word = ""
            while let d = peek, d.isLetter || d.isNumber || d == "_" || d == "." { word.append(d); advance() }
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default:
                throw Failure(message: word.isEmpty ? "unexpected '\(c)' — only literal values (strings, numbers, bools, lists, maps) are supported"
                                                    : "'\(word)' is an expression; kit reads literal values only (strings, numbers, bools, null, lists, maps)", mark: start)
            }
        }
    }

    mutating func quoted() throws -> String {
        let start = mark
        advance()
        var s = ""
        while let c = peek {
            if c == "\"" { advance(); return s }
            if c == "\n" { break }
            if c == "\\" {
                advance()
                guard let e = peek else { break }
                advance()
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "r": s.append("\r")
                case "\"": s.append("\"")
                case "\\": s.append("\\")
                case "u":
                    var hex = ""
                    for _ in 0..<4 { if let h = peek, h.isHexDigit { hex.append(h); advance() } }
                    guard hex.count == 4, let n = UInt32(hex, radix: 16), let u = Unicode.Scalar(n) else { throw fail("invalid \\u escape") }
                    s.unicodeScalars.append(u)
                default: throw fail("unknown escape '\\\(e)'")
                }
                continue
            }
            s.append(c)
            advance()
        }
        throw Failure(message: "unclosed string", mark: start)
    }

    mutating func heredoc() throws -> String {
        let start = mark
        advance(); advance()
        var indented = false
        if peek == "-" { indented = true; advance() }
        var tag = ""
        while let c = peek, c.isLetter || c.isNumber || c == "_" { tag.append(c); advance() }
        guard !tag.isEmpty else { throw fail("expected a heredoc marker after '<<'") }
        while let c = peek, c != "\n" { if c != " " && c != "\r" { throw fail("unexpected text after the heredoc marker") }; advance() }
        guard peek == "\n" else { throw Failure(message: "unclosed heredoc '\(tag)'", mark: start) }
        advance()
        var lines: [String] = []
        var current = ""
        while let c = peek {
            if c == "\n" {
                // The closing marker's newline ends the attribute, so it is left for the caller.
                if current.trimmingWhitespace() == tag { return Self.joinHeredoc(lines, indented: indented) }
                lines.append(current); current = ""
            } else {
                current.append(c)
            }
            advance()
        }
        if current.trimmingWhitespace() == tag { return Self.joinHeredoc(lines, indented: indented) }
        throw Failure(message: "unclosed heredoc '\(tag)'", mark: start)
    }

    static func joinHeredoc(_ lines: [String], indented: Bool) -> String {
        var ls = lines
        if indented {
            let indent = ls.filter { !$0.trimmingWhitespace().isEmpty }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
            ls = ls.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " || $0 == "\t" }.count))) }
        }
        return ls.map { $0 + "\n" }.joined()
    }

    mutating func number() throws -> Value {
        let start = mark
        var s = ""
        while let c = peek, c.isNumber || c == "-" || c == "+" || c == "." || c == "e" || c == "E" { s.append(c); advance() }
        if let n = Int(s) { return .int(n) }
        if let d = Double(s) { return .double(d) }
        throw Failure(message: "'\(s)' is not a number", mark: start)
    }

    mutating func list() throws -> Value {
        advance()
        var items: [Value] = []
        while true {
            try skip(newlines: true)
            if peek == "]" { advance(); return .list(items) }
            items.append(try value())
            try skip(newlines: true)
            if peek == "," { advance(); continue }
            if peek == "]" { advance(); return .list(items) }
            throw fail("expected ',' or ']' in a list")
        }
    }

    mutating func object() throws -> Value {
        advance()
        var out: [String: Value] = [:]
        while true {
            try skip(newlines: true)
            if peek == "}" { advance(); return .map(out) }
            let key = peek == "\"" ? try quoted() : try identifier()
            try skip(newlines: false)
            guard peek == "=" || peek == ":" else { throw fail("expected '=' or ':' after '\(key)'") }
            advance()
            try skip(newlines: true)
            out[key] = try value()
            try skip(newlines: false)
            if peek == "," { advance() }
        }
    }
}
