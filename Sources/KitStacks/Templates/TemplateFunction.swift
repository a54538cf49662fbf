import Foundation
import KitModel

/// Every function kit's template engine knows: Go's builtins and the Sprig subset atmos users need.
/// Names not listed here are rejected at parse time.
package enum TemplateFunction: String, Sendable, CaseIterable {
    // Go builtins.
    case and, or, not, eq, ne, lt, le, gt, ge, len, index, slice, print, printf, println, html, js, urlquery
    // Sprig: defaults and flow.
    case `default`, empty, coalesce, ternary, required, fail
    // Sprig: strings.
    case upper, lower, title, trim, trimAll, trimPrefix, trimSuffix, replace, contains, hasPrefix, hasSuffix
    case split, splitList, join, quote, squote, cat, nindent, indent, trunc, `repeat`, toString
    // Sprig: lists and dicts.
    case list, dict, get, set, unset, hasKey, keys, values, sortAlpha, uniq, first, last, append, concat
    // Sprig: encodings.
    case toJson, toPrettyJson, toYaml, fromJson, b64enc, b64dec, sha256sum
    // Sprig: math and conversions.
    case add, add1, sub, mul, div, mod, max, min, int, int64, float64, atoi
    // Sprig: regular expressions, environment, time.
    case regexMatch, regexReplaceAll, regexFind, env, expandenv, now, date
    // Sprig: the rest of v3 (TemplateSprig*.swift).
    case hello
    case ago, dateInZone, date_in_zone, dateModify, date_modify, mustDateModify, must_date_modify, duration, durationRound
    case htmlDate, htmlDateInZone, mustToDate, toDate, unixEpoch
    case abbrev, abbrevboth, untitle, substr, trimall, nospace, initials, swapcase, shuffle, snakecase, camelcase, kebabcase
    case wrap, wrapWith, plural, sha1sum, adler32sum, splitn, toStrings
    case randAlphaNum, randAlpha, randAscii, randNumeric, randInt, randBytes, uuidv4
    case seq, toDecimal, until, untilStep, add1f, addf, subf, divf, mulf, biggest, maxf, minf, ceil, floor, round
    case all, any, compact, mustCompact, toRawJson, mustFromJson, mustToJson, mustToPrettyJson, mustToRawJson
    case deepCopy, mustDeepCopy, typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual
    case base, dir, clean, ext, isAbs, osBase, osClean, osDir, osExt, osIsAbs, b32enc, b32dec
    case tuple, pluck, pick, omit, merge, mergeOverwrite, mustMerge, mustMergeOverwrite
    case push, mustAppend, mustPush, prepend, mustPrepend, mustFirst, rest, mustRest, mustLast, initial, mustInitial
    case reverse, mustReverse, mustUniq, without, mustWithout, has, mustHas, mustSlice, dig, chunk, mustChunk
    case semver, semverCompare, urlParse, urlJoin
    case mustRegexMatch, regexFindAll, mustRegexFindAll, mustRegexFind, mustRegexReplaceAll
    case regexReplaceAllLiteral, mustRegexReplaceAllLiteral, regexSplit, mustRegexSplit, regexQuoteMeta
    // Gomplate namespaces (only with templates.settings.gomplate.enabled).
    case stringsToUpper = "strings.ToUpper", stringsToLower = "strings.ToLower", stringsTitle = "strings.Title"
    case stringsTrimSpace = "strings.TrimSpace", stringsTrim = "strings.Trim", stringsTrimPrefix = "strings.TrimPrefix"
    case stringsTrimSuffix = "strings.TrimSuffix", stringsReplaceAll = "strings.ReplaceAll", stringsContains = "strings.Contains"
    case stringsHasPrefix = "strings.HasPrefix", stringsHasSuffix = "strings.HasSuffix", stringsSplit = "strings.Split"
    case stringsQuote = "strings.Quote", stringsRepeat = "strings.Repeat"
    case convToString = "conv.ToString", convToInt = "conv.ToInt", convToInt64 = "conv.ToInt64", convToFloat64 = "conv.ToFloat64"
    case convToBool = "conv.ToBool", convDefault = "conv.Default", convJoin = "conv.Join"
    case mathAdd = "math.Add", mathSub = "math.Sub", mathMul = "math.Mul", mathDiv = "math.Div", mathMax = "math.Max"
    case mathMin = "math.Min", mathFloor = "math.Floor", mathCeil = "math.Ceil", mathRound = "math.Round"
    case envGetenv = "env.Getenv"
    case dataJSON = "data.JSON", dataYAML = "data.YAML", dataToJSON = "data.ToJSON", dataToYAML = "data.ToYAML"
    case fileRead = "file.Read", fileExists = "file.Exists"
    // Gomplate datasources (local files only; see TemplateDatasources).
    case datasource, ds, datasourceExists
    // atmos (component templates only; see TemplateAtmosComponent.swift).
    case atmosComponent = "atmos.Component"

    /// True for the Gomplate namespace functions.
    var isGomplate: Bool { (rawValue.contains(".") && !rawValue.hasPrefix("atmos.")) || isGomplateDatasource }

    /// Functions kit has that neither Sprig nor Go has (kept for existing stacks; atmos rejects them).
    var isKitExtension: Bool { self == .required || self == .toYaml }

    /// Looks a function up by its template name.
    init?(name: String) { self.init(rawValue: name) }

    /// The function's template name.
    package var name: String { rawValue }
}

