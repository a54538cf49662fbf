import Foundation
import KitModel

/// The zone abbreviation Go prints for `MST` in a layout (`EST`, `CEST`, `JST`, `-03`): Go reads it
/// from the system's TZif file, so kit does too (Foundation on Linux only knows `GMT-5`). The offset
/// and daylight-saving flag come from Foundation; the abbreviation is the TZif file's most recent
/// local-time type with that offset and flag.
enum GoZoneAbbreviation {
    /// Where TZif files live (Go's first choice on Linux).
    static let zoneDirectory = "/usr/share/zoneinfo"

    static func abbreviation(_ zone: TimeZone, at date: Date) -> String? {
        let identifier = zone.identifier
        guard !identifier.isEmpty, !identifier.contains(".."), !identifier.hasPrefix("/"),
              let data = FileManager.default.contents(atPath: zoneDirectory + "/" + identifier) else { return nil }
        return abbreviation(tzif: [UInt8](data), offset: zone.secondsFromGMT(for: date), daylight: zone.isDaylightSavingTime(for: date))
    }

    /// The abbreviation of the last local-time type in `tzif` with this offset and flag.
    static func abbreviation(tzif b: [UInt8], offset: Int, daylight: Bool) -> String? {
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= b.count else { return nil }
            return Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
        }
        guard b.count >= 44, b[0..<4] == [0x54, 0x5A, 0x69, 0x66] else { return nil }   // "TZif"
        var header = 0
        var timeSize = 4
        func counts(_ h: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard let a = u32(h + 20), let s = u32(h + 24), let l = u32(h + 28), let t = u32(h + 32),
                  let y = u32(h + 36), let c = u32(h + 40) else { return nil }
            return (a, s, l, t, y, c)
        }
        guard var c = counts(0) else { return nil }
        if b[4] >= UInt8(ascii: "2") {
            // Skip the version-1 block to the 64-bit one.
            header = 44 + c.time * 4 + c.time + c.type * 6 + c.char + c.leap * 8 + c.isstd + c.isut
            guard let c2 = counts(header) else { return nil }
            c = c2
            timeSize = 8
        }
        let types = header + 44 + c.time * timeSize + c.time
        let chars = types + c.type * 6
        guard chars + c.char <= b.count else { return nil }
        var found: String? = nil
        for k in 0..<c.type {
            let entry = types + 6 * k
            guard var utoff = u32(entry) else { return nil }
            if utoff >= 1 << 31 { utoff -= 1 << 32 }
            let isDST = b[entry + 4] != 0
            let index = Int(b[entry + 5])
            guard utoff == offset, isDST == daylight, index < c.char else { continue }
            let start = chars + index
            var end = start
            while end < chars + c.char, b[end] != 0 { end += 1 }
            found = String(decoding: b[start..<end], as: UTF8.self)
        }
        return found
    }
}
