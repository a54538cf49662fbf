import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Parses the `--since` value of `kit runs list`: a duration back from now (`30m`, `12h`, `1d`, `2w`)
/// or a date (`2026-11-30`, midnight UTC) or date and time (`2026-11-30T08:00:00Z`, ISO 8601).
public enum RunSince {
    /// A `--since` value that is neither a duration nor a date.
    public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The value as given.
        public var value: String
        public var description: String {
            "invalid --since value '\(value)' — use a duration such as '30m', '12h', '1d' or '2w', or a date such as '2026-11-30'"
        }
    }

    /// The earliest start time that `text` admits, counting durations back from `now`.
    public static func date(from text: String, now: Date) throws(UsageError) -> Date {
        if let seconds = duration(text) { return now.addingTimeInterval(-seconds) }
        if let day = day(text) { return day }
        if let instant = ISO8601DateFormatter().date(from: text) { return instant }
        throw UsageError(value: text)
    }

    /// Seconds for `<digits><m|h|d|w>`, up to 100 years; nil for anything else.
    static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, text.count >= 2 else { return nil }
        let digits = text.dropLast()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits) else { return nil }
        let seconds: Int
        switch unit {
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let total = Double(count) * Double(seconds)
        return total <= 100 * 365 * 86_400 ? total : nil
    }

    /// Midnight UTC of a `YYYY-MM-DD` date that exists in the calendar; nil otherwise.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: dayOfMonth)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == dayOfMonth else { return nil }
        return date
    }
}
