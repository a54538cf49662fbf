/// The structure of an HCL native-syntax file: its attributes and blocks, each with the line it starts
/// on, and every expression as its tokens and source text (read as a literal on request, never
/// evaluated further). What a configuration reader needs; not a full HCL parser.
///
/// Structural mistakes — an unclosed block, bracket, string, heredoc or comment, a `}` with nothing
/// to close, a line that is neither an attribute nor a block — are recorded in `errors` with their
/// line; parsing goes on after each, so what is well-formed is still read.
package struct HCLBody: Sendable {
    /// `name = expression`.
    package struct Attribute: Sendable {
        package var name: String
        package var line: Int
        package var expression: HCLExpression
    }

    /// `type "label" … { body }`.
    package struct Block: Sendable {
        package var type: String
        package var labels: [String]
        package var line: Int
        package var body: HCLBody
    }

    /// A structural mistake at a line.
    package struct SyntaxError: Sendable, Equatable {
        package var line: Int
        package var message: String
    }

    package var attributes: [Attribute] = []
    package var blocks: [Block] = []

    /// The attribute named `name` (the last one, if written twice).
    package func attribute(_ name: String) -> Attribute? { attributes.last { $0.name == name } }

    /// Parses a whole file: its top-level body and the structural mistakes found.
    package static func parse(_ text: String) -> (body: HCLBody, errors: [SyntaxError]) {
        let (tokens, unclosed) = HCLTokenizer.located(text)
        var parser = HCLBodyParser(tokens: tokens, source: Array(text.utf8))
        let body = parser.body(closedByBrace: false, openLine: 0)
        var errors = parser.errors
        if let unclosed { errors.append(SyntaxError(line: unclosed.line, message: "unclosed \(unclosed.what)")) }
        return (body, errors.sorted { $0.line < $1.line })
    }
}

/// One expression: its tokens and its text as written.
package struct HCLExpression: Sendable {
    let tokens: [HCLTokenizer.Located]
    /// The expression's source, from its first token to its last (comments inside included).
    package let text: String
    /// The line the expression starts on.
    package let line: Int

    /// The value when the expression is a literal: a string or heredoc without interpolation, a
    /// number (with an optional leading `-`), `true`, `false`, `null`, or a list or object of
    /// literals (keys: names, strings, numbers). nil for anything else (references, function calls,
    /// operators, conditionals, `for` expressions, templates).
    package var literal: Value? {
        var reader = HCLLiteralReader(tokens: tokens.filter { $0.token != .newline })
        guard let v = reader.value(), reader.atEnd else { return nil }
        return v
    }

    /// The literal as a string, as HCL converts one to a string: a string itself, a number or bool
    /// as written; nil for anything else.
    package var stringLiteral: String? {
        switch literal {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .double(let d)?: return String(d)
        case .bool(let b)?: return b ? "true" : "false"
        default: return nil
        }
    }

    /// A reference such as `aws.west` or `aws` (names joined by dots), as written without quotes;
    /// nil for anything else.
    package var traversal: [String]? {
        var names: [String] = []
        var expectName = true
        for t in tokens where t.token != .newline {
            switch t.token {
            case .identifier(let n) where expectName: names.append(n); expectName = false
            case .other(UInt8(ascii: ".")) where !expectName: expectName = true
            default: return nil
            }
        }
        return expectName || names.isEmpty ? nil : names
    }

    /// The elements of a list expression (`[a, b]`), each an expression; nil when this is not a list.
    package var listElements: [HCLExpression]? {
        let ts = tokens.filter { $0.token != .newline }
        guard ts.first?.token == .other(UInt8(ascii: "[")), ts.last?.token == .other(UInt8(ascii: "]")) else { return nil }
        var out: [HCLExpression] = []
        var current: [HCLTokenizer.Located] = []
        var depth = 0
        for t in ts.dropFirst().dropLast() {
            if depth == 0 && t.token == .other(UInt8(ascii: ",")) {
                if !current.isEmpty { out.append(HCLExpression(tokens: current, source: source)) }
                current = []
                continue
            }
            depth += HCLBodyParser.depthChange(t.token)
            current.append(t)
        }
        if !current.isEmpty { out.append(HCLExpression(tokens: current, source: source)) }
        return out
    }

    /// The entries of an object expression (`{ a = x, "b" = y }`), keys read as literals; nil when
    /// this is not an object whose keys kit can read.
    package var objectEntries: [(key: String, value: HCLExpression)]? {
        let ts = tokens.filter { $0.token != .newline }
        guard ts.first?.token == .openBrace, ts.last?.token == .closeBrace else { return nil }
        var out: [(key: String, value: HCLExpression)] = []
        var k = 1
        let end = ts.count - 1
        while k < end {
            if ts[k].token == .other(UInt8(ascii: ",")) { k += 1; continue }
            let key: String
            switch ts[k].token {
            case .identifier(let n): key = n
            case .string(let s?): key = s
            default: return nil
            }
            k += 1
            guard k < end, ts[k].token == .equals || ts[k].token == .other(UInt8(ascii: ":")) else { return nil }
            k += 1
            var value: [HCLTokenizer.Located] = []
            var depth = 0
            // The value runs to a `,` or the next `key =` at depth 0 (entries may be separated by newlines only).
            while k < end {
                let t = ts[k]
                if depth == 0 && t.token == .other(UInt8(ascii: ",")) { break }
                if depth == 0, !value.isEmpty, t.line > value.last!.line, k + 1 < end,
                   ts[k + 1].token == .equals || ts[k + 1].token == .other(UInt8(ascii: ":")) { break }
                depth += HCLBodyParser.depthChange(t.token)
                value.append(t)
                k += 1
            }
            guard !value.isEmpty else { return nil }
            out.append((key, HCLExpression(tokens: value, source: source)))
        }
        return out
    }

    private let source: [UInt8]

    init(tokens: [HCLTokenizer.Located], source: [UInt8]) {
        self.tokens = tokens
        self.source = source
        if let first = tokens.first, let last = tokens.last {
            text = String(decoding: source[first.start..<last.end], as: UTF8.self)
            line = first.line
        } else {
            text = ""
            line = 0
        }
    }
}

