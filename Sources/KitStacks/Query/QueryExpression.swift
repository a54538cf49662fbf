import Foundation
import KitModel

/// A jq expression over a `Value`, evaluated by libjq: `--query`, the query of `!include <file>
/// <query>` and the output part of `!terraform.output` / `!terraform.state`. `docs/query.md`
/// describes the language (jq 1.6) and what kit adds or refuses.
///
/// Parsing compiles the program, so every syntax error surfaces before anything runs. Kit's older
/// spellings keep working: `'single quoted'` strings and `.a.[0]` (see `JQSource`). Programs that
/// reach files (`import`, `include`, `modulemeta`) are refused, and so are `env` / `$ENV` when
/// `environment` is `.refused`.
public struct QueryExpression: Equatable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    /// The program libjq runs (`text` with kit's spellings rewritten).
    let program: String

    /// The longest expression kit compiles, in characters: libjq's compile time grows quickly with
    /// length (a 64 KiB chain of `or` takes seconds, 1 MiB minutes), and real queries are short.
    public static let maxLength = 8192

    /// Compiles `text`; throws `QueryError` naming the line (and for refused names the column).
    public static func parse(_ text: String, environment: QueryEnvironmentAccess = .allowed) throws -> QueryExpression {
        let length = text.unicodeScalars.count
        if length > maxLength {
            throw QueryError(text: text, problem: "the expression is \(length) characters long, longer than \(maxLength)",
                             hint: "queries are compiled by libjq, whose compile time grows quickly with length")
        }
        let source = JQSource(text, environment: environment)
        if let r = source.refusals.first {
            // Untrusted mode's refusal text (its rule and `--untrusted`), which `describe affected`
            // recognises as a refusal at a ref rather than a broken manifest.
            let hint = JQSource.fileNames.contains(r.name)
                ? "kit runs no jq modules and reads no files from a query"
                : UntrustedRefusal(rule: .noEnvironment, what: "'\(r.name)' in a jq query").message
            throw QueryError(text: text, line: r.line, column: r.column, problem: "'\(r.name)' is refused", hint: hint)
        }
        if source.program.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            throw QueryError(text: text, problem: "the expression is empty", hint: "write '.' for the whole input")
        }
        // `.name` / `.a.b` (a bare output name, `.vars.x`) needs no compile; libjq compiles its builtins
        // for every program (tens of milliseconds), so the common case is answered directly — see `field`.
        if Self.plainPath(source.program) != nil { return QueryExpression(text: text, program: source.program) }
        do {
            try JQEngine.shared.check(source.program)
        } catch let f as JQEngine.Failure {
            // atmos's queries are yq, where `.auth.identities.data-default` is a path. In jq that text
            // cannot compile (`default/0 is not defined`): read it as the path it can only mean.
            if f.message.hasSuffix("/0 is not defined"), let keys = Self.dashedPath(source.program) {
                return QueryExpression(text: text, program: keys.map { "." + JSONWriter.compact(.string($0)) }.joined())
            }
            throw QueryError(text: text, line: f.line, column: f.column, problem: f.message, hint: Self.hint(for: f.message, in: text))
        }
        return QueryExpression(text: text, program: source.program)
    }

    /// `.a.b-c.d`: a path whose keys are words that may hold `-` (at least one does), or nil.
    static func dashedPath(_ program: String) -> [String]? {
        guard program.hasPrefix("."), program.contains("-") else { return nil }
        let parts = program.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        for part in parts {
            guard let first = part.unicodeScalars.first, JQSource.isWordStart(first), part.last != "-",
                  part.unicodeScalars.allSatisfy({ JQSource.isWordPart($0) || $0 == "-" }) else { return nil }
        }
        return parts.map(String.init)
    }

    /// Every result of the expression with `v` as its input, in jq's order (`.[]` gives several,
    /// `select` or `empty` none). Throws `QueryError` for jq's runtime errors.
    public func evaluateAll(_ v: Value) throws -> [Value] {
        if program == "." { return [v] }  // keeps `!append` tags and map identity on the common case
        if let keys = Self.plainPath(program) {
            var current = v
            for key in keys { current = try field(key, of: current) }
            return [current]
        }
        do {
            return try JQEngine.shared.run(program, on: v)
        } catch let f as JQEngine.Failure {
            throw QueryError(text: text, line: f.line, problem: f.message, hint: Self.hint(for: f.message, in: text))
        }
    }

    /// The one result of the expression with `v` as its input. No result or several are an error:
    /// a caller that places one value needs exactly one.
    public func evaluate(_ v: Value) throws -> Value {
        let results = try evaluateAll(v)
        if results.count == 1 { return results[0] }
        if results.isEmpty {
            throw QueryError(text: text, problem: "the expression produced no result",
                             hint: "one is needed here; add a default with '// null' or drop 'select'/'empty'")
        }
        throw QueryError(text: text, problem: "the expression produced \(results.count) results",
                         hint: "one is needed here; collect them into a list with '[ … ]' or pick one with 'first(…)'")
    }

    /// The keys of `program` when it is exactly a chain of `.name` steps (each a letter or `_`, then
    /// letters, digits, `_`; no spaces), else nil: `.vars.x` → ["vars", "x"].
    static func plainPath(_ program: String) -> [String]? {
        guard program.hasPrefix("."), program.count > 1 else { return nil }
        let parts = program.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        for part in parts {
            guard let first = part.unicodeScalars.first, JQSource.isWordStart(first),
                  part.unicodeScalars.allSatisfy(JQSource.isWordPart) else { return nil }
        }
        return parts.map(String.init)
    }

    /// jq's `.name`: the value of a map's key (null when missing), null for null, else jq 1.6's error.
    /// JQOracleTests checks it against the jq CLI (`.vars`, `.missing`, `.[] | .x` on other types).
    func field(_ key: String, of v: Value) throws -> Value {
        var v = v
        while case .tagged(_, let inner) = v { v = inner }
        switch v {
        case .map(let m): return m[key] ?? .null
        case .null: return .null
        default:
            let kind: String
            switch v {
            case .bool: kind = "boolean"
            case .int, .double: kind = "number"
            case .string: kind = "string"
            default: kind = "array"
            }
            throw QueryError(text: text, problem: "Cannot index \(kind) with string \"\(MessageText.quoted(key, limit: 300))\"")
        }
    }

    /// True when some result for `v` is neither null nor false (jq's `select` keeps such inputs).
    public func matches(_ v: Value) throws -> Bool {
        try evaluateAll(v).contains { result in
            switch result {
            case .null, .bool(false): return false
            default: return true
            }
        }
    }

    /// The source text.
    public var description: String { text }

    /// Two expressions are equal when their source texts are.
    public static func == (a: QueryExpression, b: QueryExpression) -> Bool { a.text == b.text }

    /// The first key the expression reads from its input (`vpc_id` in `.vpc_id[0] == "x"`,
    /// `a-b` in `.["a-b"]`), or nil when it starts with something else.
    var leadingKey: String? {
        let s = Array(program.unicodeScalars)
        guard s.first == ".", s.count > 1 else { return nil }
        if JQSource.isWordStart(s[1]) {
            var name = String.UnicodeScalarView()
            name.append(contentsOf: s[1...].prefix(while: JQSource.isWordPart))
            return String(name)
        }
        var rest = Substring(program.dropFirst())
        if rest.hasPrefix("[") { rest = rest.dropFirst() }
        guard rest.hasPrefix("\"") else { return nil }
        let body = rest.dropFirst().prefix(while: { $0 != "\"" && $0 != "\\" })
        guard rest.dropFirst().dropFirst(body.count).hasPrefix("\"") else { return nil }
        return String(body)
    }

    /// True when the expression may turn a missing value into another one (`//`, `?`, `try`).
    var hasAlternative: Bool {
        program.contains("//") || program.contains("?") || program.range(of: #"\btry\b"#, options: .regularExpression) != nil
    }

    /// What to do about libjq's `message`, or empty.
    static func hint(for message: String, in text: String) -> String {
        if let slash = message.range(of: "/0 is not defined"), !text.contains("-" + message[..<slash.lowerBound]) {
            let name = message[..<slash.lowerBound]
            if !name.isEmpty, name.unicodeScalars.allSatisfy(JQSource.isWordPart) {
                return "write '.\(name)' for the key '\(name)'"
            }
        }
        if message.hasPrefix("syntax error") || message.hasPrefix("Cannot index boolean"),
           text.range(of: #"(^|[\s(|,])not\s+[.(\[$"]"#, options: .regularExpression) != nil {
            return "jq's 'not' is a filter: write '(…) | not'"
        }
        if let slash = message.range(of: "/0 is not defined"), text.contains("-" + message[..<slash.lowerBound]) {
            return "in jq '-' subtracts: write a key with '-' as .[\"my-key\"] or .\"my-key\""
        }
        if message.hasSuffix("is not defined") {
            return "kit evaluates queries with jq 1.6 (docs/query.md)"
        }
        return ""
    }
}
