/// Writes `Value`s as block YAML with sorted keys; strings are quoted only when plain would change meaning.
public enum YAMLWriter {
    /// The document as YAML, ending with a newline.
    public static func document(_ value: Value) -> String {
        var out = ""
        switch value {
        case .map(let m) where !m.isEmpty: writeMap(m, indent: 0, into: &out)
        case .list(let l) where !l.isEmpty: writeList(l, indent: 0, into: &out)
        default: out = scalar(value) + "\n"
        }
        return out
    }

    static func writeMap(_ m: [String: Value], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for key in m.keys.sorted() {
            let v = m[key]!
            out += pad + scalar(.string(key)) + ":"
            writeNested(v, indent: indent, into: &out)
        }
    }

    static func writeList(_ l: [Value], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in l {
            switch item {
            case .map(let m) where !m.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var inner = ""
                writeMap(m, indent: indent + 2, into: &inner)
                out += pad + "- " + inner.dropFirst(indent + 2)
            case .list(let sub) where !sub.isEmpty:
                out += pad + "-\n"
                writeList(sub, indent: indent + 2, into: &out)
            default:
                out += pad + "- " + scalar(item) + "\n"
            }
        }
    }

    static func writeNested(_ v: Value, indent: Int, into out: inout String) {
        switch v {
        case .map(let m) where !m.isEmpty:
            out += "\n"
            writeMap(m, indent: indent + 2, into: &out)
        case .list(let l) where !l.isEmpty:
            out += "\n"
            writeList(l, indent: indent, into: &out)
        case .tagged(_, let inner):
            writeNested(inner, indent: indent, into: &out)
        case .string(let s) where s.contains("\n") && !s.hasSuffix(" "):
            let pad = String(repeating: " ", count: indent + 2)
            out += s.hasSuffix("\n") ? " |\n" : " |-\n"
            for line in s.split(separator: "\n", omittingEmptySubsequences: false).dropLast(s.hasSuffix("\n") ? 1 : 0) {
                out += line.isEmpty ? "\n" : pad + line + "\n"
            }
        default:
            out += " " + scalar(v) + "\n"
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

    static func needsQuotes(_ s: String) -> Bool {
        if s.isEmpty { return true }
        if case .string = YAMLParser.resolvePlain(s) {} else { return true }
        if ["yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"].contains(s) { return true }
        let first = s.utf8.first!
        if " -?:,[]{}#&*!|>'\"%@`~".utf8.contains(first) {
            // A leading '-' or ':' is fine when not followed by a space (e.g. '-x'); keep it simple and quote.
            return true
        }
        if s.last == " " || s.last == ":" { return true }
        if s.contains(": ") || s.contains(" #") || s.contains("\n") || s.contains("\t") { return true }
        for b in s.utf8 where b < 0x20 { return true }
        return false
    }
}