/// Builds an `HCLBody` from located tokens.
struct HCLBodyParser {
    let tokens: [HCLTokenizer.Located]
    let source: [UInt8]
    var k = 0
    var errors: [HCLBody.SyntaxError] = []

    init(tokens: [HCLTokenizer.Located], source: [UInt8]) {
        self.tokens = tokens
        self.source = source
    }

    static func depthChange(_ t: HCLTokenizer.Token) -> Int {
        switch t {
        case .openBrace, .other(UInt8(ascii: "(")), .other(UInt8(ascii: "[")): return 1
        case .closeBrace, .other(UInt8(ascii: ")")), .other(UInt8(ascii: "]")): return -1
        default: return 0
        }
    }

    var lastLine: Int { tokens.last?.line ?? 1 }

    mutating func skipLine() {
        while k < tokens.count, tokens[k].token != .newline { k += 1 }
    }

    /// A body up to its closing `}` (consumed) or the end of the text.
    mutating func body(closedByBrace: Bool, openLine: Int) -> HCLBody {
        var body = HCLBody()
        while k < tokens.count {
            let t = tokens[k]
            switch t.token {
            case .newline:
                k += 1
            case .closeBrace:
                k += 1
                if closedByBrace { return body }
                errors.append(.init(line: t.line, message: "unexpected '}'"))
            case .identifier(let name):
                k += 1
                if k < tokens.count, tokens[k].token == .equals {
                    k += 1
                    body.attributes.append(HCLBody.Attribute(name: name, line: t.line, expression: expression(after: t.line)))
                    continue
                }
                var labels: [String] = []
                while k < tokens.count {
                    switch tokens[k].token {
                    case .string(let s?): labels.append(s); k += 1; continue
                    case .identifier(let s): labels.append(s); k += 1; continue
                    default: break
                    }
                    break
                }
                if k < tokens.count, tokens[k].token == .openBrace {
                    k += 1
                    let inner = self.body(closedByBrace: true, openLine: t.line)
                    body.blocks.append(HCLBody.Block(type: name, labels: labels, line: t.line, body: inner))
                } else {
                    errors.append(.init(line: t.line, message: "expected '=' or a block after '\(name)'"))
                    skipLine()
                }
            default:
                errors.append(.init(line: t.line, message: "expected an attribute or a block"))
                skipLine()
            }
        }
        if closedByBrace { errors.append(.init(line: openLine, message: "unclosed block")) }
        return body
    }

