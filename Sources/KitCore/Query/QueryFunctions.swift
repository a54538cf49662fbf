/// The built-in functions: `length`, `keys`, `not`, `contains(x)`, `startswith(s)`, `endswith(s)`.
extension QueryEvaluator {
    func call(_ function: QueryFunction, input: Value, argument: Value, at offset: Int) throws -> Value {
        var input = input
        while case .tagged(_, let inner) = input { input = inner }
        var argument = argument
        while case .tagged(_, let inner) = argument { argument = inner }
        switch function {
        case .not:
            return .bool(!Self.isTruthy(input))
        case .length:
            switch input {
            case .null: return .int(0)
            case .string(let s): return .int(s.unicodeScalars.count)
            case .list(let l): return .int(l.count)
            case .map(let m): return .int(m.count)
            case .int(let i): return i == .min ? .double(-Double(i)) : .int(abs(i))
            case .double(let d): return .double(abs(d))
            default:
                throw error(at: offset, "\(Self.article(input)) has no length",
                            hint: "length works on strings, lists, maps, numbers and null")
            }
        case .keys:
            switch input {
            case .map(let m): return .list(m.keys.sorted(by: QueryOrdering.precedes).map(Value.string))
            case .list(let l): return .list(l.indices.map(Value.int))
            default:
                throw error(at: offset, "\(Self.article(input)) has no keys", hint: "keys works on maps and lists")
            }
        case .startswith, .endswith:
            if input.isNull { return .bool(false) }
            guard case .string(let s) = input, case .string(let affix) = argument else {
                throw error(at: offset, "\(function.rawValue) needs a string input and a string argument, got \(Self.article(input)) and \(Self.article(argument))")
            }
            return .bool(function == .startswith ? s.unicodeScalars.starts(with: affix.unicodeScalars)
                                                 : s.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed()))
        case .contains:
            if input.isNull { return .bool(false) }
            return .bool(try contains(input, argument, at: offset))
        }
    }

    /// jq's `contains`: substring for strings; for lists, every item of `b` is contained in some item
    /// of `a` (a non-list `b` counts as a one-item list); for maps, every key of `b` is in `a` with a
    /// value that contains `b`'s; other values must be equal.
    func contains(_ a: Value, _ b: Value, at offset: Int) throws -> Bool {
        switch (a, b) {
        case (.tagged(_, let x), _): return try contains(x, b, at: offset)
        case (_, .tagged(_, let y)): return try contains(a, y, at: offset)
        case (.string(let x), .string(let y)): return y.isEmpty || x.contains(y)
        case (.list(let x), .list(let y)):
            return try y.allSatisfy { item in try x.contains { try contains($0, item, at: offset) } }
        case (.list(let x), _):
            return try x.contains { try contains($0, b, at: offset) }
        case (.map(let x), .map(let y)):
            return try y.allSatisfy { key, value in try x[key].map { try contains($0, value, at: offset) } ?? false }
        case (.string, _), (.map, _), (_, .string), (_, .map), (_, .list):
            throw error(at: offset, "contains cannot look for \(Self.article(b)) in \(Self.article(a))",
                        hint: "strings contain strings, lists contain items, maps contain maps")
        default:
            return QueryOrdering.equal(a, b)
        }
    }
}
