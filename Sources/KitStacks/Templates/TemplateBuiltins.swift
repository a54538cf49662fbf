import Foundation
import KitModel

/// Go `text/template` builtin functions (`and`/`or` are short-circuited by the renderer).
extension TemplateFunction {
    func callBuiltin(_ args: TemplateArguments) throws -> TemplateValue {
        switch self {
        case .not:
            try args.expect(1)
            return .value(.bool(!args.values[0].isTrue))
        case .eq:
            try args.expect(atLeast: 1)
            guard args.count >= 2 else { throw TemplateFunctionFailure(message: "error calling eq: missing argument for comparison") }
            for i in 1..<args.count where try Self.goEqual(args.value(0), args.value(i)) { return .value(.bool(true)) }
            return .value(.bool(false))
        case .ne:
            try args.expect(2)
            return .value(.bool(!(try Self.goEqual(args.value(0), args.value(1)))))
        case .lt, .le, .gt, .ge:
            try args.expect(2)
            let order = try Self.goCompare(args.value(0), args.value(1), name: name)
            switch self {
            case .lt: return .value(.bool(order < 0))
            case .le: return .value(.bool(order <= 0))
            case .gt: return .value(.bool(order > 0))
            default: return .value(.bool(order >= 0))
            }
        case .len:
            try args.expect(1)
            switch args.value(0) {
            case .string(let s): return .value(.int(s.utf8.count))
            case .list(let l): return .value(.int(l.count))
            case .map(let m): return .value(.int(m.count))
            case .null: throw TemplateFunctionFailure(message: "error calling len: len of nil pointer")
            case let v: throw TemplateFunctionFailure(message: "error calling len: len of type \(v.goTypeName)")
            }
        case .index:
            try args.expect(atLeast: 1)
            return try Self.index(args)
        case .slice:
            // Sprig's `slice` replaces Go's builtin in atmos's function map (lists only).
            return try Self.sprigSlice(args)
        case .print:
            return .value(.string(Self.sprint(args.values.map { $0.asValue })))
        case .println:
            return .value(.string(args.values.map { GoFormat.print($0) }.joined(separator: " ") + "\n"))
        case .printf:
            try args.expect(atLeast: 1)
            return .value(.string(GoPrintf.format(try args.string(0), Array(args.values.dropFirst()))))
        case .html:
            return .value(.string(Self.htmlEscape(Self.evalArgs(args))))
        case .js:
            return .value(.string(Self.jsEscape(Self.evalArgs(args))))
        case .urlquery:
            return .value(.string(Self.queryEscape(Self.evalArgs(args))))
        default:
            throw TemplateFunctionFailure(message: "\(name) cannot be called here")
        }
    }

