import Foundation
import KitPluginSDK
import KitModel

/// A Go value with methods that Sprig returns (`*semver.Version`): printed with its `String()`,
/// its zero-argument methods read like fields (`(semver "1.2.3").Major`).
protocol TemplateObject: Sendable {
    /// Go's `%T`.
    var goTypeName: String { get }
    /// Go's `%v` (the `String()` method).
    var printed: String { get }
    /// A field or zero-argument method; nil when Go has none by that name.
    func field(_ name: String) -> TemplateValue?
}

/// Sprig's functions outside strings, lists, math and dates: paths, encodings, hashes,
/// reflection, regular expressions, semver, URLs, UUIDs and random strings.
extension TemplateFunction {
    /// Dispatches every Sprig function added beside the original subset; nil for other functions.
    func callSprig(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue? {
        if let v = try callSprigString(args) { return v }
        if let v = try callSprigCollection(args) { return v }
        if let v = try callSprigMath(args) { return v }
        if let v = try callSprigDate(args, context: context) { return v }
        return try callSprigMisc(args)
    }

    func callSprigMisc(_ args: TemplateArguments) throws -> TemplateValue? {
        func text(_ s: String) -> TemplateValue { .value(.string(s)) }
        func bool(_ b: Bool) -> TemplateValue { .value(.bool(b)) }
        switch self {
        case .base, .osBase: try args.expect(1); return text(GoPath.base(try args.string(0)))
        case .dir, .osDir: try args.expect(1); return text(GoPath.dir(try args.string(0)))
        case .clean, .osClean: try args.expect(1); return text(GoPath.clean(try args.string(0)))
        case .ext, .osExt: try args.expect(1); return text(GoPath.ext(try args.string(0)))
        case .isAbs, .osIsAbs: try args.expect(1); return bool(try args.string(0).hasPrefix("/"))
        case .b32enc: try args.expect(1); return text(Base32.encode(Array(try args.string(0).utf8)))
        case .b32dec:
            try args.expect(1)
            switch Base32.decode(try args.string(0)) {
            case .success(let bytes): return text(String(decoding: bytes, as: UTF8.self))
            case .failure(let at): return text("illegal base32 data at input byte \(at.offset)")
            }
        case .sha1sum: try args.expect(1); return text(SHA1.hexDigest(of: Array(try args.string(0).utf8)))
        case .adler32sum:
            try args.expect(1)
            var a: UInt32 = 1, b: UInt32 = 0
            for byte in try args.string(0).utf8 { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
            return text(String((b << 16) | a))
        case .all: return bool(args.values.allSatisfy { $0.isTrue })
        case .any: return bool(args.values.contains { $0.isTrue })
        case .toRawJson, .mustToRawJson:
            try args.expect(1)
            return text(GoJSON.encode(args.value(0), pretty: false, escapeHTML: false))
        case .mustToJson: try args.expect(1); return text(GoJSON.encode(args.value(0), pretty: false))
        case .mustToPrettyJson: try args.expect(1); return text(GoJSON.encode(args.value(0), pretty: true))
        case .mustFromJson:
            try args.expect(1)
            guard let v = GoJSON.decode(try args.string(0)) else {
                throw TemplateFunctionFailure(message: "error calling mustFromJson: the text is not valid JSON")
            }
            return .value(v)
        case .typeOf: try args.expect(1); return text(GoTyped.typeName(args.values[0]))
        case .typeIs: try args.expect(2); return bool(try args.string(0) == GoTyped.typeName(args.values[1]))
        case .typeIsLike:
            try args.expect(2)
            let t = GoTyped.typeName(args.values[1])
            return bool(try args.string(0) == t || "*" + (try args.string(0)) == t)
        case .kindOf: try args.expect(1); return text(GoTyped.kind(ofType: GoTyped.typeName(args.values[0])))
        case .kindIs: try args.expect(2); return bool(try args.string(0) == GoTyped.kind(ofType: GoTyped.typeName(args.values[1])))
        case .deepEqual:
            try args.expect(2)
            return bool(GoTyped.typeName(args.values[0]) == GoTyped.typeName(args.values[1]) && args.values[0].rawValue == args.values[1].rawValue)
        case .uuidv4: try args.expect(0); return text(UUID().uuidString.lowercased())
        case .randAlphaNum, .randAlpha, .randAscii, .randNumeric:
            try args.expect(1)
            let count = try args.int(0)
            guard count >= 0 else { throw TemplateFunctionFailure(message: "error calling \(name): count must be non-negative") }
            let alphabet: [Character]
            switch self {
            case .randAlphaNum: alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            case .randAlpha: alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            case .randNumeric: alphabet = Array("0123456789")
            default: alphabet = (32...126).map { Character(UnicodeScalar($0)!) }
            }
            var generator = SystemRandomNumberGenerator()
            return text(String((0..<count).map { _ in alphabet.randomElement(using: &generator)! }))
        case .randBytes:
            try args.expect(1)
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<Swift.max(try args.int(0), 0)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return text(Data(bytes).base64EncodedString())
        case .semver:
            try args.expect(1)
            guard let v = SemanticVersion(try args.string(0)) else {
                throw TemplateFunctionFailure(message: "error calling semver: Invalid Semantic Version")
            }
            return .object(v)
        case .semverCompare:
            try args.expect(2)
            guard let v = SemanticVersion(try args.string(1)) else {
                throw TemplateFunctionFailure(message: "error calling semverCompare: Invalid Semantic Version")
            }
            guard let ok = SemanticVersion.check(try args.string(0), v) else {
                throw TemplateFunctionFailure(message: "error calling semverCompare: improper constraint: \(try args.string(0))")
            }
            return bool(ok)
        case .urlParse: try args.expect(1); return .value(.map(try GoURL.parse(try args.string(0))))
        case .urlJoin: try args.expect(1); return text(try GoURL.join(try args.map(0)))
        case .regexFindAll, .mustRegexFindAll:
            try args.expect(3)
            let (regex, s, n) = (try compile(try args.string(0)), try args.string(1), try args.int(2))
            var found: [String] = []
            for m in GoRegex.matches(regex, s, limit: n) { found.append(String(s[m])) }
            return GoTyped.strings(found)
        case .mustRegexFind:
            return try TemplateFunction.regexFind.callSystem(TemplateArguments(function: .regexFind, values: args.values),
                                                             context: .init(options: .init()))
        case .mustRegexMatch:
            try args.expect(2)
            let regex = try compile(try args.string(0))
            let s = try args.string(1)
            return bool(regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil)
        case .mustRegexReplaceAll:
            return try TemplateFunction.regexReplaceAll.callSystem(TemplateArguments(function: .regexReplaceAll, values: args.values),
                                                                   context: .init(options: .init()))
        case .regexReplaceAllLiteral, .mustRegexReplaceAllLiteral:
            try args.expect(3)
            let regex = try compile(try args.string(0))
            let s = try args.string(1)
            return text(regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s),
                                                       withTemplate: NSRegularExpression.escapedTemplate(for: try args.string(2))))
        case .regexSplit, .mustRegexSplit:
            try args.expect(3)
            let (regex, s, n) = (try compile(try args.string(0)), try args.string(1), try args.int(2))
            return GoTyped.strings(GoRegex.split(regex, pattern: try args.string(0), s, n))
        case .regexQuoteMeta:
            try args.expect(1)
            var out = ""
            for c in try args.string(0) {
                if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
                out.append(c)
            }
            return text(out)
        default:
            return nil
        }
    }
}

