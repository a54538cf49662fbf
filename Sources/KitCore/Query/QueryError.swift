/// A problem in a query expression: a syntax error found by `QueryExpression.parse`, or a type
/// error found while evaluating it.
///
/// `description` reads `--query '.vars.x =! 1': unexpected '!' at column 10 — expected an operator`.
/// The echoed expression is capped at 200 characters and its control characters are escaped.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The whole expression, as the user wrote it.
    public var text: String
    /// 1-based column (in Unicode scalars) of the problem within `text`.
    public var column: Int
    /// What is wrong, lowercase: `unexpected '!'`.
    public var problem: String
    /// What to do or what was expected, or empty: `expected an operator`.
    public var hint: String

    /// Creates an error at `column` of `text`.
    public init(text: String, column: Int, problem: String, hint: String = "") {
        self.text = text
        self.column = column
        self.problem = problem
        self.hint = hint
    }

    /// The problem, its column and the hint, without the expression: `unexpected '!' at column 10 — expected an operator`.
    public var detail: String {
        let base = "\(problem) at column \(column)"
        return hint.isEmpty ? base : "\(base) — \(hint)"
    }

    /// `--query '<expression>': <detail>`.
    public var description: String { "--query '\(MessageText.quoted(text))': \(detail)" }
}

/// Makes user text safe to echo inside an error message.
enum MessageText {
    /// Longest run of user text echoed in a message, in characters.
    static let limit = 200

    /// `text` capped at `limit` characters (with `…` when cut) and with control characters escaped
    /// (`\n`, `\r`, `\t`, otherwise `\u{1b}`).
    static func quoted(_ text: String, limit: Int = limit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { out += "…"; break }
            count += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
