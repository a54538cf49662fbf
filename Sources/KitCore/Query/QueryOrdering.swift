/// Equality and ordering of values, as jq defines them.
///
/// Numbers compare by value (`1 == 1.0`); strings compare by Unicode code point; lists compare item
/// by item; maps compare their sorted keys, then their values key by key. Values of different types
/// order as null < false < true < numbers < strings < lists < maps, so comparing a missing field
/// (null) with a number is false rather than an error. `!append` and other tags are ignored.
enum QueryOrdering {
    /// Deep equality.
    static func equal(_ a: Value, _ b: Value) -> Bool { compare(a, b) == 0 }

    /// -1, 0 or 1.
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.tagged(_, let x), _): return compare(x, b)
        case (_, .tagged(_, let y)): return compare(a, y)
        case (.null, .null): return 0
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.int(let x), .double(let y)): return order(Double(x), y)
        case (.double(let x), .int(let y)): return order(x, Double(y))
        case (.double(let x), .double(let y)): return order(x, y)
        case (.string(let x), .string(let y)): return order(x, y)
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) {
                let c = compare(p, q)
                if c != 0 { return c }
            }
            return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
        case (.map(let x), .map(let y)):
            let xk = x.keys.sorted(by: precedes), yk = y.keys.sorted(by: precedes)
            let keyOrder = compare(.list(xk.map(Value.string)), .list(yk.map(Value.string)))
            if keyOrder != 0 { return keyOrder }
            for k in xk {
                let c = compare(x[k]!, y[k]!)
                if c != 0 { return c }
            }
            return 0
        default:
            return rank(a) < rank(b) ? -1 : 1
        }
    }

    /// True when `a` sorts before `b` by Unicode code point.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    static func order(_ a: String, _ b: String) -> Int {
        a == b ? 0 : (precedes(a, b) ? -1 : 1)
    }

    static func order(_ a: Double, _ b: Double) -> Int {
        a < b ? -1 : (a > b ? 1 : 0)
    }

    /// The position of a value's type in jq's cross-type order.
    static func rank(_ v: Value) -> Int {
        switch v {
        case .null: return 0
        case .bool(false): return 1
        case .bool(true): return 2
        case .int, .double: return 3
        case .string: return 4
        case .list: return 5
        case .map: return 6
        case .tagged(_, let inner): return rank(inner)
        }
    }
}
