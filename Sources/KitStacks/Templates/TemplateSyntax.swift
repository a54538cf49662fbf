import KitModel
/// A node of a parsed template body. Offsets are UTF-8 byte offsets into the template text.
indirect enum TemplateNode: Sendable {
    /// Literal text, written as is.
    case text(String)
    /// `{{ pipeline }}`: the value is printed unless the pipeline declares or assigns variables.
    case action(TemplatePipeline)
    /// `{{if}}`: `then` when the pipeline is true, else `otherwise` (which holds `else if` as a nested `.ifBlock`).
    case ifBlock(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode])
    /// `{{with}}`: `then` with dot set to the value when it is true, else `otherwise`.
    case withBlock(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode])
    /// `{{range}}`: `body` per element, `otherwise` when there are none.
    case rangeBlock(TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode])
    /// `{{break}}` inside a range.
    case breakLoop
    /// `{{continue}}` inside a range.
    case continueLoop
}

/// `$x := cmd | cmd arg …` — the declared (or assigned) variables and the commands.
struct TemplatePipeline: Sendable {
    let offset: Int
    /// Variable names (with `$`) declared or assigned by this pipeline; empty for none.
    let variables: [String]
    /// True for `=` (assign existing variables), false for `:=` (declare).
    let isAssignment: Bool
    let commands: [TemplateCommand]
}

/// One stage of a pipeline: a function with arguments, or a single operand.
struct TemplateCommand: Sendable {
    let offset: Int
    let operands: [TemplateOperand]
}

/// Something that evaluates to a value inside an action.
indirect enum TemplateOperand: Sendable {
    /// `.`
    case dot(offset: Int)
    /// `.a.b.c` relative to dot.
    case field([String], offset: Int)
    /// `$x.a.b` (fields may be empty).
    case variable(String, fields: [String], offset: Int)
    /// A function name in command position or as an argument (called with no arguments).
    case function(TemplateFunction, offset: Int)
    /// `(pipeline)`, optionally followed by `.a.b`.
    case parenthesized(TemplatePipeline, fields: [String], offset: Int)
    /// A string, number, bool or nil literal.
    case literal(TemplateValue, offset: Int)

    /// The operand's offset in the template text.
    var offset: Int {
        switch self {
        case .dot(let o), .field(_, let o), .variable(_, _, let o), .function(_, let o),
             .parenthesized(_, _, let o), .literal(_, let o):
            return o
        }
    }

    /// The operand as written, for `at <…>` in error messages.
    var display: String {
        switch self {
        case .dot: return "."
        case .field(let names, _): return names.map { "." + $0 }.joined()
        case .variable(let name, let fields, _): return name + fields.map { "." + $0 }.joined()
        case .function(let f, _): return f.name
        case .parenthesized(_, let fields, _): return "(…)" + fields.map { "." + $0 }.joined()
        case .literal(let v, _):
            if case .value(.string(let s)) = v { return GoFormat.quote(s) }
            return GoFormat.print(v)
        }
    }
}
