import KitModel
/// A malformed `!terraform.output` / `!terraform.state` reference, or a failure to read its value.
///
/// `reference` is the whole reference as written (`!terraform.state vpc vpc_id`); messages echo it
/// capped at 200 characters with control characters escaped.
public enum TerraformReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The function is neither `terraform.output` nor `terraform.state`.
    case unknownFunction(String)
    /// Not 2 or 3 arguments.
    case wrongArgumentCount(reference: String, function: String, count: Int)
    /// A quote opened at `column` (1-based, within `reference`) is never closed.
    case unterminatedQuote(reference: String, column: Int, quote: String)
    /// Text follows a closing quote without a space, at `column` within `reference`.
    case textAfterQuote(reference: String, column: Int)
    /// The component or stack argument is empty (`""`).
    case emptyArgument(reference: String, function: String, name: String)
    /// The output part is not a valid expression.
    case badExpression(reference: String, function: String, error: QueryError)
    /// The expression reads an output the component does not have.
    case outputNotFound(output: String, component: String, stack: String?, available: [String])
    /// The expression failed on the outputs (for example, indexing a string).
    case evaluationFailed(reference: String, error: QueryError)

    /// Most output names listed in `outputNotFound`.
    public static let listedOutputsLimit = 20

    /// `'!f <component> <output>' or '!f <component> <stack> <output>'`.
    static func form(_ function: String) -> String {
        "'!\(function) <component> <output>' or '!\(function) <component> <stack> <output>'"
    }

    /// The message: quotes the reference and says the expected form or what exists.
    public var description: String {
        switch self {
        case .unknownFunction(let f):
            return "'!\(MessageText.quoted(f))' is not a terraform reference — use '!terraform.output' or '!terraform.state'"
        case .wrongArgumentCount(let r, let f, let n):
            return "'\(MessageText.quoted(r))' has \(n) argument\(n == 1 ? "" : "s"), expected 2 or 3 — write \(Self.form(f)), and quote an expression that contains spaces"
        case .unterminatedQuote(let r, let column, let q):
            return "'\(MessageText.quoted(r))' has an unterminated \(q) at column \(column) — close it; inside \(q)…\(q) write \(q)\(q) for a literal \(q)"
        case .textAfterQuote(let r, let column):
            return "'\(MessageText.quoted(r))' has text right after a closing quote at column \(column) — put a space between arguments, or quote the whole argument"
        case .emptyArgument(let r, let f, let name):
            return "'\(MessageText.quoted(r))' has an empty \(name) — write \(Self.form(f))"
        case .badExpression(let r, let f, let e):
            return "'\(MessageText.quoted(r))': bad expression '\(MessageText.quoted(e.text))': \(e.detail); the form is '!\(f) <component> [<stack>] <output-or-expression>'"
        case .outputNotFound(let output, let component, let stack, let available):
            let place = "component '\(MessageText.quoted(component))'" + (stack.map { " in stack '\(MessageText.quoted($0))'" } ?? "")
            let listed: String
            if available.isEmpty {
                listed = "the component has no outputs (has it been applied?); add a default with '//'"
            } else {
                let shown = available.prefix(Self.listedOutputsLimit).map { MessageText.quoted($0, limit: 100) }.joined(separator: ", ")
                let more = available.count > Self.listedOutputsLimit ? " (and \(available.count - Self.listedOutputsLimit) more)" : ""
                listed = "outputs: \(shown)\(more)"
            }
            return "output '\(MessageText.quoted(output))' not found in \(place) — \(listed)"
        case .evaluationFailed(let r, let e):
            return "'\(MessageText.quoted(r))': \(e.detail)"
        }
    }
}