    /// An attribute's expression: to the end of its line outside brackets, or to the `}` of a
    /// one-line block (left for the block).
    mutating func expression(after line: Int) -> HCLExpression {
        var depth = 0
        let start = k
        var openLine = line
        while k < tokens.count {
            let t = tokens[k].token
            if depth == 0 && (t == .newline || t == .closeBrace) { break }
            let change = Self.depthChange(t)
            if change > 0 && depth == 0 { openLine = tokens[k].line }
            depth += change
            if depth < 0 { depth = 0 }
            k += 1
        }
        if depth > 0 { errors.append(.init(line: openLine, message: "unclosed bracket")) }
        var trimmed = Array(tokens[start..<k])
        while trimmed.last?.token == .newline { trimmed.removeLast() }
        if trimmed.isEmpty { errors.append(.init(line: line, message: "missing value")) }
        return HCLExpression(tokens: trimmed, source: source)
    }
}

/// Reads a literal value from an expression's tokens (newlines removed).
struct HCLLiteralReader {
    let tokens: [HCLTokenizer.Located]
    var k = 0

    var atEnd: Bool { k == tokens.count }

    mutating func value() -> Value? {
        guard k < tokens.count else { return nil }
        let t = tokens[k].token
        k += 1
        switch t {
        case .string(let s?): return .string(s)
        case .heredoc(let s?): return .string(s)
        case .number(let n): return Self.number(n, negative: false)
        case .identifier("true"): return .bool(true)
        case .identifier("false"): return .bool(false)
        case .identifier("null"): return .null
        case .other(UInt8(ascii: "-")):
            guard k < tokens.count, case .number(let n) = tokens[k].token else { return nil }
            k += 1
            return Self.number(n, negative: true)
        case .other(UInt8(ascii: "(")):
            guard let v = value(), k < tokens.count, tokens[k].token == .other(UInt8(ascii: ")")) else { return nil }
            k += 1
            return v
        case .other(UInt8(ascii: "[")):
            var items: [Value] = []
            while true {
                guard k < tokens.count else { return nil }
                if tokens[k].token == .other(UInt8(ascii: "]")) { k += 1; return .list(items) }
                guard let v = value() else { return nil }
                items.append(v)
                guard k < tokens.count else { return nil }
                if tokens[k].token == .other(UInt8(ascii: ",")) { k += 1; continue }
                if tokens[k].token == .other(UInt8(ascii: "]")) { k += 1; return .list(items) }
                return nil
            }
        case .openBrace:
            var out: [String: Value] = [:]
            while true {
                guard k < tokens.count else { return nil }
                if tokens[k].token == .closeBrace { k += 1; return .map(out) }
                if tokens[k].token == .other(UInt8(ascii: ",")) { k += 1; continue }
                let key: String
                switch tokens[k].token {
                case .identifier(let n): key = n
                case .string(let s?): key = s
                case .number(let n): key = n
                default: return nil
                }
                k += 1
                guard k < tokens.count, tokens[k].token == .equals || tokens[k].token == .other(UInt8(ascii: ":")) else { return nil }
                k += 1
                guard let v = value() else { return nil }
                out[key] = v
            }
        default:
            return nil
        }
    }

    /// A number as HCL's JSON encoding gives it: whole numbers as integers, others as doubles.
    static func number(_ text: String, negative: Bool) -> Value? {
        guard let d = Double(text) else { return nil }
        let v = negative ? -d : d
        if v == v.rounded(), abs(v) < 9.007_199_254_740_992e15, let i = Int(exactly: v) { return .int(i) }
        return .double(v)
    }
}
