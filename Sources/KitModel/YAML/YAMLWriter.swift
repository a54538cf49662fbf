import KitPluginSDK
/// Writes `Value`s as block YAML with sorted keys; strings are quoted only when plain would change meaning.
public enum YAMLWriter {
    /// The document as YAML, ending with a newline.
    public static func document(_ value: Value) -> String {
        String(decoding: documentBytes(value), as: UTF8.self)
    }

    /// The document as UTF-8 bytes.
    public static func documentBytes(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        switch value {
        case .map(let m) where !m.isEmpty: writeMap(m, indent: 0, into: &out)
        case .list(let l) where !l.isEmpty: writeList(l, indent: 0, into: &out)
        default: out.append(contentsOf: (scalar(value) + "\n").utf8)
        }
        return out
    }

    @inline(__always) static func pad(_ out: inout [UInt8], _ n: Int) { JSONText.appendSpaces(&out, n) }

    static func writeMap(_ m: [String: Value], indent: Int, into out: inout [UInt8], skipFirstPad: Bool = false) {
        var first = true
        for (key, item) in m.sorted(by: { $0.key < $1.key }) {
            if !(first && skipFirstPad) { pad(&out, indent) }
            first = false
            out.append(contentsOf: scalar(.string(key)).utf8)
            out.append(UInt8(ascii: ":"))
            writeNested(item, indent: indent, into: &out)
        }
    }

    static func writeList(_ l: [Value], indent: Int, into out: inout [UInt8]) {
        for item in l {
            pad(&out, indent)
            switch item {
            case .map(let m) where !m.isEmpty:
                // First key on the dash line, the rest aligned under it.
                out.append(contentsOf: "- ".utf8)
                writeMap(m, indent: indent + 2, into: &out, skipFirstPad: true)
            case .list(let sub) where !sub.isEmpty:
                out.append(contentsOf: "-\n".utf8)
                writeList(sub, indent: indent + 2, into: &out)
            default:
                out.append(contentsOf: "- ".utf8)
                out.append(contentsOf: scalar(item).utf8)
                out.append(10)
            }
        }
    }

    package static func writeNested(_ v: Value, indent: Int, into out: inout [UInt8]) {
        switch v {
        case .map(let m) where !m.isEmpty:
            out.append(10)
            writeMap(m, indent: indent + 2, into: &out)
        case .list(let l) where !l.isEmpty:
            out.append(10)
            writeList(l, indent: indent, into: &out)
        case .tagged(_, let inner):
            writeNested(inner, indent: indent, into: &out)
        case .string(let s) where s.utf8.contains(10) && s.utf8.last != 32 && s.utf8.first != 32:
            out.append(contentsOf: (s.hasSuffix("\n") ? " |\n" : " |-\n").utf8)
            for line in s.split(separator: "\n", omittingEmptySubsequences: false).dropLast(s.hasSuffix("\n") ? 1 : 0) {
                if !line.isEmpty { pad(&out, indent + 2); out.append(contentsOf: line.utf8) }
                out.append(10)
            }
        default:
            out.append(32)
            out.append(contentsOf: scalar(v).utf8)
            out.append(10)
        }
    }

    /// A scalar (or empty collection) in flow form.
    public static func scalar(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
            return JSONWriter.format(double: d)
        case .string(let s): return needsQuotes(s) ? JSONWriter.compact(.string(s)) : s
        case .list(let l): return l.isEmpty ? "[]" : JSONWriter.compact(v)
        case .map(let m): return m.isEmpty ? "{}" : JSONWriter.compact(v)
        case .tagged(_, let inner): return scalar(inner)
        }
    }

    static let yamlWords: Set<String> = ["yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF",
                                          "true", "false", "null", "True", "False", "Null", "TRUE", "FALSE", "NULL", "Y", "N"]

    static let indicators: Set<UInt8> = Set(" -?:,[]{}#&*!|>'\"%@`".utf8)

    /// True when a plain scalar would read back as something else (byte-level; no Foundation).
    static func needsQuotes(_ s: String) -> Bool {
        let bytes = s.utf8
        guard let first = bytes.first else { return true }
        if indicators.contains(first) { return true }
        // Anything YAML could resolve to a number, bool or null must stay a string.
        let numberish = (first >= 48 && first <= 57) || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || first == UInt8(ascii: "~")
        if numberish || (bytes.count <= 5 && yamlWords.contains(s)) {
            if case .string = YAMLParser.resolvePlain(s), !yamlWords.contains(s) {} else { return true }
        }
        var prev: UInt8 = 0
        for b in bytes {
            if b < 0x20 { return true }                                              // newline, tab, control
            if b == UInt8(ascii: " ") && prev == UInt8(ascii: ":") { return true }   // ": "
            if b == UInt8(ascii: "#") && prev == UInt8(ascii: " ") { return true }   // " #"
            prev = b
        }
        return prev == UInt8(ascii: " ") || prev == UInt8(ascii: ":")
    }
}
