import Foundation
import KitModel

/// Go's `fmt.Sprintf` for the verbs templates use: `%v %s %d %q %t %T %f %e %g %x %X %o %b %c %%`, with
/// flags `-+# 0`, width and precision. Mismatches print Go's `%!d(string=x)` markers.
enum GoPrintf {
    private struct Spec {
        var minus = false, plus = false, sharp = false, zero = false, space = false
        var width: Int? = nil
        var precision: Int? = nil
    }

    /// Formats `args` with the Go format string `format`.
    static func format(_ format: String, _ args: [TemplateValue]) -> String {
        let chars = Array(format.unicodeScalars)
        var out = ""
        var i = 0
        var argIndex = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            var spec = Spec()
            flags: while i < chars.count {
                switch chars[i] {
                case "-": spec.minus = true
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case "0": spec.zero = true
                case " ": spec.space = true
                default: break flags
                }
                i += 1
            }
            spec.width = number(chars, &i)
            if i < chars.count && chars[i] == "." {
                i += 1
                spec.precision = number(chars, &i) ?? 0
            }
            guard i < chars.count else { out += "%!(NOVERB)"; break }
            let verb = chars[i]
            i += 1
            if verb == "%" { out += "%"; continue }
            guard argIndex < args.count else { out += "%!\(verb)(MISSING)"; continue }
            let arg = args[argIndex].asValue
            let typeName = GoTyped.typeName(args[argIndex])
            argIndex += 1
            out += pad(verb == "T" ? typeName : render(verb, arg, spec), spec, numeric: isNumeric(arg))
        }
        if argIndex < args.count {
            out += "%!(EXTRA " + args[argIndex...].map { "\($0.goTypeName)=\(GoFormat.print($0.asValue))" }
                .joined(separator: ", ") + ")"
        }
        return out
    }

    private static func number(_ chars: [Unicode.Scalar], _ i: inout Int) -> Int? {
        var value: Int? = nil
        while i < chars.count, let d = Int(String(chars[i])), chars[i].isASCII {
            value = (value ?? 0) * 10 + d
            i += 1
        }
        return value
    }

    private static func isNumeric(_ v: Value) -> Bool {
        switch v { case .int, .double: return true; default: return false }
    }

    private static func bad(_ verb: Unicode.Scalar, _ v: Value) -> String {
        if v.isNull { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(v.goTypeName)=\(GoFormat.print(v)))"
    }

    private static func render(_ verb: Unicode.Scalar, _ v: Value, _ spec: Spec) -> String {
        switch (verb, v) {
        case ("v", _):
            if case .double(let d) = v, let p = spec.precision { return String(format: "%.\(p)g", d) }
            return sign(GoFormat.print(v), spec)
        case ("s", .string(let s)):
            if let p = spec.precision { return String(String.UnicodeScalarView(s.unicodeScalars.prefix(p))) }
            return s
        case ("s", .list(let items)):
            return "[" + items.map { render("s", $0.untaggedForTemplate, spec) }.joined(separator: " ") + "]"
        case ("s", .map(let m)):
            return "map[" + m.keys.sorted().map { "\($0):\(render("s", m[$0]!.untaggedForTemplate, spec))" }.joined(separator: " ") + "]"
        case ("d", .int(let n)):
            return sign(String(n), spec)
        case ("d", .list(let items)):
            return "[" + items.map { render("d", $0.untaggedForTemplate, spec) }.joined(separator: " ") + "]"
        case ("q", .string(let s)):
            return GoFormat.quote(s)
        case ("q", .list(let items)):
            return "[" + items.map { render("q", $0.untaggedForTemplate, spec) }.joined(separator: " ") + "]"
        case ("q", .int(let n)):
            guard let scalar = Unicode.Scalar(UInt32(clamping: max(n, 0))) else { return "'\u{FFFD}'" }
            return "'" + (scalar == "'" ? "\\'" : String(scalar)) + "'"
        case ("T", _):
            return v.goTypeName
        case ("t", .bool(let b)):
            return b ? "true" : "false"
        case ("f", .double(let d)), ("F", .double(let d)):
            return sign(String(format: "%.\(spec.precision ?? 6)f", d), spec)
        case ("e", .double(let d)), ("E", .double(let d)):
            return sign(String(format: "%.\(spec.precision ?? 6)\(verb)", d), spec)
        case ("g", .double(let d)), ("G", .double(let d)):
            if let p = spec.precision { return sign(String(format: "%.\(p)\(verb)", d), spec) }
            let g = GoFormat.formatG(d)
            return sign(verb == "G" ? g.uppercased() : g, spec)
        case ("x", .int(let n)), ("X", .int(let n)):
            let digits = String(n.magnitude, radix: 16, uppercase: verb == "X")
            return (n < 0 ? "-" : "") + (spec.sharp ? (verb == "X" ? "0X" : "0x") : "") + digits
        case ("x", .string(let s)), ("X", .string(let s)):
            return s.utf8.map { b in
                let h = String(b, radix: 16, uppercase: verb == "X")
                return h.count < 2 ? "0" + h : h
            }.joined()
        case ("o", .int(let n)):
            return (n < 0 ? "-" : "") + (spec.sharp ? "0" : "") + String(n.magnitude, radix: 8)
        case ("U", .int(let n)):
            let hex = String(n, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
        case ("b", .int(let n)):
            return String(n, radix: 2)
        case ("c", .int(let n)):
            return Unicode.Scalar(UInt32(clamping: max(n, 0))).map { String($0) } ?? "\u{FFFD}"
        default:
            return bad(verb, v)
        }
    }

    private static func sign(_ s: String, _ spec: Spec) -> String {
        guard !s.hasPrefix("-") else { return s }
        if spec.plus, s.first?.isNumber == true { return "+" + s }
        if spec.space, s.first?.isNumber == true { return " " + s }
        return s
    }

    private static func pad(_ s: String, _ spec: Spec, numeric: Bool) -> String {
        guard let width = spec.width else { return s }
        let length = s.unicodeScalars.count
        guard length < width else { return s }
        let fill = width - length
        if spec.minus { return s + String(repeating: " ", count: fill) }
        if spec.zero && numeric {
            if let first = s.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: fill) + s.dropFirst()
            }
            return String(repeating: "0", count: fill) + s
        }
        return String(repeating: " ", count: fill) + s
    }
}
