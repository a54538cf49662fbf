import Foundation
import KitModel

/// Formats dates with Go reference-time layouts (`2006-01-02T15:04:05Z07:00`, `Jan _2`, `.000` …).
enum GoTimeLayout {
    private static let months = ["January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// `date.Format(layout)` in `zone`.
    static func format(_ date: Date, layout: String, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let (year, month, day) = (c.year!, c.month!, c.day!)
        let (hour, minute, second) = (c.hour!, c.minute!, c.second!)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        let seconds = date.timeIntervalSince1970
        let nanos = Int(((seconds - seconds.rounded(.down)) * 1e9).rounded()) % 1_000_000_000
        let offset = zone.secondsFromGMT(for: date)
        let abbreviation = zone.abbreviation(for: date) ?? "UTC"
        // Go prints UTC as "UTC" and a zone without an abbreviation in the -0700 form.
        let zoneName: String
        if zone.identifier == "GMT" || zone.identifier == "UTC" {
            zoneName = "UTC"   // Foundation's fixed zero-offset zone is Go's time.UTC
        } else if let tzif = GoZoneAbbreviation.abbreviation(zone, at: date) {
            zoneName = tzif
        } else if offset == 0 && (abbreviation == "GMT" || abbreviation == "UTC") {
            zoneName = "UTC"
        } else if abbreviation.hasPrefix("GMT") || abbreviation.hasPrefix("UTC") {
            let a = abs(offset)
            zoneName = (offset < 0 ? "-" : "+") + String(format: "%02d%02d", a / 3600, (a % 3600) / 60)
        } else {
            zoneName = abbreviation
        }

        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        func zoneOffset(colon: Bool, seconds withSeconds: Bool, hoursOnly: Bool, z: Bool) -> String {
            if z && offset == 0 { return "Z" }
            let sign = offset < 0 ? "-" : "+"
            let a = abs(offset)
            var s = sign + two(a / 3600)
            if hoursOnly { return s }
            s += (colon ? ":" : "") + two((a % 3600) / 60)
            if withSeconds { s += (colon ? ":" : "") + two(a % 60) }
            return s
        }

        let l = Array(layout)
        var out = ""
        var i = 0
        func at(_ token: String) -> Bool {
            let t = Array(token)
            return i + t.count <= l.count && Array(l[i..<(i + t.count)]) == t
        }
        while i < l.count {
            // Longest tokens first, in Go's order.
            let table: [(String, () -> String)] = [
                ("January", { months[month - 1] }), ("Jan", { String(months[month - 1].prefix(3)) }),
                ("Monday", { weekdays[c.weekday! - 1] }), ("Mon", { String(weekdays[c.weekday! - 1].prefix(3)) }),
                ("MST", { zoneName }),
                ("2006", { String(year) }), ("_2006", { "_" + String(year) }),
                ("002", { String(repeating: "0", count: 3 - String(dayOfYear).count) + String(dayOfYear) }),
                ("__2", { String(repeating: " ", count: 3 - String(dayOfYear).count) + String(dayOfYear) }),
                ("01", { two(month) }), ("02", { two(day) }), ("03", { two(hour % 12 == 0 ? 12 : hour % 12) }),
                ("04", { two(minute) }), ("05", { two(second) }), ("06", { two(year % 100) }),
                ("_2", { day < 10 ? " \(day)" : "\(day)" }), ("15", { two(hour) }),
                ("-07:00:00", { zoneOffset(colon: true, seconds: true, hoursOnly: false, z: false) }),
                ("-070000", { zoneOffset(colon: false, seconds: true, hoursOnly: false, z: false) }),
                ("-07:00", { zoneOffset(colon: true, seconds: false, hoursOnly: false, z: false) }),
                ("-0700", { zoneOffset(colon: false, seconds: false, hoursOnly: false, z: false) }),
                ("-07", { zoneOffset(colon: false, seconds: false, hoursOnly: true, z: false) }),
                ("Z07:00:00", { zoneOffset(colon: true, seconds: true, hoursOnly: false, z: true) }),
                ("Z070000", { zoneOffset(colon: false, seconds: true, hoursOnly: false, z: true) }),
                ("Z07:00", { zoneOffset(colon: true, seconds: false, hoursOnly: false, z: true) }),
                ("Z0700", { zoneOffset(colon: false, seconds: false, hoursOnly: false, z: true) }),
                ("Z07", { zoneOffset(colon: false, seconds: false, hoursOnly: true, z: true) }),
                ("PM", { hour >= 12 ? "PM" : "AM" }), ("pm", { hour >= 12 ? "pm" : "am" }),
                ("1", { String(month) }), ("2", { String(day) }), ("3", { String(hour % 12 == 0 ? 12 : hour % 12) }),
                ("4", { String(minute) }), ("5", { String(second) }),
            ]
            if let (token, render) = table.first(where: { at($0.0) }) {
                out += render()
                i += token.count
                continue
            }
            // Fractional seconds: `.000` (fixed) or `.999` (trailing zeros trimmed), also with `,`.
            if (l[i] == "." || l[i] == ","), i + 1 < l.count, l[i + 1] == "0" || l[i + 1] == "9" {
                let digit = l[i + 1]
                var j = i + 1
                while j < l.count, l[j] == digit { j += 1 }
                if j >= l.count || !l[j].isNumber {
                    let width = j - i - 1
                    var fraction = String(String(repeating: "0", count: 9 - String(nanos).count) + String(nanos)).prefix(width)
                    if digit == "9" { while fraction.last == "0" { fraction.removeLast() } }
                    if !fraction.isEmpty || digit == "0" { out += String(l[i]) + fraction }
                    i = j
                    continue
                }
            }
            out.append(l[i])
            i += 1
        }
        return out
    }
}
