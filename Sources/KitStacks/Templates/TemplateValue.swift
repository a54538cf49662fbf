import Foundation
import KitModel

/// A value while a template runs: a stack `Value`, Go's "no value" (a missing map key when
/// missing keys are allowed), or a time (what `now` returns).
enum TemplateValue: Sendable {
    case value(Value)
    case missing
    case time(Date)
    /// What `atmos.Component` returns; the renderer reads its sections and outputs on demand.
    case component(TemplateComponent)
    /// A Go value with methods that a Sprig function returned (`semver`).
    case object(any TemplateObject)

    /// The value handed to a function: "no value" becomes null (Go passes the zero interface).
    var asValue: Value {
        switch self {
        case .value(let v): return v.untaggedForTemplate
        case .missing: return .null
        case .time(let d): return .string(GoFormat.timeString(d, zone: .current))
        // The renderer materializes a component before handing it to a function; this is its
        // configuration only, for messages.
        case .component(let c): return .map(c.sections)
        case .object(let o): return .string(o.printed)
        }
    }

    /// Go's truth: false, 0, nil, "no value" and empty strings, lists and maps are false.
    var isTrue: Bool {
        switch self {
        case .missing: return false
        case .time, .component, .object: return true
        case .value(let v): return v.isGoTrue
        }
    }

    /// Go's name for the value's type, for error messages.
    var goTypeName: String {
        switch self {
        case .missing: return "<no value>"
        case .time: return "time.Time"
        case .component: return "map[string]interface {}"
        case .object(let o): return o.goTypeName
        case .value(let v): return v.goTypeName
        }
    }
}

extension Value {
    /// The value without any YAML tag wrapper.
    var untaggedForTemplate: Value {
        if case .tagged(_, let inner) = self { return inner.untaggedForTemplate }
        return self
    }

    /// Go's truth for a value (see `TemplateValue.isTrue`).
    var isGoTrue: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.isEmpty
        case .tagged(_, let inner): return inner.isGoTrue
        }
    }

    /// Go's name for the value's dynamic type (as decoded from YAML into `interface{}`).
    var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float64"
        case .string: return "string"
        case .list: return "[]interface {}"
        case .map: return "map[string]interface {}"
        case .tagged(let tag, let inner): return tag.hasPrefix("go:") ? String(tag.dropFirst(3)) : inner.goTypeName
        }
    }
}

/// Go `fmt` formatting of template values: `%v`, `%q` and float formatting.
enum GoFormat {
    /// `%v` of a template value, as text/template prints it.
    static func print(_ v: TemplateValue) -> String {
        switch v {
        case .missing: return "<no value>"
        case .time(let d): return timeString(d, zone: .current)
        case .component(let c): return print(.value(.map(c.sections)))
        case .object(let o): return o.printed
        case .value(let value):
            var out = ""
            append(value, to: &out)
            return out
        }
    }

    /// `%v` of a stack value: strings as is, `<nil>`, `[a b]`, `map[a:1 b:2]` (sorted keys).
    static func print(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        var out = ""
        append(v, to: &out)
        return out
    }

    /// Appends `%v` of `v` to `out`.
    static func append(_ v: Value, to out: inout String) {
        switch v {
        case .null: out += "<nil>"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += formatG(d)
        case .string(let s): out += s
        case .tagged(_, let inner): append(inner, to: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += " " }
                append(item, to: &out)
            }
            out += "]"
        case .map(let m):
            out += "map["
            for (i, key) in m.keys.sorted().enumerated() {
                if i > 0 { out += " " }
                out += key
                out += ":"
                append(m[key]!, to: &out)
            }
            out += "]"
        }
    }

    /// The shortest decimal digits of `d` (no sign) and the decimal point position:
    /// `|d| = 0.D1D2… × 10^point`.
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], point: Int) {
        let text = abs(d).description   // Swift prints the shortest round-trip representation.
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(c)
            if !seenPoint { point += 1 }
        }
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 { digits.removeFirst(); point -= 1 }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        if digits == [UInt8(ascii: "0")] { return (digits, 1) }
        return (digits, point + exponent)
    }

    /// `strconv.FormatFloat(d, 'g', -1, 64)`, which is Go's `%v` for floats: `2`, `1.5`, `1e+06`.
    static func formatG(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let (digits, point) = shortestDigits(d)
        let exp = point - 1
        let sign = d.sign == .minus && d != 0 ? "-" : ""
        if exp < -4 || exp >= 6 {   // shortest %g uses precision 6 for this decision
            return sign + exponential(digits, exp)
        }
        return sign + fixed(digits, point)
    }

    /// Go's `encoding/json` number text for a float: fixed unless tiny or huge, `e-7` not `e-07`.
    static func formatJSON(_ d: Double) -> String {
        if !d.isFinite { return "null" }
        let (digits, point) = shortestDigits(d)
        let sign = d.sign == .minus && d != 0 ? "-" : ""
        let a = abs(d)
        if a != 0 && (a < 1e-6 || a >= 1e21) {
            var e = exponential(digits, point - 1)
            if let r = e.range(of: "e-0") { e.replaceSubrange(r, with: "e-") }
            return sign + e
        }
        return sign + fixed(digits, point)
    }

    private static func fixed(_ digits: [UInt8], _ point: Int) -> String {
        var out = ""
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            out = String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
        }
        return out
    }

    private static func exponential(_ digits: [UInt8], _ exp: Int) -> String {
        var out = String(UnicodeScalar(digits[0]))
        if digits.count > 1 { out += "." + String(decoding: digits[1...], as: UTF8.self) }
        out += exp < 0 ? "e-" : "e+"
        let e = abs(exp)
        out += e < 10 ? "0\(e)" : "\(e)"
        return out
    }

    /// Go's `strconv.Quote`: double quotes, with `\"`, `\\`, `\n`, `\t`, `\x..` escapes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Go's `time.Time.String()` without the monotonic clock: `2006-01-02 15:04:05.999999999 -0700 MST`.
    static func timeString(_ d: Date, zone: TimeZone) -> String {
        GoTimeLayout.format(d, layout: "2006-01-02 15:04:05.999999999 -0700 MST", zone: zone)
    }
}
