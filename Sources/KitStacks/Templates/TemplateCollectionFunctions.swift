import Foundation
import KitModel

/// Sprig's list, dict and math functions.
extension TemplateFunction {
    func callCollection(_ args: TemplateArguments) throws -> TemplateValue {
        switch self {
        case .list:
            return .value(.list(args.values.map { $0.rawValue }))
        case .dict:
            var dict: [String: Value] = [:]
            var i = 0
            while i < args.count {
                dict[Self.stringValue(args.value(i))] = i + 1 < args.count ? args.values[i + 1].rawValue : .string("")
                i += 2
            }
            return .value(.map(dict))
        case .get:
            try args.expect(2)
            return .value(try args.map(0)[try args.string(1)] ?? .string(""))
        case .set:
            try args.expect(3)
            var dict = try args.map(0)
            dict[try args.string(1)] = args.value(2)
            return .value(.map(dict))
        case .unset:
            try args.expect(2)
            var dict = try args.map(0)
            dict[try args.string(1)] = nil
            return .value(.map(dict))
        case .hasKey:
            try args.expect(2)
            return .value(.bool(try args.map(0)[try args.string(1)] != nil))
        case .keys:
            var keys: [String] = []
            for i in 0..<args.count { keys.append(contentsOf: try args.map(i).keys) }
            return .value(.list(keys.sorted().map { .string($0) }))
        case .values:
            try args.expect(1)
            let dict = try args.map(0)
            return .value(.list(dict.keys.sorted().map { dict[$0]! }))
        case .sortAlpha:
            try args.expect(1)
            if case .list = args.value(0) {
                return .value(.list(Self.stringSlice(args.value(0)).sorted().map { .string($0) }))
            }
            return .value(.list([.string(Self.stringValue(args.value(0)))]))
        case .uniq:
            try args.expect(1)
            var seen: [Value] = []
            for item in try list(args, 0) where !seen.contains(item) { seen.append(item) }
            return .value(.list(seen))
        case .first:
            try args.expect(1)
            return .value(try list(args, 0).first ?? .null)
        case .last:
            try args.expect(1)
            return .value(try list(args, 0).last ?? .null)
        case .append:
            try args.expect(2)
            return .value(.list(try list(args, 0) + [args.value(1)]))
        default: // .concat
            var result: [Value] = []
            for i in 0..<args.count {
                guard let items = args.value(i).listValue else {
                    throw TemplateFunctionFailure(message: "error calling concat: cannot concat type \(args.value(i).goTypeName) as list")
                }
                result.append(contentsOf: items)
            }
            return .value(.list(result))
        }
    }

    private func list(_ args: TemplateArguments, _ i: Int) throws -> [Value] {
        if let items = args.value(i).listValue { return items }
        let verb = self == .append ? "push on" : "find \(name) on"
        throw TemplateFunctionFailure(message: "error calling \(name): cannot \(verb) type \(args.value(i).goTypeName)")
    }

    func callMath(_ args: TemplateArguments) throws -> TemplateValue {
        func int(_ n: Int) -> TemplateValue { GoTyped.int64(n) }   // Sprig's arithmetic returns int64
        let numbers = args.values.map { Self.toInt64($0.asValue) }
        switch self {
        case .add: return int(numbers.reduce(0, &+))
        case .add1: try args.expect(1); return int(numbers[0] &+ 1)
        case .sub: try args.expect(2); return int(numbers[0] &- numbers[1])
        case .mul: try args.expect(atLeast: 1); return int(numbers.reduce(1, &*))
        case .div, .mod:
            try args.expect(2)
            guard numbers[1] != 0 else {
                throw TemplateFunctionFailure(message: "error calling \(name): runtime error: integer divide by zero")
            }
            return int(self == .div ? numbers[0] / numbers[1] : numbers[0] % numbers[1])
        case .max: try args.expect(atLeast: 1); return int(numbers.max()!)
        case .min: try args.expect(atLeast: 1); return int(numbers.min()!)
        case .int: try args.expect(1); return .value(.int(numbers[0]))
        case .int64: try args.expect(1); return int(numbers[0])
        case .float64: try args.expect(1); return .value(.double(Self.toFloat64(args.value(0))))
        default: // .atoi
            try args.expect(1)
            return .value(.int(Int(try args.string(0)) ?? 0))
        }
    }

    /// `cast.ToInt64`: ints, truncated floats, parsed strings (`"5"`, `"5.0"`, `"0x1f"`), bools; else 0.
    static func toInt64(_ v: Value) -> Int {
        switch v.untaggedForTemplate {
        case .int(let i): return i
        case .double(let d): return d.isFinite && abs(d) < 9.2e18 ? Int(d) : 0
        case .bool(let b): return b ? 1 : 0
        case .string(var s):
            if let dot = s.firstIndex(of: "."), s[s.index(after: dot)...].allSatisfy({ $0 == "0" }) { s = String(s[..<dot]) }
            var negative = false
            if s.hasPrefix("-") || s.hasPrefix("+") { negative = s.hasPrefix("-"); s.removeFirst() }
            let lower = s.lowercased()
            let value: Int?
            if lower.hasPrefix("0x") { value = Int(lower.dropFirst(2), radix: 16) }
            else if lower.hasPrefix("0b") { value = Int(lower.dropFirst(2), radix: 2) }
            else if lower.hasPrefix("0o") { value = Int(lower.dropFirst(2), radix: 8) }
            else if lower.count > 1 && lower.hasPrefix("0") { value = Int(lower.dropFirst(), radix: 8) }
            else { value = Int(lower) }
            return (value ?? 0) * (negative ? -1 : 1)
        default: return 0
        }
    }

    /// `cast.ToFloat64`: numbers, parsed strings and bools; else 0.
    static func toFloat64(_ v: Value) -> Double {
        switch v.untaggedForTemplate {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Double(s) ?? 0
        default: return 0
        }
    }
}
