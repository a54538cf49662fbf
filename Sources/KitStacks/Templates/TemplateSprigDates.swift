import Foundation
import KitModel

/// Sprig's date functions besides `now` and `date`.
extension TemplateFunction {
    func callSprigDate(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue? {
        let options = context.options
        /// Sprig's `dateInZone` argument: a time, or seconds since the epoch; anything else is now.
        func time(_ i: Int) -> Date {
            switch args.values[i] {
            case .time(let d): return d
            case .value(let v):
                if case .int(let seconds) = v.untaggedForTemplate { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
                return options.now()
            default: return options.now()
            }
        }
        func zone(_ name: String) -> TimeZone {
            if name == "Local" { return options.timeZone }
            return TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")!
        }
        func requireTime(_ i: Int) throws -> Date {
            if case .time(let d) = args.values[i] { return d }
            throw TemplateFunctionFailure(message: "wrong type for value; expected time.Time; got \(GoTyped.typeName(args.values[i]))")
        }
        switch self {
        case .dateInZone, .date_in_zone:
            try args.expect(3)
            return .value(.string(GoTimeLayout.format(time(1), layout: try args.string(0), zone: zone(try args.string(2)))))
        case .htmlDate:
            try args.expect(1)
            return .value(.string(GoTimeLayout.format(time(0), layout: "2006-01-02", zone: options.timeZone)))
        case .htmlDateInZone:
            try args.expect(2)
            return .value(.string(GoTimeLayout.format(time(0), layout: "2006-01-02", zone: zone(try args.string(1)))))
        case .unixEpoch:
            try args.expect(1)
            return .value(.string(String(Int(try requireTime(0).timeIntervalSince1970.rounded(.down)))))
        case .dateModify, .date_modify, .mustDateModify, .must_date_modify:
            try args.expect(2)
            let base = try requireTime(1)
            guard let seconds = GoDuration.parse(try args.string(0)) else {
                if self == .dateModify || self == .date_modify { return .time(base) }
                throw TemplateFunctionFailure(message: "error calling \(name): time: invalid duration \(GoFormat.quote(try args.string(0)))")
            }
            return .time(base.addingTimeInterval(seconds))
        case .toDate, .mustToDate:
            try args.expect(2)
            do {
                return .time(try GoTimeParse.parse(try args.string(1), layout: try args.string(0), zone: options.timeZone))
            } catch let failure as GoTimeParse.Failure {
                if self == .mustToDate { throw TemplateFunctionFailure(message: "error calling mustToDate: \(failure.message)") }
                throw TemplateFunctionFailure(message: "toDate: \(failure.message) (Go would give the zero time 0001-01-01; kit refuses)")
            }
        case .ago:
            try args.expect(1)
            let seconds = (options.now().timeIntervalSince(time(0))).rounded(.toNearestOrAwayFromZero)
            return .value(.string(GoDuration.format(nanoseconds: Int(seconds) * 1_000_000_000)))
        case .duration:
            try args.expect(1)
            var n = 0
            if case .value(let v) = args.values[0] {
                switch v {
                case .tagged("go:int64", .int(let i)): n = i
                case .string(let s): n = Int(s) ?? 0
                default: n = 0   // Sprig takes only string and int64 (an int from data is 0)
                }
            }
            return .value(.string(GoDuration.format(nanoseconds: n &* 1_000_000_000)))
        case .durationRound:
            try args.expect(1)
            var nanos = 0
            switch args.values[0] {
            case .time(let d): nanos = Int(options.now().timeIntervalSince(d) * 1e9)
            case .value(.string(let s)): nanos = Int((GoDuration.parse(s) ?? 0) * 1e9)
            case .value(.tagged("go:int64", .int(let i))): nanos = i
            default: nanos = 0
            }
            let u = UInt64(nanos.magnitude)
            let hour: UInt64 = 3_600_000_000_000
            let units: [(UInt64, String)] = [(hour * 24 * 365, "y"), (hour * 24 * 30, "mo"), (hour * 24, "d"), (hour, "h"),
                                             (60_000_000_000, "m"), (1_000_000_000, "s")]
            for (size, suffix) in units where u > size { return .value(.string("\(u / size)\(suffix)")) }
            return .value(.string("0s"))
        default:
            return nil
        }
    }
}

/// Go's `time.Duration` text: `time.ParseDuration` and `Duration.String`.
enum GoDuration {
    /// Seconds, or nil when `s` is not a Go duration (`1h30m`, `-1.5h`, `300ms`, `2us`).
    static func parse(_ s: String) -> Double? {
        var text = Substring(s)
        var sign = 1.0
        if text.first == "-" || text.first == "+" { sign = text.first == "-" ? -1 : 1; text = text.dropFirst() }
        if text == "0" { return 0 }
        guard !text.isEmpty else { return nil }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1),
                                         ("m", 60), ("h", 3600)]
        var total = 0.0
        while !text.isEmpty {
            let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            text = text.dropFirst(number.count)
            guard let unit = units.filter({ text.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else { return nil }
            text = text.dropFirst(unit.0.count)
            total += value * unit.1
        }
        return sign * total
    }

    /// `time.Duration(n).String()`: `1h2m3s`, `1.5s`, `300ms`, `0s`.
    static func format(nanoseconds n: Int) -> String {
        if n == 0 { return "0s" }
        let negative = n < 0
        var u = n.magnitude
        var out: String
        if u < 1_000_000_000 {
            let (unit, scale): (String, UInt) = u < 1_000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            out = fractional(u, scale) + unit
        } else {
            var parts = ""
            let seconds = u / 1_000_000_000
            let nanos = u % 1_000_000_000
            parts = fractional(seconds % 60 * 1_000_000_000 + nanos, 1_000_000_000) + "s"
            u = seconds / 60
            if u > 0 {
                parts = "\(u % 60)m" + parts
                u /= 60
                if u > 0 { parts = "\(u)h" + parts }
            }
            out = parts
        }
        return (negative ? "-" : "") + out
    }

    private static func fractional(_ value: UInt, _ scale: UInt) -> String {
        let whole = value / scale
        var fraction = value % scale
        guard fraction != 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: String(scale).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        fraction = 0
        return "\(whole).\(digits)"
    }
}

/// `time.Time`'s zero-argument methods, read like fields (`now.Year`, `(toDate "2006" "2024").Unix`).
enum GoTimeMethods {
    static func field(_ name: String, of date: Date, zone: TimeZone) -> TemplateValue? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: date)
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        switch name {
        case "Unix": return GoTyped.int64(seconds)
        case "UnixMilli": return GoTyped.int64(Int((date.timeIntervalSince1970 * 1000).rounded(.down)))
        case "Year": return .value(.int(c.year!))
        case "Month": return GoTyped.value(.string(GoTimeLayout.format(date, layout: "January", zone: zone)), type: "time.Month")
        case "Day": return .value(.int(c.day!))
        case "Hour": return .value(.int(c.hour!))
        case "Minute": return .value(.int(c.minute!))
        case "Second": return .value(.int(c.second!))
        case "YearDay": return .value(.int(calendar.ordinality(of: .day, in: .year, for: date) ?? 1))
        case "Weekday": return GoTyped.value(.string(GoTimeLayout.format(date, layout: "Monday", zone: zone)), type: "time.Weekday")
        case "UTC": return .time(date)   // kit's times carry no zone; printing uses the render's zone
        case "Local": return .time(date)
        default: return nil
        }
    }
}
