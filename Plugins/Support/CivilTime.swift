/// A moment in UTC broken into calendar fields, for the date headers request signing needs
/// (`x-amz-date`, RFC 1123 `x-ms-date`) without Foundation's formatters.
public struct CivilTime: Equatable, Sendable {
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// 0 Sunday … 6 Saturday.
    public var weekday: Int

    /// The UTC calendar fields of `t` seconds since 1970 (civil-from-days, Howard Hinnant).
    public init(secondsSince1970 t: Int) {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = secs / 3600
        minute = secs % 3600 / 60
        second = secs % 60
        // 1970-01-01 was a Thursday.
        weekday = ((days % 7) + 11) % 7
    }

    /// `n` with at least two digits.
    public static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
