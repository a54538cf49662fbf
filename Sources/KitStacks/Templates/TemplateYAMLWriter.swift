import KitModel
/// Block-style YAML for `toYaml`, shaped like Go's yaml.v2 output: sorted keys, two-space
/// indentation, list items at their parent key's indentation, no trailing newline.
enum TemplateYAMLWriter {
    /// The YAML text for `value`.
    static func write(_ value: Value) -> String {
        var lines: [String] = []
        emit(value.untaggedForTemplate, indent: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func emit(_ value: Value, indent: String, into lines: inout [String]) {
        switch value {
        case .map(let m) where !m.isEmpty:
            for key in m.keys.sorted() {
                let child = m[key]!.untaggedForTemplate
                let k = indent + scalar(key)
                switch child {
                case .map(let cm) where !cm.isEmpty:
                    lines.append(k + ":")
                    emit(child, indent: indent + "  ", into: &lines)
                case .list(let items) where !items.isEmpty:
                    lines.append(k + ":")
                    emit(child, indent: indent, into: &lines)
                case .string(let s) where s.contains("\n"):
                    lines.append(k + ": " + literalHeader(s))
                    lines.append(contentsOf: literalBody(s, indent: indent + "  "))
                default:
                    lines.append(k + ": " + inline(child))
                }
            }
        case .list(let items) where !items.isEmpty:
            for item in items {
                let child = item.untaggedForTemplate
                let isNested: Bool
                switch child {
                case .map(let cm): isNested = !cm.isEmpty
                case .list(let cl): isNested = !cl.isEmpty
                default: isNested = false
                }
                if isNested {
                    var nested: [String] = []
                    emit(child, indent: indent + "  ", into: &nested)
                    if let first = nested.first {
                        lines.append(indent + "- " + first.dropFirst(indent.count + 2))
                        lines.append(contentsOf: nested.dropFirst())
                    }
                } else if case .string(let s) = child, s.contains("\n") {
                    lines.append(indent + "- " + literalHeader(s))
                    lines.append(contentsOf: literalBody(s, indent: indent + "  "))
                } else {
                    lines.append(indent + "- " + inline(child))
                }
            }
        default:
            if case .string(let s) = value, s.contains("\n") {
                lines.append(literalHeader(s))
                lines.append(contentsOf: literalBody(s, indent: indent + "  "))
            } else {
                lines.append(indent + inline(value))
            }
        }
    }

    private static func inline(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return GoFormat.formatG(d)
        case .string(let s): return scalar(s)
        case .map: return "{}"
        case .list: return "[]"
        case .tagged(_, let inner): return inline(inner)
        }
    }

    private static func literalHeader(_ s: String) -> String { s.hasSuffix("\n") ? "|" : "|-" }

    private static func literalBody(_ s: String, indent: String) -> [String] {
        var body = s
        if body.hasSuffix("\n") { body.removeLast() }
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }
    }

    private static let reserved: Set<String> = [
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]

    /// A string scalar: plain when YAML would read it back as the same string, else quoted.
    static func scalar(_ s: String) -> String {
        if reserved.contains(s) || Double(s) != nil || Int(s) != nil || s.hasPrefix("0x") && Int(s.dropFirst(2), radix: 16) != nil {
            return GoFormat.quote(s)
        }
        let first = s.unicodeScalars.first!
        let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        let needsQuotes = indicators.contains(first) || s.hasPrefix(" ") || s.hasSuffix(" ") || s.hasSuffix(":")
            || s.contains(": ") || s.contains(" #") || s.unicodeScalars.contains { $0.value < 0x20 }
        if !needsQuotes { return s }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 }) { return GoFormat.quote(s) }
        return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
