import KitModel
/// Parses template tokens into `TemplateNode`s, checking what Go's parser checks (variables are
/// declared, `break` is inside `range`, functions exist) and rejecting what kit does not support.
struct TemplateParser {
    private let source: String
    private let tokens: [TemplateToken]
    private var index = 0
    private var variables: [String] = ["$"]
    private var rangeDepth = 0
    /// Blocks and parentheses open around the current token; capped so no template can exhaust the stack.
    private var nesting = 0
    /// Gomplate namespace functions (`strings.ToUpper`, …) are known only when enabled.
    private var gomplate = false
    /// The deepest nesting of blocks (`else if` chains included) and parentheses kit parses.
    static let maxNesting = 200

    private mutating func enter(at offset: Int) throws {
        nesting += 1
        if nesting > Self.maxNesting {
            throw fail("blocks and parentheses nest deeper than \(Self.maxNesting) levels", at: offset)
        }
    }

    /// Parses a whole template.
    static func parse(_ source: String, gomplate: Bool = false) throws -> [TemplateNode] {
        var parser = TemplateParser(source: source, tokens: try TemplateLexer.tokenize(source))
        parser.gomplate = gomplate
        let (nodes, terminator) = try parser.parseList()
        if let terminator {
            throw parser.fail("unexpected {{\(terminator.word)}}", at: terminator.offset)
        }
        return nodes
    }

    private init(source: String, tokens: [TemplateToken]) {
        self.source = source
        self.tokens = tokens
    }

    private struct Terminator {
        let word: String   // "end" or "else"
        let offset: Int
    }

    private func fail(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(source: source, offset: offset, message: message)
    }

