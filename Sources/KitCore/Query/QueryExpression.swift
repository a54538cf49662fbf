/// A parsed jq-like expression over a `Value`, used by `--query` and by the output part of
/// `!terraform.output` / `!terraform.state`. `docs/query.md` describes the language.
///
/// In short: paths (`.`, `.a.b`, `.a["key-with-dash"]`, `."quoted"`, `.list[0]`, `.list[-1]`; a
/// missing key or index gives null), literals (`"…"`, `'…'`, integers, floats, `true`, `false`,
/// `null`), `//` (alternative), `or`, `and`, `not` (prefix, or jq's `… | not`), `== != < <= > >=`,
/// `|` (pipe), parentheses, and the functions `length`, `keys`, `contains(x)`, `startswith(s)`,
/// `endswith(s)`.
///
/// Parsing never recurses deeper than 100 nesting levels (parentheses, prefix `not`, function
/// arguments), and chains of operators or path steps are stored flat, so hostile input fails or
/// finishes quickly instead of exhausting the stack.
public struct QueryExpression: Equatable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    let root: QueryNode

    init(text: String, root: QueryNode) {
        self.text = text
        self.root = root
    }

    /// Parses `text`; throws `QueryError` with the 1-based column of the first problem.
    public static func parse(_ text: String) throws -> QueryExpression {
        var parser = try QueryParser(text: text)
        return QueryExpression(text: text, root: try parser.parse())
    }

    /// The result of the expression with `v` as the input (`.`).
    ///
    /// Throws `QueryError` for type errors, such as indexing a string with a key.
    public func evaluate(_ v: Value) throws -> Value {
        try QueryEvaluator(text: text).evaluate(root, v)
    }

    /// True unless the result for `v` is null or false.
    public func matches(_ v: Value) throws -> Bool {
        QueryEvaluator.isTruthy(try evaluate(v))
    }

    /// The source text.
    public var description: String { text }

    /// Two expressions are equal when their source texts are.
    public static func == (a: QueryExpression, b: QueryExpression) -> Bool { a.text == b.text }

    /// The first key the expression reads from its input (`vpc_id` in `.vpc_id[0] == "x"`), or nil
    /// when it starts with something else.
    var leadingKey: String? {
        var node = root
        while true {
            switch node {
            case .pipe(let items): node = items[0]
            case .compare(_, let lhs, _, _): node = lhs
            case .path(.none, let steps, _):
                if case .key(let k, _)? = steps.first { return k }
                return nil
            case .path(let base?, _, _): node = base
            default: return nil
            }
        }
    }

    /// True when the expression contains `//` anywhere, so a missing value may have a default.
    var hasAlternative: Bool { Self.containsAlternative(root) }

    static func containsAlternative(_ node: QueryNode) -> Bool {
        switch node {
        case .alternative: return true
        case .literal: return false
        case .path(let base, _, _): return base.map(containsAlternative) ?? false
        case .pipe(let items), .or(let items), .and(let items): return items.contains(where: containsAlternative)
        case .not(let inner): return containsAlternative(inner)
        case .compare(_, let a, let b, _): return containsAlternative(a) || containsAlternative(b)
        case .call(_, let argument, _): return argument.map(containsAlternative) ?? false
        }
    }
}