/// Go's `regexp` match iteration and `Split` over NSRegularExpression.
enum GoRegex {
    /// Non-overlapping matches, at most `limit` (all when negative); an empty match right after a
    /// previous match is skipped, as Go does.
    static func matches(_ regex: NSRegularExpression, _ s: String, limit: Int) -> [Range<String.Index>] {
        if limit == 0 { return [] }
        var out: [Range<String.Index>] = []
        var previousEnd: String.Index? = nil
        for m in regex.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let r = Range(m.range, in: s) else { continue }
            if r.isEmpty, let previousEnd, r.lowerBound == previousEnd { continue }
            out.append(r)
            previousEnd = r.upperBound
            if limit > 0 && out.count == limit { break }
        }
        return out
    }

    static func split(_ regex: NSRegularExpression, pattern: String, _ s: String, _ n: Int) -> [String] {
        if n == 0 { return [] }
        if !pattern.isEmpty && s.isEmpty { return [""] }
        var parts: [String] = []
        var begin = s.startIndex, end = s.startIndex
        for m in matches(regex, s, limit: n) {
            if n > 0 && parts.count == n - 1 { break }
            end = m.lowerBound
            if m.upperBound != s.startIndex { parts.append(String(s[begin..<end])) }
            begin = m.upperBound
        }
        if end != s.endIndex { parts.append(String(s[begin...])) }
        return parts
    }
}

/// Go's `path` package (slash-separated paths).
enum GoPath {
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(part) }
                continue
            }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return "/" }
        if let slash = p.lastIndex(of: "/") { p = p[p.index(after: slash)...] }
        return p.isEmpty ? "/" : String(p)
    }

    static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }

    static func ext(_ path: String) -> String {
        for i in path.indices.reversed() {
            if path[i] == "/" { return "" }
            if path[i] == "." { return String(path[i...]) }
        }
        return ""
    }
}

