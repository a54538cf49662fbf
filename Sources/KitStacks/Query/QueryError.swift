import KitModel
/// A problem in a query expression: a compile error found by `QueryExpression.parse` (libjq's, or a
/// name kit refuses), or an error raised while evaluating it.
///
/// `description` reads `--query '.vars.x =! 1': syntax error, unexpected an invalid character`.
/// The echoed expression is capped at 200 characters and its control characters are escaped.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The whole expression, as the user wrote it.
    public var text: String
    /// 1-based line of the problem within `text`, when known (libjq places compile errors by line).
    public var line: Int?
    /// 1-based column (in Unicode scalars) of the problem within its line, when known.
    public var column: Int?
    /// What is wrong: libjq's message, cleaned up (`Cannot index string with string "x"`).
    public var problem: String
    /// What to do, or empty.
    public var hint: String

    /// Creates an error at `line`/`column` of `text` (either may be unknown).
    public init(text: String, line: Int? = nil, column: Int? = nil, problem: String, hint: String = "") {
        self.text = text
        self.line = line
        self.column = column
        self.problem = problem
        self.hint = hint
    }

    /// The problem, its place and the hint, without the expression:
    /// `'env' is refused at column 1 — this repository is untrusted`.
    public var detail: String {
        hint.isEmpty ? placedProblem : "\(placedProblem) — \(hint)"
    }

    /// The problem and its place in the expression: `syntax error at line 2, column 3`.
    public var placedProblem: String {
        let multiline = text.contains("\n")
        var place = ""
        switch (line, column) {
        case (let l?, let c?): place = multiline ? " at line \(l), column \(c)" : " at column \(c)"
        case (let l?, nil): place = multiline ? " at line \(l)" : ""
        case (nil, let c?): place = " at column \(c)"
        case (nil, nil): break
        }
        return problem + place
    }

    /// The expression as the message names it: `--query '<expression>'`.
    public var quotedExpression: String { "--query '\(MessageText.quoted(text))'" }

    /// `--query '<expression>': <detail>`.
    public var description: String { "\(quotedExpression): \(detail)" }
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
