import Foundation
import KitModel

/// Parses text with a Go reference-time layout (`time.ParseInLocation`), for Sprig's `toDate`.
/// Numeric zones (`-0700`, `Z07:00`, …) are honoured; otherwise the time is in `zone` (Go's Local).
enum GoTimeParse {
    struct Failure: Error { let message: String }

    private static let months = ["January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func parse(_ text: String, layout: String, zone: TimeZone) throws -> Date {
        let l = Array(layout), v = Array(text)
        var (i, j) = (0, 0)
        var year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0
        var pm: Bool? = nil
        var offset: Int? = nil
        func fail() -> Failure {
            Failure(message: "parsing time \(GoFormat.quote(text)) as \(GoFormat.quote(layout)): cannot parse")
        }
        func at(_ token: String) -> Bool {
            let t = Array(token)
            return i + t.count <= l.count && Array(l[i..<(i + t.count)]) == t
        }
        func digits(_ min: Int, _ max: Int) throws -> Int {
            var k = j
            while k < v.count, k - j < max, v[k].isASCII, v[k].isNumber { k += 1 }
            guard k - j >= min, let n = Int(String(v[j..<k])) else { throw fail() }
            j = k
            return n
        }
        func word(_ names: [String], prefix: Int?) throws -> Int {
            for (index, full) in names.enumerated() {
                let name = prefix.map { String(full.prefix($0)) } ?? full
                let candidate = Array(name)
                if j + candidate.count <= v.count, String(v[j..<(j + candidate.count)]).lowercased() == name.lowercased() {
                    j += candidate.count
                    return index
                }
            }
            throw fail()
        }
        func zoneOffset(colon: Bool, seconds: Bool, hoursOnly: Bool, z: Bool) throws {
            if z, j < v.count, v[j] == "Z" { j += 1; offset = 0; return }
            guard j < v.count, v[j] == "+" || v[j] == "-" else { throw fail() }
            let sign = v[j] == "-" ? -1 : 1
            j += 1
            let h = try digits(2, 2)
            var m = 0, s = 0
            if !hoursOnly {
                if colon { guard j < v.count, v[j] == ":" else { throw fail() }; j += 1 }
                m = try digits(2, 2)
                if seconds {
                    if colon { guard j < v.count, v[j] == ":" else { throw fail() }; j += 1 }
                    s = try digits(2, 2)
                }
            }
            offset = sign * (h * 3600 + m * 60 + s)
        }
        func fraction() throws {
            guard j < v.count, v[j] == "." || v[j] == "," else { return }
            var k = j + 1
            while k < v.count, v[k].isASCII, v[k].isNumber { k += 1 }
            let text = String(v[(j + 1)..<k])
            nanos = Int((text + String(repeating: "0", count: Swift.max(0, 9 - text.count))).prefix(9)) ?? 0
            j = k
        }
        func fractionUnlessLayoutHasOne() throws {
            if i < l.count, l[i] == "." || l[i] == "," { return }
            try fraction()
        }
        while i < l.count {
            if at("January") { month = try word(months, prefix: nil) + 1; i += 7 }
            else if at("Jan") { month = try word(months, prefix: 3) + 1; i += 3 }
            else if at("Monday") { _ = try word(weekdays, prefix: nil); i += 6 }
            else if at("Mon") { _ = try word(weekdays, prefix: 3); i += 3 }
            else if at("MST") {
                var k = j
                while k < v.count, v[k].isUppercase { k += 1 }
                guard k - j >= 3 else { throw fail() }
                if String(v[j..<k]) == "UTC" { offset = 0 }
                j = k; i += 3
            }
            else if at("2006") { year = try digits(4, 4); i += 4 }
            else if at("-07:00:00") { try zoneOffset(colon: true, seconds: true, hoursOnly: false, z: false); i += 9 }
            else if at("-070000") { try zoneOffset(colon: false, seconds: true, hoursOnly: false, z: false); i += 7 }
            else if at("-07:00") { try zoneOffset(colon: true, seconds: false, hoursOnly: false, z: false); i += 6 }
            else if at("-0700") { try zoneOffset(colon: false, seconds: false, hoursOnly: false, z: false); i += 5 }
            else if at("-07") { try zoneOffset(colon: false, seconds: false, hoursOnly: true, z: false); i += 3 }
            else if at("Z07:00:00") { try zoneOffset(colon: true, seconds: true, hoursOnly: false, z: true); i += 9 }
            else if at("Z070000") { try zoneOffset(colon: false, seconds: true, hoursOnly: false, z: true); i += 7 }
            else if at("Z07:00") { try zoneOffset(colon: true, seconds: false, hoursOnly: false, z: true); i += 6 }
            else if at("Z0700") { try zoneOffset(colon: false, seconds: false, hoursOnly: false, z: true); i += 5 }
            else if at("Z07") { try zoneOffset(colon: false, seconds: false, hoursOnly: true, z: true); i += 3 }
            else if at("01") { month = try digits(2, 2); i += 2 }
            else if at("02") { day = try digits(2, 2); i += 2 }
            else if at("03") { hour = try digits(2, 2); i += 2 }
            else if at("04") { minute = try digits(2, 2); i += 2 }
            else if at("05") { second = try digits(2, 2); i += 2; try fractionUnlessLayoutHasOne() }
            else if at("06") { year = 2000 + (try digits(2, 2)); if year >= 2069 { year -= 100 }; i += 2 }
            else if at("_2") { if j < v.count, v[j] == " " { j += 1 }; day = try digits(1, 2); i += 2 }
            else if at("15") { hour = try digits(1, 2); i += 2 }
            else if at("PM") || at("pm") {
                guard j + 2 <= v.count else { throw fail() }
                let s = String(v[j..<(j + 2)]).uppercased()
                guard s == "AM" || s == "PM" else { throw fail() }
                pm = s == "PM"; j += 2; i += 2
            }
            else if at("1") { month = try digits(1, 2); i += 1 }
            else if at("2") { day = try digits(1, 2); i += 1 }
            else if at("3") { hour = try digits(1, 2); i += 1 }
            else if at("4") { minute = try digits(1, 2); i += 1 }
            else if at("5") { second = try digits(1, 2); i += 1; try fractionUnlessLayoutHasOne() }
            else if (l[i] == "." || l[i] == ","), i + 1 < l.count, l[i + 1] == "0" || l[i + 1] == "9" {
                var k = i + 1
                while k < l.count, l[k] == l[i + 1] { k += 1 }
                try fraction()
                i = k
            } else {
                guard j < v.count, v[j] == l[i] else { throw fail() }
                i += 1; j += 1
            }
        }
        guard j == v.count else {
            throw Failure(message: "parsing time \(GoFormat.quote(text)): extra text: \(GoFormat.quote(String(v[j...])))")
        }
        if let pm { if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 } }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else {
            throw Failure(message: "parsing time \(GoFormat.quote(text)): value out of range")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { throw fail() }
        return date.addingTimeInterval(Double(nanos) / 1e9)
    }
}
