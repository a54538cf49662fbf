/// Evaluates a parsed query against a value. Recursion follows the tree, whose depth the parser bounds.
struct QueryEvaluator {
    /// The expression's source, for error messages.
    let text: String

    func error(at offset: Int, _ problem: String, hint: String = "") -> QueryError {
        QueryError(text: text, column: offset + 1, problem: problem, hint: hint)
    }

    func evaluate(_ node: QueryNode, _ input: Value) throws -> Value {
        switch node {
        case .literal(let v):
            return v
        case .path(let base, let steps, let start):
            let from = try base.map { try evaluate($0, input) } ?? input
            return try walk(from, steps, pathStart: start)
        case .pipe(let items):
            var value = input
            for item in items { value = try evaluate(item, value) }
            return value
        case .alternative(let items):
            for item in items.dropLast() {
                // As in jq, an error on the left of '//' counts as no value.
                if let v = try? evaluate(item, input), Self.isTruthy(v) { return v }
            }
            return try evaluate(items[items.count - 1], input)
        case .or(let items):
            for item in items where Self.isTruthy(try evaluate(item, input)) { return .bool(true) }
            return .bool(false)
        case .and(let items):
            for item in items where !Self.isTruthy(try evaluate(item, input)) { return .bool(false) }
            return .bool(true)
        case .not(let inner):
            return .bool(!Self.isTruthy(try evaluate(inner, input)))
        case .compare(let op, let lhs, let rhs, _):
            let a = try evaluate(lhs, input), b = try evaluate(rhs, input)
            switch op {
            case .equal: return .bool(QueryOrdering.equal(a, b))
            case .notEqual: return .bool(!QueryOrdering.equal(a, b))
            case .less: return .bool(QueryOrdering.compare(a, b) < 0)
            case .lessOrEqual: return .bool(QueryOrdering.compare(a, b) <= 0)
            case .greater: return .bool(QueryOrdering.compare(a, b) > 0)
            case .greaterOrEqual: return .bool(QueryOrdering.compare(a, b) >= 0)
            }
        case .call(let function, let argument, let column):
            let arg = try argument.map { try evaluate($0, input) }
            return try call(function, input: input, argument: arg ?? .null, at: column - 1)
        }
    }

    /// False for null and false, true for everything else (jq's truthiness).
    static func isTruthy(_ v: Value) -> Bool {
        switch v {
        case .null, .bool(false): return false
        case .tagged(_, let inner): return isTruthy(inner)
        default: return true
        }
    }

    /// Follows `steps` from `value`; a missing key or index, or any step from null, gives null.
    func walk(_ value: Value, _ steps: [QueryStep], pathStart: Int) throws -> Value {
        var current = value
        for step in steps {
            while case .tagged(_, let inner) = current { current = inner }
            switch (current, step) {
            case (.null, _):
                return .null
            case (.map(let m), .key(let k, _)):
                current = m[k] ?? .null
            case (.list(let items), .index(let i, _)):
                let at = i < 0 ? items.count + i : i
                current = items.indices.contains(at) ? items[at] : .null
            case (.map, .index(let i, let start)):
                throw error(at: start, "cannot index a map with the number \(i)",
                            hint: "\(subject(pathStart, start)) is a map; use a key, e.g. [\"name\"]")
            case (.list, .key(let k, let start)):
                throw error(at: start, "cannot index a list with the key '\(MessageText.quoted(k))'",
                            hint: "\(subject(pathStart, start)) is a list; use a number, e.g. [0]")
            case (_, .key(let k, let start)):
                throw error(at: start, "cannot index \(Self.article(current)) with the key '\(MessageText.quoted(k))'",
                            hint: "\(subject(pathStart, start)) is \(Self.article(current)), not a map")
            case (_, .index(let i, let start)):
                throw error(at: start, "cannot index \(Self.article(current)) with the number \(i)",
                            hint: "\(subject(pathStart, start)) is \(Self.article(current)), not a list")
            }
        }
        return current
    }

    /// `the value at '.vars.x'`: the source of a path up to (not including) the step at `end`.
    func subject(_ start: Int, _ end: Int) -> String {
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: text.unicodeScalars.dropFirst(start).prefix(end - start))
        let path = String(prefix).trimmingSpaces()
        return path.isEmpty ? "the value" : "the value at '\(MessageText.quoted(path, limit: 60))'"
    }

    /// `a string`, `an int`, `a bool`, …
    static func article(_ v: Value) -> String {
        let name = v.typeName
        return (name.first.map { "aeiou".contains($0) } ?? false) ? "an \(name)" : "a \(name)"
    }
}
