import Foundation
import KitModel

/// Sprig's default/flow functions and string functions.
extension TemplateFunction {
    func callFlow(_ args: TemplateArguments) throws -> TemplateValue {
        switch self {
        case .default:
            try args.expect(atLeast: 1)
            if args.count == 1 || !args.values[1].isTrue { return .value(args.value(0)) }
            return args.values[1]
        case .empty:
            try args.expect(1)
            return .value(.bool(!args.values[0].isTrue))
        case .coalesce:
            return args.values.first(where: { $0.isTrue }).map { .value($0.asValue) } ?? .value(.null)
        case .ternary:
            try args.expect(3)
            return .value(try args.bool(2) ? args.value(0) : args.value(1))
        case .required:
            try args.expect(2)
            let warning = try args.string(0)
            switch args.value(1) {
            case .null, .string(""): throw TemplateFunctionFailure(message: "error calling required: \(warning)")
            default: return .value(args.value(1))
            }
        default: // .fail
            try args.expect(1)
            throw TemplateFunctionFailure(message: "error calling fail: \(try args.string(0))")
        }
    }

    func callString(_ args: TemplateArguments) throws -> TemplateValue {
        func text(_ s: String) -> TemplateValue { .value(.string(s)) }
        switch self {
        case .upper: try args.expect(1); return text(try args.string(0).uppercased())
        case .lower: try args.expect(1); return text(try args.string(0).lowercased())
        case .title: try args.expect(1); return text(Self.goTitle(try args.string(0)))
        case .trim: try args.expect(1); return text(try args.string(0).trimmingCharacters(in: .whitespacesAndNewlines))
        case .trimAll:
            try args.expect(2)
            let cutset = Set(try args.string(0).unicodeScalars)
            var scalars = Substring(try args.string(1)).unicodeScalars[...]
            while let f = scalars.first, cutset.contains(f) { scalars.removeFirst() }
            while let l = scalars.last, cutset.contains(l) { scalars.removeLast() }
            return text(String(String.UnicodeScalarView(scalars)))
        case .trimPrefix:
            try args.expect(2)
            let (prefix, s) = (try args.string(0), try args.string(1))
            return text(s.hasPrefix(prefix) ? String(s.utf8.dropFirst(prefix.utf8.count))! : s)
        case .trimSuffix:
            try args.expect(2)
            let (suffix, s) = (try args.string(0), try args.string(1))
            return text(s.hasSuffix(suffix) ? String(s.utf8.dropLast(suffix.utf8.count))! : s)
        case .replace:
            try args.expect(3)
            return text(Self.goReplace(try args.string(2), try args.string(0), try args.string(1)))
        case .contains:
            try args.expect(2)
            let (needle, s) = (try args.string(0), try args.string(1))
            return .value(.bool(needle.isEmpty || s.contains(needle)))
        case .hasPrefix: try args.expect(2); return .value(.bool(try args.string(1).hasPrefix(try args.string(0))))
        case .hasSuffix: try args.expect(2); return .value(.bool(try args.string(1).hasSuffix(try args.string(0))))
        case .split:
            try args.expect(2)
            let parts = Self.goSplit(try args.string(1), separator: try args.string(0))
            var dict: [String: Value] = [:]
            for (i, part) in parts.enumerated() { dict["_\(i)"] = .string(part) }
            return GoTyped.value(.map(dict), type: "map[string]string")
        case .splitList:
            try args.expect(2)
            return GoTyped.strings(Self.goSplit(try args.string(1), separator: try args.string(0)))
        case .join:
            try args.expect(2)
            return text(Self.stringSlice(args.value(1)).joined(separator: try args.string(0)))
        case .quote:
            return text(args.values.map { $0.asValue }.filter { !$0.isNull }
                .map { GoFormat.quote(Self.stringValue($0)) }.joined(separator: " "))
        case .squote:
            return text(args.values.map { $0.asValue }.filter { !$0.isNull }
                .map { "'" + Self.stringValue($0) + "'" }.joined(separator: " "))
        case .cat:
            return text(args.values.map { $0.asValue }.filter { !$0.isNull }.map(Self.stringValue).joined(separator: " "))
        case .indent, .nindent:
            try args.expect(2)
            let pad = String(repeating: " ", count: Swift.max(try args.int(0), 0))
            let indented = pad + (try args.string(1)).replacingOccurrences(of: "\n", with: "\n" + pad)
            return text(self == .nindent ? "\n" + indented : indented)
        case .trunc:
            try args.expect(2)
            let (count, s) = (try args.int(0), try args.string(1))
            let bytes = Array(s.utf8)
            if count < 0 && bytes.count + count > 0 { return text(String(decoding: bytes[(bytes.count + count)...], as: UTF8.self)) }
            if count >= 0 && bytes.count > count { return text(String(decoding: bytes[..<count], as: UTF8.self)) }
            return text(s)
        case .repeat:
            try args.expect(2)
            let count = try args.int(0)
            guard count >= 0 else { throw TemplateFunctionFailure(message: "error calling repeat: strings: negative Repeat count") }
            return text(String(repeating: try args.string(1), count: count))
        default: // .toString
            try args.expect(1)
            return text(Self.stringValue(args.value(0)))
        }
    }

    /// Go's `strings.Title`: upper-cases the first letter of each word.
    static func goTitle(_ s: String) -> String {
        var out = ""
        var previous: Unicode.Scalar = " "
        for scalar in s.unicodeScalars {
            let separator: Bool
            if previous.isASCII {
                let v = previous.value
                separator = !((v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F)
            } else {
                separator = previous.properties.isWhitespace
            }
            if separator { out += String(scalar).uppercased() } else { out.unicodeScalars.append(scalar) }
            previous = scalar
        }
        return out
    }

    /// Go's `strings.Replace(s, old, new, -1)`, including the empty-`old` case.
    static func goReplace(_ s: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            var out = new
            for scalar in s.unicodeScalars { out.unicodeScalars.append(scalar); out += new }
            return out
        }
        return s.replacingOccurrences(of: old, with: new)
    }

    /// Go's `strings.Split`: an empty separator splits into characters.
    static func goSplit(_ s: String, separator: String) -> [String] {
        if separator.isEmpty { return s.unicodeScalars.map { String($0) } }
        return s.components(separatedBy: separator)
    }

    /// Sprig's `strslice`: a list's non-nil items as strings; a scalar as a one-item list; nil as none.
    static func stringSlice(_ v: Value) -> [String] {
        switch v.untaggedForTemplate {
        case .list(let items): return items.filter { !$0.isNull }.map { stringValue($0.untaggedForTemplate) }
        case .null: return []
        default: return [stringValue(v)]
        }
    }
}