    private var peek: TemplateToken { tokens[index] }
    private mutating func next() -> TemplateToken {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private mutating func expectActionEnd(_ context: String) throws {
        let t = next()
        guard case .actionEnd = t.kind else { throw fail("unexpected \(t.kind.display) in \(context)", at: t.offset) }
    }

    /// Parses nodes until EOF, `{{end}}` or `{{else}}`; the terminator is consumed up to (not including)
    /// what follows the keyword.
    private mutating func parseList() throws -> ([TemplateNode], Terminator?) {
        var nodes: [TemplateNode] = []
        while true {
            let t = next()
            switch t.kind {
            case .eof:
                return (nodes, nil)
            case .text(let s):
                nodes.append(.text(s))
            case .actionStart:
                if case .identifier(let word) = peek.kind {
                    let keywordOffset = peek.offset
                    switch word {
                    case "end":
                        _ = next()
                        try expectActionEnd("end")
                        return (nodes, Terminator(word: "end", offset: keywordOffset))
                    case "else":
                        _ = next()
                        return (nodes, Terminator(word: "else", offset: keywordOffset))
                    case "if", "with", "range":
                        _ = next()
                        nodes.append(try parseBlock(word, offset: keywordOffset))
                        continue
                    case "break", "continue":
                        _ = next()
                        guard rangeDepth > 0 else { throw fail("{{\(word)}} outside {{range}}", at: keywordOffset) }
                        try expectActionEnd(word)
                        nodes.append(word == "break" ? .breakLoop : .continueLoop)
                        continue
                    case "define", "template", "block":
                        throw fail("'\(word)' is not supported by kit's template engine", at: keywordOffset)
                    default:
                        break
                    }
                }
                let pipe = try parsePipeline(context: "command", allowDeclaration: true, closer: .actionEnd)
                nodes.append(.action(pipe))
            default:
                throw fail("unexpected \(t.kind.display)", at: t.offset)
            }
        }
    }

    /// Parses `if`/`with`/`range` after the keyword, through its `{{end}}`.
    private mutating func parseBlock(_ word: String, offset: Int) throws -> TemplateNode {
        try enter(at: offset)
        defer { nesting -= 1 }
        let savedVariables = variables.count
        defer { variables.removeSubrange(savedVariables...) }
        let pipe = try parsePipeline(context: word, allowDeclaration: true, closer: .actionEnd)
        if word == "range" { rangeDepth += 1 }
        let (body, terminator) = try parseList()
        if word == "range" { rangeDepth -= 1 }
        guard let terminator else { throw fail("unexpected EOF: {{\(word)}} has no {{end}}", at: offset) }
        var otherwise: [TemplateNode] = []
        if terminator.word == "else" {
            if word != "range", case .identifier(let chained) = peek.kind, chained == "if" || chained == "with" {
                // `{{else if …}}` / `{{else with …}}`: a nested block that shares our `{{end}}`.
                let nestedOffset = next().offset
                otherwise = [try parseBlock(chained, offset: nestedOffset)]
            } else {
                try expectActionEnd("else")
                let (elseBody, elseTerminator) = try parseList()
                guard let elseTerminator else { throw fail("unexpected EOF: {{\(word)}} has no {{end}}", at: offset) }
                if elseTerminator.word != "end" {
                    throw fail("expected {{end}}; found {{else}}", at: elseTerminator.offset)
                }
                otherwise = elseBody
            }
        }
        switch word {
        case "if": return .ifBlock(pipe, then: body, otherwise: otherwise)
        case "with": return .withBlock(pipe, then: body, otherwise: otherwise)
        default: return .rangeBlock(pipe, body: body, otherwise: otherwise)
        }
    }

    private enum Closer { case actionEnd, rightParen }

    /// Parses `[$x[, $y] :=|=] command | command …` up to `}}` or `)` (consumed).
    private mutating func parsePipeline(context: String, allowDeclaration: Bool, closer: Closer) throws -> TemplatePipeline {
        let start = peek.offset
        var declared: [String] = []
        var isAssignment = false
        if allowDeclaration, case .variable(let first) = peek.kind {
            let save = index
            _ = next()
            switch peek.kind {
            case .declare, .assign:
                isAssignment = peek.kind == .assign
                _ = next()
                declared = [first]
            case .comma where context == "range":
                _ = next()
                guard case .variable(let second) = peek.kind else {
                    throw fail("range can only initialize variables", at: peek.offset)
                }
                _ = next()
                guard peek.kind == .declare || peek.kind == .assign else {
                    throw fail("expected := or = after '\(first), \(second)'", at: peek.offset)
                }
                isAssignment = peek.kind == .assign
                _ = next()
                declared = [first, second]
            default:
                index = save
            }
            if isAssignment {
                for name in declared where !variables.contains(name) {
                    throw fail("undefined variable \"\(name)\"", at: start)
                }
            }
        }
        var commands: [TemplateCommand] = []
        while true {
            let t = peek
            switch (t.kind, closer) {
            case (.actionEnd, .actionEnd), (.rightParen, .rightParen):
                _ = next()
                guard !commands.isEmpty else { throw fail("missing value for \(context)", at: t.offset) }
                if !isAssignment { variables.append(contentsOf: declared) }
                return TemplatePipeline(offset: start, variables: declared, isAssignment: isAssignment, commands: commands)
            case (.eof, _):
                throw fail(closer == .actionEnd ? "unclosed action" : "unclosed left paren", at: t.offset)
            default:
                let command = try parseCommand(closer: closer)
                if !commands.isEmpty, let first = command.operands.first {
                    switch first {
                    case .literal, .dot, .parenthesized:
                        throw fail("non executable command in pipeline stage \(commands.count + 1)", at: first.offset)
                    case .field, .variable:
                        throw fail("can't give argument to non-function \(first.display)", at: first.offset)
                    case .function:
                        break
                    }
                }
                commands.append(command)
                if peek.kind == .pipe {
                    let pipe = next()
                    if peek.kind == .actionEnd || peek.kind == .rightParen || peek.kind == .pipe {
                        throw fail("missing command after '|'", at: pipe.offset)
                    }
                }
            }
        }
    }

    /// Parses operands up to `|`, `}}` or `)` (not consumed).
    private mutating func parseCommand(closer: Closer) throws -> TemplateCommand {
        let start = peek.offset
        var operands: [TemplateOperand] = []
        while true {
            switch peek.kind {
            case .pipe, .actionEnd, .rightParen:
                guard let first = operands.first else { throw fail("empty command", at: peek.offset) }
                if operands.count > 1 {
                    switch first {
                    case .function: break
                    case .field(let names, _) where names.count > 0:
                        throw fail("'\(names.last!)' is not a method but has arguments", at: first.offset)
                    default:
                        throw fail("can't give argument to non-function \(first.display)", at: first.offset)
                    }
                }
                if case .literal(.value(.null), _) = first, operands.count == 1 {
                    throw fail("nil is not a command", at: first.offset)
                }
                return TemplateCommand(offset: start, operands: operands)
            default:
                if !operands.isEmpty && !peek.spaceBefore {
                    throw fail("unexpected \(peek.kind.display) in operand", at: peek.offset)
                }
                operands.append(try parseOperand())
            }
        }
    }

    /// Parses a term and any `.field` chain glued to it.
    private mutating func parseOperand() throws -> TemplateOperand {
        let t = next()
        let term: TemplateOperand
        switch t.kind {
        case .dot:
            term = .dot(offset: t.offset)
        case .field(let name):
            var names = [name]
            names.append(contentsOf: chainedFields())
            return .field(names, offset: t.offset)
        case .variable(let name):
            guard variables.contains(name) else { throw fail("undefined variable \"\(name)\"", at: t.offset) }
            return .variable(name, fields: chainedFields(), offset: t.offset)
        case .leftParen:
            try enter(at: t.offset)
            defer { nesting -= 1 }
            let pipe = try parsePipeline(context: "parenthesized pipeline", allowDeclaration: false, closer: .rightParen)
            return .parenthesized(pipe, fields: chainedFields(), offset: t.offset)
        case .string(let s):
            term = .literal(.value(.string(s)), offset: t.offset)
        case .char(let c):
            term = .literal(.value(.int(c)), offset: t.offset)
        case .number(let text):
            term = .literal(try number(text, offset: t.offset), offset: t.offset)
        case .identifier(let name):
            switch name {
            case "true": term = .literal(.value(.bool(true)), offset: t.offset)
            case "false": term = .literal(.value(.bool(false)), offset: t.offset)
            case "nil": term = .literal(.value(.null), offset: t.offset)
            case "if", "else", "end", "range", "with", "break", "continue", "define", "template", "block":
                throw fail("unexpected '\(name)' in operand", at: t.offset)
            default:
                let fields = chainedFields()
                let fullName = ([name] + fields).joined(separator: ".")
                if name == "atmos" && fullName != TemplateFunction.atmosComponent.name {
                    throw fail("function '\(fullName)' is not supported yet by kit's template engine", at: t.offset)
                }
                // `now.Unix`: a Sprig function's result with fields (Go chains them), not a namespace.
                if !fields.isEmpty, TemplateFunction(name: fullName) == nil, let function = TemplateFunction(name: name),
                   !function.isGomplate, function != .atmosComponent {
                    let call = TemplateCommand(offset: t.offset, operands: [.function(function, offset: t.offset)])
                    let pipe = TemplatePipeline(offset: t.offset, variables: [], isAssignment: false, commands: [call])
                    return .parenthesized(pipe, fields: fields, offset: t.offset)
                }
                if let reason = TemplateFunction.unsupported[fields.isEmpty ? name : fullName] {
                    throw fail("function '\(fullName)' is not supported by kit's template engine: \(reason)", at: t.offset)
                }
                guard let function = TemplateFunction(name: fields.isEmpty ? name : fullName), !function.isGomplate || gomplate else {
                    throw fail("function '\(fullName)' is not supported by kit's template engine", at: t.offset)
                }
                return .function(function, offset: t.offset)
            }
        default:
            throw fail("unexpected \(t.kind.display) in operand", at: t.offset)
        }
        if case .field = peek.kind, !peek.spaceBefore {
            throw fail("unexpected . after term \(term.display)", at: peek.offset)
        }
        return term
    }

    private mutating func chainedFields() -> [String] {
        var names: [String] = []
        while case .field(let name) = peek.kind, !peek.spaceBefore {
            names.append(name)
            _ = next()
        }
        return names
    }

    /// A number literal as Go types it for an `interface{}` argument: int unless it has float syntax.
    private func number(_ text: String, offset: Int) throws -> TemplateValue {
        var body = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let lower = body.lowercased()
        var radix = 10
        if lower.hasPrefix("0x") { radix = 16 } else if lower.hasPrefix("0o") { radix = 8 } else if lower.hasPrefix("0b") { radix = 2 }
        let digits = radix == 10 ? Substring(lower) : Substring(lower.dropFirst(2))
        let isFloat = radix == 10 ? lower.contains(where: { $0 == "." || $0 == "e" }) : lower.contains("p") || lower.contains(".")
        if !isFloat {
            let octal = radix == 10 && digits.count > 1 && digits.first == "0"
            if let v = Int(digits, radix: octal ? 8 : radix) { return .value(.int(negative ? -v : v)) }
            throw fail("illegal number syntax: \(text)", at: offset)
        }
        guard radix == 10, let v = Double(digits) else { throw fail("illegal number syntax: \(text)", at: offset) }
        return .value(.double(negative ? -v : v))
    }
}
