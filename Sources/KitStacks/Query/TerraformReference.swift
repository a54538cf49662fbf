import KitModel
/// The arguments of atmos's `!terraform.output` and `!terraform.state` YAML functions.
///
/// Forms (atmos's syntax):
///
///     !terraform.state <component> <output-or-expression>           # the current stack
///     !terraform.state <component> <stack> <output-or-expression>
///
/// The output part is a bare output name (`vpc_id`, read as `.vpc_id`) or a query expression
/// starting with `.` (`.private_subnet_ids[0]`, `.config.x // "default"`); see `QueryExpression`.
/// Wrap an argument containing spaces in `"…"` or `'…'` (a doubled quote inside stands for one):
/// `!terraform.output vpc '.name // "none"'`. A bare output part that is not a plain name
/// (`private_subnet_ids[0]`) gets a leading `.`, as atmos does.
public struct TerraformReference: Equatable, Sendable {
    /// Which YAML function the reference came from.
    public enum Kind: String, Equatable, Sendable {
        /// `!terraform.output`: read through `terraform output -json`.
        case output = "terraform.output"
        /// `!terraform.state`: read from the state file directly.
        case state = "terraform.state"
    }

    /// `.output` or `.state`.
    public var kind: Kind
    /// The component whose outputs are read.
    public var component: String
    /// The stack to read from, or nil for the stack the reference appears in.
    public var stack: String?
    /// The expression evaluated against the map of output name → value.
    public var expression: QueryExpression
    /// The reference as written, for messages: `!terraform.state vpc vpc_id`.
    public var text: String

    /// Parses the arguments of `!terraform.output` or `!terraform.state`.
    ///
    /// `function` is `terraform.output` or `terraform.state` (a leading `!` is accepted);
    /// `arguments` is the text after it. Throws `TerraformReferenceError`.
    public static func parse(function: String, arguments: String) throws -> TerraformReference {
        let name = function.hasPrefix("!") ? String(function.dropFirst()) : function
        guard let kind = Kind(rawValue: name) else { throw TerraformReferenceError.unknownFunction(name) }
        let args = arguments.trimmingSpaces()
        let head = "!\(name) "
        let text = args.isEmpty ? "!\(name)" : head + args
        var parts: [String]
        do {
            let tokens = try TerraformArguments.tokens(args)
            parts = tokens.map(\.value)
            // As atmos: `component [stack] expression`, where an unquoted expression runs to the end:
            // from the second argument when it begins like one (`.`, `[`, `{`, `|`), else from the
            // third (`vpc .id // "none"`, `vpc dev .ids | length`).
            // A quoted second argument stays the stack (`vpc 'acme-dev' vpc_id`).
            let from: Int? = tokens.count < 3 ? nil
                : Self.startsExpression(args, at: tokens[1].start, quotes: false) ? 1
                : tokens.count > 3 && Self.startsExpression(args, at: tokens[2].start, quotes: true) ? 2 : nil
            if let from {
                let rest = String(String.UnicodeScalarView(args.unicodeScalars.dropFirst(tokens[from].start))).trimmingSpaces()
                parts = Array(parts.prefix(from)) + [rest]
            }
        } catch TerraformArguments.Failure.unterminatedQuote(let offset, let quote) {
            throw TerraformReferenceError.unterminatedQuote(
                reference: text, column: head.unicodeScalars.count + offset + 1, quote: String(quote))
        } catch TerraformArguments.Failure.textAfterQuote(let offset) {
            throw TerraformReferenceError.textAfterQuote(reference: text, column: head.unicodeScalars.count + offset + 1)
        }
        guard parts.count == 2 || parts.count == 3 else {
            throw TerraformReferenceError.wrongArgumentCount(reference: text, function: name, count: parts.count)
        }
        if parts[0].isEmpty {
            throw TerraformReferenceError.emptyArgument(reference: text, function: name, name: "component")
        }
        if parts.count == 3, parts[1].isEmpty {
            throw TerraformReferenceError.emptyArgument(reference: text, function: name, name: "stack")
        }
        let output = parts[parts.count - 1]
        if output.isEmpty {
            throw TerraformReferenceError.emptyArgument(reference: text, function: name, name: "output")
        }
        let expression: QueryExpression
        do {
            expression = try QueryExpression.parse(expressionText(output))
        } catch let error as QueryError {
            throw TerraformReferenceError.badExpression(reference: text, function: name, error: error)
        }
        return TerraformReference(kind: kind, component: parts[0], stack: parts.count == 3 ? parts[1] : nil,
                                  expression: expression, text: text)
    }

    /// True when the argument starting at scalar offset `start` begins an expression (atmos's rule).
    static func startsExpression(_ args: String, at start: Int, quotes: Bool) -> Bool {
        guard let c = args.unicodeScalars.dropFirst(start).first else { return false }
        return (quotes ? ".[{|'\"" : ".[{|").unicodeScalars.contains(c)
    }

    /// The query text for the output part: as written when it starts with `.`; `.name` for a plain
    /// output name, `.["name-with-dash"]` for one with `-` (jq would read `-` as subtraction);
    /// otherwise `.` + the text, as atmos does.
    static func expressionText(_ output: String) -> String {
        if output.hasPrefix(".") { return output }
        let scalars = output.unicodeScalars
        if let first = scalars.first, JQSource.isWordStart(first), scalars.allSatisfy(JQSource.isWordPart) { return "." + output }
        if scalars.allSatisfy({ JQSource.isWordPart($0) || $0 == "-" }) { return ".[\"\(output)\"]" }
        return "." + output
    }

    /// The value of the expression over `outputs` (output name → value).
    ///
    /// When the expression starts with an output that `outputs` lacks and has no `//` default,
    /// throws `TerraformReferenceError.outputNotFound` listing the outputs that exist (sorted, at
    /// most 20). `currentStack` names the stack in that message when the reference has none.
    public func evaluate(outputs: [String: Value], currentStack: String? = nil) throws -> Value {
        if let first = expression.leadingKey, outputs[first] == nil, !expression.hasAlternative {
            throw TerraformReferenceError.outputNotFound(
                output: first, component: component, stack: stack ?? currentStack,
                available: outputs.keys.sorted(by: QueryNames.precedes))
        }
        do {
            return try expression.evaluate(.map(outputs))
        } catch let error as QueryError {
            throw TerraformReferenceError.evaluationFailed(reference: text, error: error)
        }
    }
}
