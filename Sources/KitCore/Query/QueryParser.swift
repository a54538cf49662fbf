/// A recursive-descent parser for query expressions, with jq's precedence (loosest first):
/// `|`, `//`, `or`, `and`, prefix `not`, comparisons (not chained), postfix paths.
///
/// Parentheses, prefix `not` and function arguments each add a nesting level; more than
/// `maxDepth` levels is an error, which bounds both the parser's and the evaluator's recursion.
struct QueryParser {
    static let maxDepth = 100

    var lexer: QueryLexer
    var current: QueryToken
    var lookahead: QueryToken?
    var depth = 0

    init(text: String) throws {
        lexer = QueryLexer(text: text)
        current = try lexer.next()
    }

    /// Parses the whole input.
    mutating func parse() throws -> QueryNode {
        if current.kind == .end {
            throw lexer.error(at: 0, "empty expression", hint: "write '.' for the whole value")
        }
        let node = try parsePipe()
        switch current.kind {
        case .end: return node
        case .rightParen: throw unexpected(current, hint: "there is no '(' to close")
        default: throw unexpected(current, hint: "expected an operator")
        }
    }

    // MARK: tokens

    mutating func advance() throws {
        if let next = lookahead {
            current = next
            lookahead = nil
        } else {
            current = try lexer.next()
        }
    }

    mutating func peekNext() throws -> QueryToken {
        if let next = lookahead { return next }
        let next = try lexer.next()
        lookahead = next
        return next
    }

    func describe(_ token: QueryToken) -> String {
        if token.kind == .end { return "end of expression" }
        let limit = 40
        let end = min(token.end, token.start + limit)
        let shown = MessageText.quoted(lexer.slice(token.start, end))
        return "'\(shown)\(token.end > end ? "…" : "")'"
    }

    func unexpected(_ token: QueryToken, hint: String) -> QueryError {
        lexer.error(at: token.start, "unexpected \(describe(token))", hint: hint)
    }

    mutating func enter(_ token: QueryToken) throws {
        depth += 1
        if depth > Self.maxDepth {
            throw lexer.error(at: token.start, "expression nested deeper than \(Self.maxDepth) levels",
                              hint: "simplify the expression")
        }
    }

    func isWord(_ token: QueryToken, _ word: String) -> Bool {
        if case .word(let w) = token.kind { return w == word }
        return false
    }

    // MARK: grammar

    /// `alt ('|' alt)*`
    mutating func parsePipe() throws -> QueryNode {
        var items = [try parseAlternative()]
        while current.kind == .pipe {
            try advance()
            items.append(try parseAlternative())
        }
        return items.count == 1 ? items[0] : .pipe(items)
    }

    /// `or ('//' or)*`
    mutating func parseAlternative() throws -> QueryNode {
        var items = [try parseOr()]
        while current.kind == .alternative {
            try advance()
            items.append(try parseOr())
        }
        return items.count == 1 ? items[0] : .alternative(items)
    }

