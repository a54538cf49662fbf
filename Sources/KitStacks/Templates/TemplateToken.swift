import KitModel
/// One lexical token of a Go template; `offset` is the UTF-8 byte offset in the source.
struct TemplateToken: Sendable {
    /// What kind of token this is, with its payload.
    enum Kind: Sendable, Equatable {
        case text(String)
        case actionStart
        case actionEnd
        case field(String)          // `.name` (without the dot)
        case dot
        case variable(String)       // `$` or `$name` (with the dollar)
        case identifier(String)     // function names and keywords
        case string(String)         // interpreted or raw string literal, unquoted
        case char(Int)              // 'a'
        case number(String)
        case pipe
        case leftParen
        case rightParen
        case comma
        case declare                // :=
        case assign                 // =
        case eof
    }

    let kind: Kind
    let offset: Int
    /// True when white space separates this token from the previous one inside an action.
    let spaceBefore: Bool
}

/// Describes a token for error messages, the way Go's parser quotes them.
extension TemplateToken.Kind {
    var display: String {
        switch self {
        case .text(let s): return "text '\(s.prefix(20))'"
        case .actionStart: return "'{{'"
        case .actionEnd: return "'}}'"
        case .field(let n): return "'.\(n)'"
        case .dot: return "'.'"
        case .variable(let n): return "'\(n)'"
        case .identifier(let n): return "'\(n)'"
        case .string(let s): return "string \"\(s)\""
        case .char(let c): return "character \(c)"
        case .number(let n): return "number \(n)"
        case .pipe: return "'|'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .comma: return "','"
        case .declare: return "':='"
        case .assign: return "'='"
        case .eof: return "end of input"
        }
    }
}
