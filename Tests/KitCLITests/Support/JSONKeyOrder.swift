import Foundation

/// Checks that JSON text is valid, has the keys of every object in ascending byte order (what
/// kit's JSON writer promises, like Go's encoding/json), and ends with exactly one newline.
enum JSONKeyOrder {
    /// The problems found in `text`; empty when it is well-formed, sorted and newline-terminated.
    static func problems(in text: String) -> [String] {
        var problems: [String] = []
        if !text.hasSuffix("\n") { problems.append("does not end with a newline") }
        if text.hasSuffix("\n\n") { problems.append("ends with more than one newline") }
        if (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil {
            problems.append("is not valid JSON")
            return problems
        }
        problems += unsortedKeys(in: Array(text.utf8))
        return problems
    }

    /// Walks the text once; for each object, compares every key with the previous one.
    private static func unsortedKeys(in bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        // One entry per open container: nil for an array, the previous key (or "") for an object.
        var stack: [[UInt8]?] = []
        var expectingKey = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "{"):
                stack.append([]); expectingKey = true; i += 1
            case UInt8(ascii: "["):
                stack.append(nil); expectingKey = false; i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                stack.removeLast(); expectingKey = false; i += 1
            case UInt8(ascii: ","):
                if let top = stack.last { expectingKey = top != nil }
                i += 1
            case UInt8(ascii: "\""):
                var j = i + 1
                var raw: [UInt8] = []
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { raw.append(bytes[j]); j += 1 }
                    raw.append(bytes[j]); j += 1
                }
                if expectingKey, let previous = stack.last ?? nil {
                    if !previous.isEmpty && !previous.lexicographicallyPrecedes(raw) {
                        problems.append("key '\(String(decoding: raw, as: UTF8.self))' comes after '\(String(decoding: previous, as: UTF8.self))'")
                    }
                    stack[stack.count - 1] = raw
                    expectingKey = false
                }
                i = j + 1
            default:
                i += 1
            }
        }
        return problems
    }
}