    /// `and ('or' and)*`
    mutating func parseOr() throws -> QueryNode {
        var items = [try parseAnd()]
        while isWord(current, "or") {
            try advance()
            items.append(try parseAnd())
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    /// `not ('and' not)*`
    mutating func parseAnd() throws -> QueryNode {
        var items = [try parseNot()]
        while isWord(current, "and") {
            try advance()
            items.append(try parseNot())
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    /// `'not' not | comparison`; a `not` followed by no operand is jq's `not` function (`. | not`).
    mutating func parseNot() throws -> QueryNode {
        guard isWord(current, "not"), startsOperand(try peekNext()) else { return try parseComparison() }
        try enter(current)
        try advance()
        let inner = try parseNot()
        depth -= 1
        return .not(inner)
    }

    func startsOperand(_ token: QueryToken) -> Bool {
        switch token.kind {
        case .dot, .field, .leftParen, .string, .int, .double: return true
        case .word(let w): return w != "and" && w != "or"
        default: return false
        }
    }

    /// `postfix (op postfix)?`
    mutating func parseComparison() throws -> QueryNode {
        let lhs = try parsePostfix()
        guard case .comparison(let op) = current.kind else { return lhs }
        let opToken = current
        try advance()
        let rhs = try parsePostfix()
        if case .comparison = current.kind {
            throw unexpected(current, hint: "comparisons cannot be chained; add parentheses")
        }
        return .compare(op, lhs, rhs, column: opToken.column)
    }

    /// A primary followed by `.key`, `."key"`, `[…]` or `.[…]` steps.
    mutating func parsePostfix() throws -> QueryNode {
        let start = current.start
        var node = try parsePrimary()
        var steps: [QueryStep] = []
        var base: QueryNode? = node
        if case .path(let b, let s, _) = node {
            base = b
            steps = s
        }
        while true {
            if case .field(let name) = current.kind {
                steps.append(.key(name, start: current.start))
                try advance()
            } else if current.kind == .leftBracket {
                steps.append(try parseBracket())
            } else if current.kind == .dot, try peekNext().kind == .leftBracket {
                try advance()
                steps.append(try parseBracket())
            } else {
                break
            }
        }
        if steps.isEmpty, let base { return base }
        node = .path(base: base, steps: steps, start: start)
        return node
    }

    /// `[ "key" ]` or `[ integer ]`; the current token is `[`.
    mutating func parseBracket() throws -> QueryStep {
        let open = current
        try advance()
        let step: QueryStep
        switch current.kind {
        case .string(let key): step = .key(key, start: open.start)
        case .int(let i): step = .index(i, start: open.start)
        case .rightBracket:
            throw lexer.error(at: open.start, "'[]' (iterate over every item) is not supported",
                              hint: "index with a number, e.g. [0]")
        case .double:
            throw unexpected(current, hint: "a list index must be a whole number")
        default:
            throw unexpected(current, hint: "expected a quoted key or an index number inside '[…]'")
        }
        try advance()
        guard current.kind == .rightBracket else {
            throw unexpected(current, hint: "expected ']' to close '[' at column \(open.column)")
        }
        try advance()
        return step
    }

    mutating func parsePrimary() throws -> QueryNode {
        let token = current
        switch token.kind {
        case .dot:
            try advance()
            return .path(base: nil, steps: [], start: token.start)
        case .field(let name):
            try advance()
            return .path(base: nil, steps: [.key(name, start: token.start)], start: token.start)
        case .string(let s):
            try advance()
            return .literal(.string(s))
        case .int(let i):
            try advance()
            return .literal(.int(i))
        case .double(let d):
            try advance()
            return .literal(.double(d))
        case .leftParen:
            try enter(token)
            try advance()
            let inner = try parsePipe()
            guard current.kind == .rightParen else {
                throw unexpected(current, hint: "expected ')' to close '(' at column \(token.column)")
            }
            try advance()
            depth -= 1
            return inner
        case .word(let word):
            return try parseWord(word, token)
        case .end:
            throw unexpected(token, hint: "expected a value")
        default:
            throw unexpected(token, hint: "expected a value")
        }
    }

    /// `true`, `false`, `null`, or a function call.
    mutating func parseWord(_ word: String, _ token: QueryToken) throws -> QueryNode {
        switch word {
        case "true": try advance(); return .literal(.bool(true))
        case "false": try advance(); return .literal(.bool(false))
        case "null": try advance(); return .literal(.null)
        case "and", "or": throw unexpected(token, hint: "expected a value before '\(word)'")
        default: break
        }
        guard let function = QueryFunction(rawValue: word) else {
            throw lexer.error(at: token.start, "unknown function '\(MessageText.quoted(word))'",
                              hint: "functions: \(QueryFunction.list); write '.\(MessageText.quoted(word))' for the key '\(MessageText.quoted(word))'")
        }
        try advance()
        guard function.takesArgument else {
            if current.kind == .leftParen {
                throw lexer.error(at: current.start, "function '\(word)' takes no arguments", hint: "write '\(word)' alone")
            }
            return .call(function, argument: nil, column: token.column)
        }
        guard current.kind == .leftParen else {
            throw lexer.error(at: token.start, "function '\(word)' needs one argument", hint: "write \(word)(\"text\")")
        }
        try enter(current)
        let open = current
        try advance()
        let argument = try parsePipe()
        guard current.kind == .rightParen else {
            throw unexpected(current, hint: "expected ')' to close '(' at column \(open.column)")
        }
        try advance()
        depth -= 1
        return .call(function, argument: argument, column: token.column)
    }
}
