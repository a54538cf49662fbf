#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment as a dictionary, read straight from `environ`.
///
/// `ProcessInfo.environment` builds the same dictionary through `String` searches (a third of a
/// millisecond of every kit run); this splits each `NAME=value` entry at its first `=` with `memchr`.
/// An entry without `=` is skipped; when a name appears twice the first entry wins, as `getenv` and
/// the programs kit starts see it. Names and values are decoded as UTF-8, invalid bytes repaired.
public enum ProcessEnvironment {
    /// The current environment.
    public static func current() -> [String: String] {
        dictionary(environ)
    }

    /// The dictionary of a nil-terminated `environ`-style array of `NAME=value` C strings.
    static func dictionary(_ entries: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> [String: String] {
        var count = 0
        while entries[count] != nil { count += 1 }
        var result: [String: String] = [:]
        result.reserveCapacity(count)
        for index in 0..<count {
            let entry = entries[index]!
            let length = strlen(entry)
            guard let equals = memchr(entry, 0x3D, length) else { continue }
            let nameLength = UnsafeRawPointer(entry).distance(to: UnsafeRawPointer(equals))
            let bytes = UnsafeRawBufferPointer(start: entry, count: length)
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<nameLength]), as: UTF8.self)
            if result[name] != nil { continue }
            result[name] = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(nameLength + 1)...]), as: UTF8.self)
        }
        return result
    }
}
