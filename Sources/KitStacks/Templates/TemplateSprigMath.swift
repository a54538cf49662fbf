import Foundation
import KitModel

/// Sprig's remaining math functions: floats (`addf`, … through decimals as Sprig does), `seq`,
/// `until`, `round`, `toDecimal`, `randInt`.
extension TemplateFunction {
    func callSprigMath(_ args: TemplateArguments) throws -> TemplateValue? {
        func float(_ d: Double) -> TemplateValue { .value(.double(d)) }
        switch self {
        case .biggest:
            try args.expect(atLeast: 1)
            return GoTyped.int64(args.values.map { Self.toInt64($0.asValue) }.max()!)
        case .maxf, .minf:
            try args.expect(atLeast: 1)
            var result = Self.toFloat64(args.value(0))
            for i in 1..<args.count {
                let x = Self.toFloat64(args.value(i))
                if result.isNaN || x.isNaN { result = .nan; continue }
                result = self == .maxf ? Swift.max(result, x) : Swift.min(result, x)
            }
            return float(result)
        case .add1f:
            try args.expect(1)
            return float(Self.decimalOp(Self.toFloat64(args.value(0)), [1], +))
        case .addf:
            return float(Self.decimalOp(0, args.values.map { Self.toFloat64($0.asValue) }, +))
        case .subf, .mulf, .divf:
            try args.expect(atLeast: 1)
            let rest = args.values.dropFirst().map { Self.toFloat64($0.asValue) }
            let first = Self.toFloat64(args.value(0))
            switch self {
            case .subf: return float(Self.decimalOp(first, rest, -))
            case .mulf: return float(Self.decimalOp(first, rest, *))
            default:
                if rest.contains(0) { throw TemplateFunctionFailure(message: "error calling divf: decimal division by 0") }
                return float(Self.decimalOp(first, rest) { a, b in
                    var q = Decimal()
                    var (x, y) = (a, b)
                    NSDecimalDivide(&q, &x, &y, .plain)
                    var r = Decimal()
                    NSDecimalRound(&r, &q, 16, .plain)   // shopspring's DivisionPrecision
                    return r
                })
            }
        case .ceil: try args.expect(1); return float(Self.toFloat64(args.value(0)).rounded(.up))
        case .floor: try args.expect(1); return float(Self.toFloat64(args.value(0)).rounded(.down))
        case .round:
            try args.expect(atLeast: 2)
            let roundOn = args.count > 2 ? Self.toFloat64(args.value(2)) : 0.5
            let pow = Foundation.pow(10, Double(try args.int(1)))
            let digit = pow * Self.toFloat64(args.value(0))
            let fraction = digit - digit.rounded(.towardZero)
            return float((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / pow)
        case .toDecimal:
            try args.expect(1)
            let text = GoFormat.print(args.values[0])
            var digits = Substring(text)
            var sign = 1
            if digits.hasPrefix("+") || digits.hasPrefix("-") { sign = digits.hasPrefix("-") ? -1 : 1; digits = digits.dropFirst() }
            return GoTyped.int64((Int(digits, radix: 8).map { $0 * sign }) ?? 0)
        case .until:
            try args.expect(1)
            let n = try args.int(0)
            return GoTyped.ints(Self.untilStep(0, n, n < 0 ? -1 : 1))
        case .untilStep:
            try args.expect(3)
            return GoTyped.ints(Self.untilStep(try args.int(0), try args.int(1), try args.int(2)))
        case .seq:
            let p = try (0..<args.count).map { try args.int($0) }
            let numbers: [Int]
            switch p.count {
            case 1:
                let increment = p[0] < 1 ? -1 : 1
                numbers = Self.untilStep(1, p[0] + increment, increment)
            case 2:
                let step = p[1] < p[0] ? -1 : 1
                numbers = Self.untilStep(p[0], p[1] + step, step)
            case 3:
                var increment = 1
                if p[2] < p[0] {
                    increment = -1
                    if p[1] > 0 { return .value(.string("")) }
                }
                numbers = Self.untilStep(p[0], p[2] + increment, p[1])
            default:
                numbers = []
            }
            return .value(.string(numbers.map(String.init).joined(separator: " ")))
        case .randInt:
            try args.expect(2)
            let (low, high) = (try args.int(0), try args.int(1))
            guard high > low else { throw TemplateFunctionFailure(message: "error calling randInt: invalid argument to Intn") }
            return .value(.int(Int.random(in: low..<high)))
        default:
            return nil
        }
    }

    /// Sprig's `untilStep`.
    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var out: [Int] = []
        if stop < start {
            guard step < 0 else { return out }
            var i = start
            while i > stop { out.append(i); i += step }
            return out
        }
        guard step > 0 else { return out }
        var i = start
        while i < stop { out.append(i); i += step }
        return out
    }

    /// Sprig's `execDecimalOp`: each float taken as the shortest decimal that prints it
    /// (`decimal.NewFromFloat`), the operation done in decimal, the result read back as a float.
    static func decimalOp(_ first: Double, _ rest: [Double], _ op: (Decimal, Decimal) -> Decimal) -> Double {
        func decimal(_ d: Double) -> Decimal {
            if !d.isFinite { return Decimal(d) }
            return Decimal(string: String(d)) ?? Decimal(d)
        }
        var result = decimal(first)
        for x in rest { result = op(result, decimal(x)) }
        return Double(NSDecimalNumber(decimal: result).description) ?? .nan
    }
}
