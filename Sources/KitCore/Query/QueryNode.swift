/// The syntax tree of a query expression.
///
/// Chains of the same operator (`a or b or c`, `a // b // c`, `a | b | c`) are one node with a list,
/// and a path keeps its steps in an array, so long inputs make wide trees, not deep ones: the tree is
/// only as deep as the nesting the parser allows.
indirect enum QueryNode: Equatable, Sendable {
    /// Steps from `base` (nil: the input, `.`). `start` is the 0-based offset where the path begins.
    case path(base: QueryNode?, steps: [QueryStep], start: Int)
    case literal(Value)
    case pipe([QueryNode])
    case alternative([QueryNode])
    case or([QueryNode])
    case and([QueryNode])
    case not(QueryNode)
    case compare(QueryComparison, QueryNode, QueryNode, column: Int)
    case call(QueryFunction, argument: QueryNode?, column: Int)
}

/// One step of a path: a map key or a list index, with the 0-based offset where it starts.
enum QueryStep: Equatable, Sendable {
    case key(String, start: Int)
    case index(Int, start: Int)

    var start: Int {
        switch self {
        case .key(_, let s), .index(_, let s): return s
        }
    }
}

/// The functions the language knows.
enum QueryFunction: String, CaseIterable, Sendable {
    case contains, endswith, keys, length, not, startswith

    /// True when the function takes one argument in parentheses.
    var takesArgument: Bool {
        switch self {
        case .contains, .endswith, .startswith: return true
        case .keys, .length, .not: return false
        }
    }

    /// `contains, endswith, keys, length, not, startswith`.
    static let list = allCases.map(\.rawValue).sorted().joined(separator: ", ")
}