    /// Go's `eq` for one pair: basic kinds compare, nil equals only nil, other mixes are errors.
    static func goEqual(_ a: Value, _ b: Value) throws -> Bool {
        switch (a.untaggedForTemplate, b.untaggedForTemplate) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list, .list), (.map, .map):
            throw TemplateFunctionFailure(message: "error calling eq: non-comparable type \(GoFormat.print(a)): \(a.goTypeName)")
        default:
            throw TemplateFunctionFailure(message: "error calling eq: incompatible types for comparison")
        }
    }

    /// Go's ordering for `lt`/`le`/`gt`/`ge`: ints, floats and strings, never mixed.
    static func goCompare(_ a: Value, _ b: Value, name: String) throws -> Int {
        switch (a.untaggedForTemplate, b.untaggedForTemplate) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int, .double), (.double, .int), (.int, .string), (.string, .int), (.double, .string), (.string, .double):
            throw TemplateFunctionFailure(message: "error calling \(name): incompatible types for comparison")
        default:
            throw TemplateFunctionFailure(message: "error calling \(name): invalid type for comparison")
        }
    }

    private static func index(_ args: TemplateArguments) throws -> TemplateValue {
        var item = args.value(0)
        if item.isNull { throw TemplateFunctionFailure(message: "error calling index: index of untyped nil") }
        for position in 1..<Swift.max(args.count, 1) {
            let key = args.value(position)
            switch (item, key) {
            case (.list(let l), .int(let i)):
                guard i >= 0, i < l.count else {
                    throw TemplateFunctionFailure(message: "error calling index: index out of range: \(i)")
                }
                item = l[i].untaggedForTemplate
            case (.list, _):
                throw TemplateFunctionFailure(message: "error calling index: cannot index slice/array with type \(key.goTypeName)")
            case (.string(let s), .int(let i)):
                let bytes = Array(s.utf8)
                guard i >= 0, i < bytes.count else {
                    throw TemplateFunctionFailure(message: "error calling index: index out of range: \(i)")
                }
                item = .int(Int(bytes[i]))
            case (.map(let m), .string(let k)):
                item = m[k]?.untaggedForTemplate ?? .null
            case (.map, _):
                throw TemplateFunctionFailure(message: "error calling index: value has type \(key.goTypeName); should be string")
            case (.null, _):
                throw TemplateFunctionFailure(message: "error calling index: index of nil pointer")
            default:
                throw TemplateFunctionFailure(message: "error calling index: can't index item of type \(item.goTypeName)")
            }
        }
        return .value(item)
    }

    private static func slice(_ args: TemplateArguments) throws -> TemplateValue {
        let item = args.value(0)
        var indexes: [Int] = []
        for position in 1..<Swift.max(args.count, 1) {
            guard case .int(let i) = args.value(position) else {
                throw TemplateFunctionFailure(message: "error calling slice: cannot index slice/array with type \(args.value(position).goTypeName)")
            }
            indexes.append(i)
        }
        func bounds(_ count: Int) throws -> Range<Int> {
            let low = indexes.count > 0 ? indexes[0] : 0
            let high = indexes.count > 1 ? indexes[1] : count
            guard low >= 0, high <= count, low <= high else {
                throw TemplateFunctionFailure(message: "error calling slice: index out of range: \(low > high || low < 0 ? low : high)")
            }
            return low..<high
        }
        switch item {
        case .string(let s):
            if indexes.count > 2 { throw TemplateFunctionFailure(message: "error calling slice: cannot 3-index slice a string") }
            let bytes = Array(s.utf8)
            return .value(.string(String(decoding: bytes[try bounds(bytes.count)], as: UTF8.self)))
        case .list(let l):
            if indexes.count > 3 { throw TemplateFunctionFailure(message: "error calling slice: too many slice indexes: \(indexes.count)") }
            return .value(.list(Array(l[try bounds(l.count)])))
        case .null:
            throw TemplateFunctionFailure(message: "error calling slice: slice of untyped nil")
        default:
            throw TemplateFunctionFailure(message: "error calling slice: can't slice item of type \(item.goTypeName)")
        }
    }

    /// Go `fmt.Sprint`: operands printed with `%v`, a space between two operands when neither is a string.
    static func sprint(_ values: [Value]) -> String {
        var out = ""
        var previousWasString = true
        for (i, v) in values.enumerated() {
            let isString: Bool
            if case .string = v.untaggedForTemplate { isString = true } else { isString = false }
            if i > 0 && !isString && !previousWasString { out += " " }
            GoFormat.append(v, to: &out)
            previousWasString = isString
        }
        return out
    }

    /// The text `html`, `js` and `urlquery` escape: a lone string argument, else `fmt.Sprint` of all.
    private static func evalArgs(_ args: TemplateArguments) -> String {
        if args.count == 1, case .string(let s) = args.value(0) { return s }
        return sprint(args.values.map { $0.asValue })
    }

    /// Go's `template.HTMLEscapeString`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Go's `template.JSEscapeString`.
    static func jsEscape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Go's `url.QueryEscape`: space becomes `+`, unreserved bytes stay, the rest is `%XX`.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }
}