/// Base32 (RFC 4648, with padding), as Go's `base32.StdEncoding`.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<Swift.min(i + 5, bytes.count)])
            var buffer: UInt64 = 0
            for k in 0..<5 { buffer = buffer << 8 | UInt64(k < chunk.count ? chunk[k] : 0) }
            let produced = [0, 2, 4, 5, 7, 8][chunk.count]
            for k in 0..<8 {
                out.append(k < produced ? alphabet[Int((buffer >> UInt64(35 - 5 * k)) & 31)] : UInt8(ascii: "="))
            }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct BadByte: Error { let offset: Int }

    static func decode(_ text: String) -> Result<[UInt8], BadByte> {
        let bytes = Array(text.utf8)
        guard bytes.count % 8 == 0 else {
            let good = bytes.count - bytes.count % 8
            for (i, b) in bytes.enumerated() where b != UInt8(ascii: "=") && alphabet.firstIndex(of: b) == nil { return .failure(BadByte(offset: i)) }
            return .failure(BadByte(offset: good))
        }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            var buffer: UInt64 = 0
            var symbols = 0
            for k in 0..<8 {
                let b = bytes[i + k]
                if b == UInt8(ascii: "=") { buffer <<= 5; continue }
                guard let v = alphabet.firstIndex(of: b), symbols == k else { return .failure(BadByte(offset: i + k)) }
                buffer = buffer << 5 | UInt64(v)
                symbols += 1
            }
            let count = [0, 0, 1, 1, 2, 3, 3, 4, 5][symbols]
            for k in 0..<count { out.append(UInt8((buffer >> UInt64(32 - 8 * k)) & 0xFF)) }
            i += 8
        }
        return .success(out)
    }
}

/// SHA-1 (FIPS 180-4), for Sprig's `sha1sum`; checked against Go's `crypto/sha1` by the oracle test.
enum SHA1 {
    static func hexDigest(of message: [UInt8]) -> String {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var data = message
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        let bits = UInt64(message.count) * 8
        for k in (0..<8).reversed() { data.append(UInt8((bits >> UInt64(8 * k)) & 0xFF)) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for t in 0..<16 {
                w[t] = (0..<4).reduce(0) { $0 << 8 | UInt32(data[chunk + 4 * t + $1]) }
            }
            for t in 16..<80 {
                let x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
                w[t] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0..<80 {
                let f: UInt32, k: UInt32
                switch t {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A827999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC
                default: f = b ^ c ^ d; k = 0xCA62C1D6
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return h.map { String(format: "%08x", $0) }.joined()
    }
}

/// Go's `net/url` as Sprig's `urlParse`/`urlJoin` use it (the common shapes: scheme://user@host/path?query#fragment).
enum GoURL {
    static func parse(_ s: String) throws -> [String: Value] {
        var rest = Substring(s)
        var dict: [String: String] = ["scheme": "", "host": "", "hostname": "", "path": "", "query": "",
                                      "opaque": "", "fragment": "", "userinfo": ""]
        if let hash = rest.firstIndex(of: "#") { dict["fragment"] = String(rest[rest.index(after: hash)...]); rest = rest[..<hash] }
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter,
           rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
            dict["scheme"] = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        if let q = rest.firstIndex(of: "?") { dict["query"] = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
        if !dict["scheme"]!.isEmpty, !rest.hasPrefix("/") {
            dict["opaque"] = String(rest)
            return dict.mapValues(Value.string)
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                dict["userinfo"] = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            dict["host"] = String(authority)
            var hostname = authority
            if hostname.hasPrefix("["), let close = hostname.firstIndex(of: "]") {
                hostname = hostname[hostname.index(after: hostname.startIndex)..<close]
            } else if let colon = hostname.lastIndex(of: ":") {
                hostname = hostname[..<colon]
            }
            dict["hostname"] = String(hostname)
        }
        dict["path"] = String(rest).removingPercentEncoding ?? String(rest)
        return dict.mapValues(Value.string)
    }

    static func join(_ d: [String: Value]) throws -> String {
        func part(_ key: String) throws -> String {
            guard let v = d[key] else { return "" }
            guard case .string(let s) = v.untaggedForTemplate else {
                throw TemplateFunctionFailure(message: "error calling urlJoin: unable to parse \(key) key, must be of type string, but \(GoTyped.kind(ofType: v.goTypeName)) found")
            }
            return s
        }
        var out = ""
        let scheme = try part("scheme"), opaque = try part("opaque"), host = try part("host"), user = try part("userinfo")
        let path = try part("path"), query = try part("query"), fragment = try part("fragment")
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || !user.isEmpty {
                if !host.isEmpty || !path.isEmpty || !user.isEmpty { out += "//" }
                if !user.isEmpty { out += user + "@" }
                out += host
            }
            if !path.isEmpty && !path.hasPrefix("/") && !host.isEmpty { out += "/" }
            out += path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        }
        if !query.isEmpty { out += "?" + query }
        if !fragment.isEmpty { out += "#" + (fragment.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) ?? fragment) }
        return out
    }
}
