import Foundation
import KitModel

/// Values that carry the Go type a Sprig function returns (`int64`, `[]string`, …) where it is not
/// the type the same value has in atmos's decoded YAML data. The type rides in a `go:` tag, which
/// everything but `typeOf`/`kindOf`/`%T` and Go's deep equality looks through.
enum GoTyped {
    static func value(_ v: Value, type: String) -> TemplateValue { .value(.tagged("go:" + type, v)) }
    static func int64(_ n: Int) -> TemplateValue { value(.int(n), type: "int64") }
    static func strings(_ s: [String]) -> TemplateValue { value(.list(s.map(Value.string)), type: "[]string") }
    static func ints(_ n: [Int]) -> TemplateValue { value(.list(n.map(Value.int)), type: "[]int") }

    /// Go's `reflect.Kind` name for a type name kit produces.
    static func kind(ofType type: String) -> String {
        if type.hasPrefix("[]") { return "slice" }
        if type.hasPrefix("map[") { return "map" }
        if type.hasPrefix("*") { return "ptr" }
        switch type {
        case "<nil>": return "invalid"
        case "time.Time": return "struct"
        default: return type
        }
    }

    /// Go's type name for a template value, including the `go:` tags.
    static func typeName(_ v: TemplateValue) -> String {
        if case .value(.tagged(let tag, _)) = v, tag.hasPrefix("go:") { return String(tag.dropFirst(3)) }
        if case .object(let o) = v { return o.goTypeName }
        if case .missing = v { return "<nil>" }   // "no value" reaches a function as Go's nil interface
        return v.goTypeName
    }
}

/// Sprig's remaining list and dict functions.
extension TemplateFunction {
    func callSprigCollection(_ args: TemplateArguments) throws -> TemplateValue? {
        func list(_ v: [Value]) -> TemplateValue { .value(.list(v)) }
        /// A slice argument (Sprig panics or, for `must…`, errors on other kinds).
        func items(_ i: Int, verb: String) throws -> [Value] {
            if let l = args.value(i).listValue { return l.map { $0 } }
            let kind = GoTyped.kind(ofType: GoTyped.typeName(args.values[i]))
            throw TemplateFunctionFailure(message: "error calling \(name): Cannot \(verb) type \(kind)")
        }
        switch self {
        case .tuple: return .value(.list(args.values.map { $0.rawValue }))
        case .push, .mustPush, .mustAppend:
            try args.expect(2); return list(try items(0, verb: "push on") + [args.values[1].rawValue])
        case .prepend, .mustPrepend:
            try args.expect(2); return list([args.values[1].rawValue] + (try items(0, verb: "prepend on")))
        case .mustFirst:
            try args.expect(1); return try items(0, verb: "find first on").first.map { .value($0) } ?? .missing
        case .mustLast:
            try args.expect(1); return try items(0, verb: "find last on").last.map { .value($0) } ?? .missing
        case .rest, .mustRest:
            try args.expect(1)
            let l = try items(0, verb: "find rest on")
            return l.isEmpty ? list([]) : list(Array(l.dropFirst()))
        case .initial, .mustInitial:
            try args.expect(1)
            let l = try items(0, verb: "find initial on")
            return l.isEmpty ? list([]) : list(Array(l.dropLast()))
        case .reverse, .mustReverse: try args.expect(1); return list(try items(0, verb: "find reverse on").reversed())
        case .mustUniq:
            try args.expect(1)
            var seen: [Value] = []
            for item in try items(0, verb: "find uniq on") where !seen.contains(item) { seen.append(item) }
            return list(seen)
        case .compact, .mustCompact:
            try args.expect(1)
            return list(try items(0, verb: "compact on").filter { $0.isGoTrue })
        case .without, .mustWithout:
            try args.expect(atLeast: 1)
            let omit = args.values.dropFirst().map(\.rawValue)
            return list(try items(0, verb: "find without on").filter { !omit.contains($0) })
        case .has, .mustHas:
            try args.expect(2)
            if args.value(1).isNull { return .value(.bool(false)) }
            let needle = args.values[0].rawValue
            return .value(.bool(try items(1, verb: "find has on").contains(needle)))
        case .mustSlice:
            return try Self.sprigSlice(args)
        case .chunk, .mustChunk:
            try args.expect(2)
            let size = try args.int(0)
            let l = try items(1, verb: "chunk")
            guard size > 0 else { throw TemplateFunctionFailure(message: "error calling \(name): chunk size must be positive") }
            if l.isEmpty { return GoTyped.value(.list([]), type: "[][]interface {}") }
            var chunks: [Value] = []
            var i = 0
            repeat {
                chunks.append(.list(Array(l[i..<Swift.min(i + size, l.count)])))
                i += size
            } while i < l.count
            return GoTyped.value(.list(chunks), type: "[][]interface {}")
        case .pluck:
            try args.expect(atLeast: 1)
            let key = try args.string(0)
            var out: [Value] = []
            for i in 1..<args.count { if let v = try args.map(i)[key] { out.append(v) } }
            return list(out)
        case .pick, .omit:
            try args.expect(atLeast: 1)
            let dict = try args.map(0)
            let names = Set(try (1..<args.count).map { try args.string($0) })
            return .value(.map(dict.filter { self == .pick ? names.contains($0.key) : !names.contains($0.key) }))
        case .merge, .mustMerge, .mergeOverwrite, .mustMergeOverwrite:
            try args.expect(atLeast: 1)
            var result = try args.map(0)
            for i in 1..<args.count {
                result = Self.mergo(result, try args.map(i), overwrite: self == .mergeOverwrite || self == .mustMergeOverwrite)
            }
            return .value(.map(result))
        case .deepCopy, .mustDeepCopy:
            try args.expect(1)
            return args.values[0].isMissing ? .missing : args.values[0]
        case .dig:
            try args.expect(atLeast: 3)
            var current = try args.map(args.count - 1)
            let fallback = args.values[args.count - 2]
            let keys = try (0..<(args.count - 2)).map { try args.string($0) }
            for (i, key) in keys.enumerated() {
                guard let step = current[key] else { return fallback }
                if i == keys.count - 1 { return .value(step) }
                guard case .map(let m) = step.untaggedForTemplate else {
                    throw TemplateFunctionFailure(message: "error calling dig: interface conversion: interface {} is \(step.goTypeName), not map[string]interface {}")
                }
                current = m
            }
            return fallback
        default:
            return nil
        }
    }