/// A function call that failed; the renderer adds the position and `at <…>`.
struct TemplateFunctionFailure: Error {
    let message: String
}

/// What a function may read besides its arguments.
struct TemplateFunctionContext {
    let options: TemplateOptions
}

/// A function's evaluated arguments, with Go-style type checks.
struct TemplateArguments {
    let function: TemplateFunction
    let values: [TemplateValue]

    var count: Int { values.count }

    /// Fails unless there are exactly `n` arguments.
    func expect(_ n: Int) throws {
        if values.count != n {
            throw TemplateFunctionFailure(message: "wrong number of args for \(function.name): want \(n) got \(values.count)")
        }
    }

    /// Fails unless there are at least `n` arguments.
    func expect(atLeast n: Int) throws {
        if values.count < n {
            throw TemplateFunctionFailure(message: "wrong number of args for \(function.name): want at least \(n) got \(values.count)")
        }
    }

    /// Argument `i` as a plain value ("no value" is null).
    func value(_ i: Int) -> Value { values[i].asValue }

    /// Argument `i`, which must be a string (Go checks the parameter type).
    func string(_ i: Int) throws -> String {
        if case .value(let v) = values[i], case .string(let s) = v.untaggedForTemplate { return s }
        throw wrongType(i, expected: "string")
    }

    /// Argument `i`, which must be an int.
    func int(_ i: Int) throws -> Int {
        if case .value(let v) = values[i], case .int(let n) = v.untaggedForTemplate { return n }
        throw wrongType(i, expected: "int")
    }

    /// Argument `i`, which must be a bool.
    func bool(_ i: Int) throws -> Bool {
        if case .value(let v) = values[i], case .bool(let b) = v.untaggedForTemplate { return b }
        throw wrongType(i, expected: "bool")
    }

    /// Argument `i`, which must be a map.
    func map(_ i: Int) throws -> [String: Value] {
        if case .value(let v) = values[i], case .map(let m) = v.untaggedForTemplate { return m }
        throw wrongType(i, expected: "map[string]interface {}")
    }

    private func wrongType(_ i: Int, expected: String) -> TemplateFunctionFailure {
        if case .missing = values[i] {
            return TemplateFunctionFailure(message: "invalid value; expected \(expected)")
        }
        return TemplateFunctionFailure(message: "wrong type for value; expected \(expected); got \(values[i].goTypeName)")
    }
}

extension TemplateFunction {
    /// Calls the function (all but `and`/`or`, which the renderer short-circuits).
    func call(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue {
        if let refusal = untrustedRefusal(context.options.trust) { throw refusal }
        switch self {
        case .and, .or, .not, .eq, .ne, .lt, .le, .gt, .ge, .len, .index, .slice,
             .print, .printf, .println, .html, .js, .urlquery:
            return try callBuiltin(args)
        case .default, .empty, .coalesce, .ternary, .required, .fail:
            return try callFlow(args)
        case .upper, .lower, .title, .trim, .trimAll, .trimPrefix, .trimSuffix, .replace, .contains,
             .hasPrefix, .hasSuffix, .split, .splitList, .join, .quote, .squote, .cat, .nindent, .indent,
             .trunc, .repeat, .toString:
            return try callString(args)
        case .list, .dict, .get, .set, .unset, .hasKey, .keys, .values, .sortAlpha, .uniq, .first, .last,
             .append, .concat:
            return try callCollection(args)
        case .toJson, .toPrettyJson, .toYaml, .fromJson, .b64enc, .b64dec, .sha256sum:
            return try callEncoding(args)
        case .add, .add1, .sub, .mul, .div, .mod, .max, .min, .int, .int64, .float64, .atoi:
            return try callMath(args)
        case .regexMatch, .regexReplaceAll, .regexFind, .env, .expandenv, .now, .date:
            return try callSystem(args, context: context)
        case .atmosComponent:
            return try callAtmosComponent(args, context: context)
        default:
            if let result = try callSprig(args, context: context) { return result }
            return try callGomplate(args, context: context)
        }
    }

    /// Sprig `strval`: strings as is, everything else as Go `%v`.
    static func stringValue(_ v: Value) -> String { GoFormat.print(v) }
}
