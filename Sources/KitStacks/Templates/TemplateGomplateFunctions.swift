import Foundation
import KitModel

/// The Gomplate namespaces atmos example repositories use, available only with
/// `templates.settings.gomplate.enabled` (as in atmos): `strings.*`, `conv.*`, `math.*`, `env.Getenv`,
/// `data.JSON`/`YAML`/`ToJSON`/`ToYAML`, and `file.Read`/`file.Exists` on local files. Gomplate's
/// argument order is kept (the piped input comes last, e.g. `strings.TrimPrefix "v" .x`).
extension TemplateFunction {
    func callGomplate(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue {
        guard context.options.gomplate else {
            throw TemplateFunctionFailure(message: "function \"\(name)\" is a Gomplate function — set templates.settings.gomplate.enabled: true in atmos.yaml to use it")
        }
        func text(_ s: String) -> TemplateValue { .value(.string(s)) }
        func string(_ i: Int) -> String { Self.stringValue(args.value(i)) }
        func number(_ i: Int) throws -> Double {
            switch args.value(i).untaggedForTemplate {
            case .int(let n): return Double(n)
            case .double(let d): return d
            case .string(let s): if let d = Double(s.trimmingWhitespace()) { return d }
            case .bool(let b): return b ? 1 : 0
            default: break
            }
            throw TemplateFunctionFailure(message: "\(name): could not convert \(GoFormat.print(args.value(i))) to a number")
        }
        func numeric(_ d: Double) -> TemplateValue { d.rounded() == d && abs(d) < 9e15 ? .value(.int(Int(d))) : .value(.double(d)) }
        switch self {
        case .datasource, .ds, .datasourceExists: return try callDatasource(args, context: context)
        case .stringsToUpper: try args.expect(1); return text(string(0).uppercased())
        case .stringsToLower: try args.expect(1); return text(string(0).lowercased())
        case .stringsTitle: try args.expect(1); return text(Self.goTitle(string(0)))
        case .stringsTrimSpace: try args.expect(1); return text(string(0).trimmingWhitespace())
        case .stringsTrim:
            try args.expect(2)
            let cut = Set(string(0))
            var s = Substring(string(1))
            while let f = s.first, cut.contains(f) { s = s.dropFirst() }
            while let l = s.last, cut.contains(l) { s = s.dropLast() }
            return text(String(s))
        case .stringsTrimPrefix:
            try args.expect(2)
            let (p, s) = (string(0), string(1))
            return text(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case .stringsTrimSuffix:
            try args.expect(2)
            let (p, s) = (string(0), string(1))
            return text(s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        case .stringsReplaceAll: try args.expect(3); return text(string(2).replacingOccurrences(of: string(0), with: string(1)))
        case .stringsContains: try args.expect(2); return .value(.bool(string(1).contains(string(0))))
        case .stringsHasPrefix: try args.expect(2); return .value(.bool(string(1).hasPrefix(string(0))))
        case .stringsHasSuffix: try args.expect(2); return .value(.bool(string(1).hasSuffix(string(0))))
        case .stringsSplit:
            try args.expect(2)
            return .value(.list(string(1).components(separatedBy: string(0)).map(Value.string)))
        case .stringsQuote: try args.expect(1); return text(GoJSON.encode(.string(string(0)), pretty: false))
        case .stringsRepeat:
            try args.expect(2)
            let n = Int(try number(0))
            guard n >= 0, n <= 10_000 else { throw TemplateFunctionFailure(message: "strings.Repeat: count \(n) out of range") }
            return text(String(repeating: string(1), count: n))
        case .convToString: try args.expect(1); return text(string(0))
        case .convToInt, .convToInt64: try args.expect(1); return .value(.int(Int(try number(0))))
        case .convToFloat64: try args.expect(1); return .value(.double(try number(0)))
        case .convToBool:
            try args.expect(1)
            switch args.value(0).untaggedForTemplate {
            case .bool(let b): return .value(.bool(b))
            case .int(let n): return .value(.bool(n == 1))
            case .string(let s): return .value(.bool(["1", "t", "true", "yes"].contains(s.lowercased())))
            default: return .value(.bool(false))
            }
        case .convDefault:
            try args.expect(2)
            return args.values[1].isTrue ? args.values[1] : args.values[0]
        case .convJoin:
            try args.expect(2)
            guard case .list(let items) = args.value(0).untaggedForTemplate else {
                throw TemplateFunctionFailure(message: "conv.Join: expected a list, got \(args.values[0].goTypeName)")
            }
            return text(items.map(Self.stringValue).joined(separator: string(1)))
        case .mathAdd, .mathMul:
            try args.expect(atLeast: 1)
            let ns = try (0..<args.count).map(number)
            return numeric(self == .mathAdd ? ns.reduce(0, +) : ns.reduce(1, *))
        case .mathSub: try args.expect(2); return numeric(try number(0) - number(1))
        case .mathDiv:
            try args.expect(2)
            let d = try number(1)
            guard d != 0 else { throw TemplateFunctionFailure(message: "math.Div: division by 0") }
            return .value(.double(try number(0) / d))
        case .mathMax, .mathMin:
            try args.expect(atLeast: 1)
            let ns = try (0..<args.count).map(number)
            return numeric(self == .mathMax ? ns.max()! : ns.min()!)
        case .mathFloor: try args.expect(1); return .value(.double(try number(0).rounded(.down)))
        case .mathCeil: try args.expect(1); return .value(.double(try number(0).rounded(.up)))
        case .mathRound: try args.expect(1); return .value(.double(try number(0).rounded(.toNearestOrAwayFromZero)))
        case .envGetenv:
            try args.expect(atLeast: 1)
            let v = context.options.environment[string(0)] ?? ""
            return text(v.isEmpty && args.count > 1 ? string(1) : v)
        case .dataJSON:
            try args.expect(1)
            guard let v = GoJSON.decode(string(0)) else { throw TemplateFunctionFailure(message: "data.JSON: the input is not valid JSON") }
            return .value(v)
        case .dataYAML:
            try args.expect(1)
            do { return .value(try YAMLParser.parse(string(0)).value) } catch {
                throw TemplateFunctionFailure(message: "data.YAML: the input is not valid YAML: \(error)")
            }
        case .dataToJSON: try args.expect(1); return text(GoJSON.encode(args.value(0), pretty: false))
        case .dataToYAML: try args.expect(1); return text(TemplateYAMLWriter.write(args.value(0)))
        case .fileRead, .fileExists:
            try args.expect(1)
            let path = Paths.join(context.options.baseDirectory, string(0))
            let fs = LocalFileSystem()
            guard LocalFileSystem.isInside(path, context.options.baseDirectory) else {
                throw TemplateFunctionFailure(message: "\(name): \(UserText.quoted(string(0))) is outside the repository")
            }
            if self == .fileExists { return .value(.bool(fs.exists(path))) }
            guard let bytes = try? fs.read(path) else { throw TemplateFunctionFailure(message: "file.Read: cannot read \(UserText.quoted(string(0)))") }
            return text(String(decoding: bytes, as: UTF8.self))
        default:
            throw TemplateFunctionFailure(message: "function \"\(name)\" is not supported by kit's template engine")
        }
    }
}