    /// Sprig's `slice`/`mustSlice` (which replaces Go's builtin `slice`): lists only, two indexes at most.
    static func sprigSlice(_ args: TemplateArguments) throws -> TemplateValue {
        try args.expect(atLeast: 1)
        guard let l = args.value(0).listValue else {
            let kind = GoTyped.kind(ofType: GoTyped.typeName(args.values[0]))
            throw TemplateFunctionFailure(message: "error calling \(args.function.name): list should be type of slice or array but \(kind)")
        }
        if l.isEmpty { return .missing }
        let start = args.count > 1 ? toInt64(args.value(1)) : 0
        let end = args.count > 2 ? toInt64(args.value(2)) : l.count
        guard start >= 0, end <= l.count, start <= end else {
            throw TemplateFunctionFailure(message: "error calling \(args.function.name): reflect: slice index out of range")
        }
        return .value(.list(Array(l[start..<end])))
    }

    /// imdario/mergo's `Merge` (fill what `dst` lacks or has empty) and `MergeWithOverwrite`
    /// (non-empty `src` values win) over maps, recursively for maps in both.
    static func mergo(_ dst: [String: Value], _ src: [String: Value], overwrite: Bool) -> [String: Value] {
        var out = dst
        for (key, value) in src {
            guard let existing = out[key] else { out[key] = value; continue }
            if case .map(let a) = existing.untaggedForTemplate, case .map(let b) = value.untaggedForTemplate {
                out[key] = .map(mergo(a, b, overwrite: overwrite))
            } else if overwrite || !existing.isGoTrue {
                out[key] = value
            }
        }
        return out
    }
}

extension TemplateValue {
    /// The value with its Go type tag (what Go's deep equality compares).
    var rawValue: Value {
        switch self {
        case .value(let v): return v
        default: return asValue
        }
    }

    var isMissing: Bool { if case .missing = self { return true } else { return false } }
}
