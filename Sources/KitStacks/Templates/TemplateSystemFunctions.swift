import Foundation
import KitModel

/// Sprig's regular expression, environment and time functions.
extension TemplateFunction {
    func callSystem(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue {
        switch self {
        case .regexMatch:
            try args.expect(2)
            // Sprig ignores compile errors here: an invalid pattern matches nothing.
            guard let regex = try? NSRegularExpression(pattern: try args.string(0)) else { return .value(.bool(false)) }
            let s = try args.string(1)
            return .value(.bool(regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil))
        case .regexFind:
            try args.expect(2)
            let regex = try compile(try args.string(0))
            let s = try args.string(1)
            guard let match = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
                  let range = Range(match.range, in: s) else { return .value(.string("")) }
            return .value(.string(String(s[range])))
        case .regexReplaceAll:
            try args.expect(3)
            let regex = try compile(try args.string(0))
            let s = try args.string(1)
            return .value(.string(regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s),
                                                                 withTemplate: Self.foundationTemplate(try args.string(2)))))
        case .env:
            try args.expect(1)
            return .value(.string(context.options.environment[try args.string(0)] ?? ""))
        case .expandenv:
            try args.expect(1)
            return .value(.string(Self.expandEnvironment(try args.string(0), context.options.environment)))
        case .now:
            try args.expect(0)
            return .time(context.options.now())
        default: // .date
            try args.expect(2)
            let layout = try args.string(0)
            let date: Date
            switch args.values[1] {
            case .time(let d): date = d
            case .value(.int(let seconds)): date = Date(timeIntervalSince1970: TimeInterval(seconds))
            default: date = context.options.now()   // Sprig formats "now" for any other type.
            }
            return .value(.string(GoTimeLayout.format(date, layout: layout, zone: context.options.timeZone)))
        }
    }

    func compile(_ pattern: String) throws -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern.isEmpty ? "(?:)" : pattern)
        } catch {
            throw TemplateFunctionFailure(message: "error calling \(name): regexp: Compile(\(GoFormat.quote(pattern))): invalid pattern")
        }
    }

    /// Converts a Go replacement (`$1`, `${1}`, `$$`, literal `\`) to an NSRegularExpression template.
    static func foundationTemplate(_ go: String) -> String {
        var out = ""
        let chars = Array(go)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { out += "\\\\"; i += 1; continue }
            guard c == "$", i + 1 < chars.count else { out.append(c); i += 1; continue }
            if chars[i + 1] == "$" { out += "\\$"; i += 2; continue }
            var name = ""
            var j = i + 1
            if chars[j] == "{" {
                j += 1
                while j < chars.count, chars[j] != "}" { name.append(chars[j]); j += 1 }
                j += 1
            } else {
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { name.append(chars[j]); j += 1 }
            }
            if let n = Int(name) { out += "$\(n)" }   // named groups are not supported: they expand to nothing
            i = j
        }
        return out
    }
}

extension TemplateFunction {
    /// Go's `os.ExpandEnv` (`os.Expand`): `$NAME`, `${NAME}` and the one-character shell specials
    /// (`$$`, `$1`, `$*`, …) are replaced by the variable (empty when unset); a `$` before anything
    /// else stays; a bad `${…` is dropped.
    static func expandEnvironment(_ s: String, _ env: [String: String]) -> String {
        func isSpecial(_ c: UInt8) -> Bool { "*#$@!?-".utf8.contains(c) || (c >= 0x30 && c <= 0x39) }
        func isAlphaNum(_ c: UInt8) -> Bool {
            c == 0x5F || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "$"), i + 1 < b.count else { out.append(b[i]); i += 1; continue }
            let rest = b[(i + 1)...]
            var name: [UInt8] = []
            var width = 0
            if rest.first == UInt8(ascii: "{") {
                if rest.count > 2, isSpecial(b[i + 2]), b[i + 3] == UInt8(ascii: "}") {
                    name = [b[i + 2]]; width = 3
                } else if let close = rest.firstIndex(of: UInt8(ascii: "}")) {
                    name = Array(b[(i + 2)..<close]); width = close - i
                    if name.isEmpty { i += 1 + width; continue }   // "${}": bad syntax, eaten
                } else {
                    i += 2; continue   // "${" without "}": eaten
                }
            } else if isSpecial(rest.first!) {
                name = [rest.first!]; width = 1
            } else {
                var k = i + 1
                while k < b.count, isAlphaNum(b[k]) { k += 1 }
                name = Array(b[(i + 1)..<k]); width = k - i - 1
            }
            if name.isEmpty && width == 0 { out.append(b[i]); i += 1; continue }
            out += Array((env[String(decoding: name, as: UTF8.self)] ?? "").utf8)
            i += 1 + width
        }
        return String(decoding: out, as: UTF8.self)
    }
}
