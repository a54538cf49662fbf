/// One token of a query expression, with the span it covers.
struct QueryToken: Equatable {
    enum Kind: Equatable {
        /// `.` on its own (identity, or before `[`).
        case dot
        /// `.name` or `."quoted name"`.
        case field(String)
        case leftBracket, rightBracket, leftParen, rightParen, pipe
        /// `//`.
        case alternative
        case comparison(QueryComparison)
        case string(String)
        case int(Int)
        case double(Double)
        /// A bare word: `and`, `or`, `not`, `true`, `false`, `null` or a function name.
        case word(String)
        case end
    }

    var kind: Kind
    /// 0-based offset (in Unicode scalars) of the first scalar.
    var start: Int
    /// 0-based offset one past the last scalar.
    var end: Int

    /// 1-based column of the token.
    var column: Int { start + 1 }
}

/// A comparison operator.
enum QueryComparison: String, Equatable, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}
