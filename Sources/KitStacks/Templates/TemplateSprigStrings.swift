import Foundation
import KitModel

/// Sprig's remaining string functions, ported from Sprig 3.2.3, goutils and xstrings so that the
/// output is Go's byte for byte (checked by the template oracle test).
extension TemplateFunction {
    func callSprigString(_ args: TemplateArguments) throws -> TemplateValue? {
        func text(_ s: String) -> TemplateValue { .value(.string(s)) }
        switch self {
        case .hello: try args.expect(0); return text("Hello!")
        case .abbrev:
            try args.expect(2)
            let (width, s) = (try args.int(0), try args.string(1))
            return text(width < 4 ? s : Self.abbreviate(s, offset: 0, width: width))
        case .abbrevboth:
            try args.expect(3)
            let (left, right, s) = (try args.int(0), try args.int(1), try args.string(2))
            if right < 4 || (left > 0 && right < 7) { return text(s) }
            return text(Self.abbreviate(s, offset: left, width: right))
        case .untitle:
            try args.expect(1)
            var out = ""
            var next = true
            for scalar in try args.string(0).unicodeScalars {
                if scalar.properties.isWhitespace { next = true; out.unicodeScalars.append(scalar) }
                else if next { out += String(scalar).lowercased(); next = false }
                else { out.unicodeScalars.append(scalar) }
            }
            return text(out)
        case .substr:
            try args.expect(3)
            let (start, end, s) = (try args.int(0), try args.int(1), try args.string(2))
            let bytes = Array(s.utf8)
            let range: Range<Int>
            if start < 0 { range = 0..<end }
            else if end < 0 || end > bytes.count { range = start..<bytes.count }
            else { range = start..<end }
            guard range.lowerBound >= 0, range.upperBound <= bytes.count, range.lowerBound <= range.upperBound else {
                throw TemplateFunctionFailure(message: "error calling substr: runtime error: slice bounds out of range")
            }
            return text(String(decoding: bytes[range], as: UTF8.self))
        case .trimall:
            return try TemplateFunction.trimAll.callString(TemplateArguments(function: .trimAll, values: args.values))
        case .nospace:
            try args.expect(1)
            // goutils.DeleteWhiteSpace looks at single bytes.
            let bytes = Array(try args.string(0).utf8).filter { ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0].contains($0) }
            return text(String(decoding: bytes, as: UTF8.self))
        case .initials:
            try args.expect(1)
            var out: [UInt8] = []
            var gap = true
            for b in try args.string(0).utf8 {
                if [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0].contains(b) { gap = true }
                else if gap { out.append(b); gap = false }
            }
            return text(String(decoding: out, as: UTF8.self))
        case .swapcase:
            try args.expect(1)
            var out = ""
            var whitespace = true
            for scalar in try args.string(0).unicodeScalars {
                let p = scalar.properties
                if p.isUppercase || p.generalCategory == .titlecaseLetter { out += p.lowercaseMapping; whitespace = false }
                else if p.isLowercase {
                    out += whitespace ? p.titlecaseMapping : p.uppercaseMapping
                    whitespace = false
                } else {
                    out.unicodeScalars.append(scalar)
                    whitespace = p.isWhitespace
                }
            }
            return text(out)
        case .shuffle:
            try args.expect(1)
            return text(String(String.UnicodeScalarView(Array(try args.string(0).unicodeScalars).shuffled())))
        case .snakecase: try args.expect(1); return text(XStrings.lowerCased(try args.string(0), connector: "_"))
        case .kebabcase: try args.expect(1); return text(XStrings.lowerCased(try args.string(0), connector: "-"))
        case .camelcase: try args.expect(1); return text(XStrings.camelCase(try args.string(0)))
        case .wrap:
            try args.expect(2)
            return text(Self.wrap(try args.string(1), width: try args.int(0), newline: "\n", longWords: false))
        case .wrapWith:
            try args.expect(3)
            return text(Self.wrap(try args.string(2), width: try args.int(0), newline: try args.string(1), longWords: true))
        case .plural:
            try args.expect(3)
            return text(try args.int(2) == 1 ? try args.string(0) : try args.string(1))
        case .splitn:
            try args.expect(3)
            let (separator, n, s) = (try args.string(0), try args.int(1), try args.string(2))
            var dict: [String: Value] = [:]
            for (i, part) in Self.goSplitN(s, separator: separator, n: n).enumerated() { dict["_\(i)"] = .string(part) }
            return GoTyped.value(.map(dict), type: "map[string]string")
        case .toStrings:
            try args.expect(1)
            return GoTyped.strings(Self.stringSlice(args.value(0)))
        default:
            return nil
        }
    }

    /// goutils.AbbreviateFull (byte offsets, as Go slices strings).
    static func abbreviate(_ s: String, offset: Int, width: Int) -> String {
        let bytes = Array(s.utf8)
        if bytes.isEmpty || bytes.count <= width { return s }
        func str(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
        var offset = Swift.min(offset, bytes.count)
        if bytes.count - offset < width - 3 { offset = bytes.count - (width - 3) }
        if offset <= 4 { return str(0..<(width - 3)) + "..." }
        if width < 7 { return "" }
        if offset + width - 3 < bytes.count {
            return "..." + abbreviate(str(offset..<bytes.count), offset: 0, width: width - 3)
        }
        return "..." + str((bytes.count - (width - 3))..<bytes.count)
    }

    /// goutils.WrapCustom (byte offsets).
    static func wrap(_ s: String, width: Int, newline: String, longWords: Bool) -> String {
        let bytes = Array(s.utf8)
        if bytes.isEmpty { return "" }
        let newline = Array((newline.isEmpty ? "\n" : newline).utf8)
        let width = Swift.max(width, 1)
        var offset = 0
        var out: [UInt8] = []
        let space = UInt8(ascii: " ")
        while bytes.count - offset > width {
            if bytes[offset] == space { offset += 1; continue }
            let end = Swift.min(width + offset + 1, bytes.count)
            if let at = bytes[offset..<end].lastIndex(of: space), at >= offset {
                out += bytes[offset..<at] + newline
                offset = at + 1
            } else if longWords {
                out += bytes[offset..<(offset + width)] + newline
                offset += width
            } else if let at = bytes[(width + offset)...].firstIndex(of: space) {
                out += bytes[offset..<at] + newline
                offset = at + 1
            } else {
                out += bytes[offset...]
                offset = bytes.count
            }
        }
        out += bytes[offset...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `strings.SplitN`.
    static func goSplitN(_ s: String, separator: String, n: Int) -> [String] {
        if n == 0 { return [] }
        let parts = goSplit(s, separator: separator)
        if n < 0 || parts.count <= n { return parts }
        if separator.isEmpty {
            return Array(parts[..<(n - 1)]) + [parts[(n - 1)...].joined()]
        }
        return Array(parts[..<(n - 1)]) + [parts[(n - 1)...].joined(separator: separator)]
    }
}

/// huandu/xstrings' `ToSnakeCase`/`ToKebabCase`/`ToCamelCase`, ported rune for rune.
enum XStrings {
    enum Word { case invalid, number, upper, alphabet, connector, punct, other }

    static func isConnector(_ r: Unicode.Scalar) -> Bool { r == "-" || r == "_" || r.properties.isWhitespace }
    static func isUpper(_ r: Unicode.Scalar) -> Bool { r.properties.isUppercase && r.properties.generalCategory == .uppercaseLetter }
    static func isLetter(_ r: Unicode.Scalar) -> Bool {
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }
    static func isNumber(_ r: Unicode.Scalar) -> Bool {
        switch r.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
    static func isPunct(_ r: Unicode.Scalar) -> Bool {
        switch r.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }
    static func isAlphabet(_ r: Unicode.Scalar) -> Bool {
        guard isLetter(r) else { return false }
        let v = r.value
        if v < 0x2E80 { return true }
        if (0x4E00...0x9FCC).contains(v) || (0x3400...0x4D85).contains(v) || (0x20000...0x2B81D).contains(v) { return false }
        return true
    }

    /// xstrings.nextWord over scalars: the word's type, the word and what remains.
    static func nextWord(_ s: ArraySlice<Unicode.Scalar>) -> (Word, ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>) {
        guard let r = s.first else { return (.invalid, [], []) }
        let start = s.startIndex
        var i = start + 1
        var wt: Word
        if isConnector(r) {
            wt = .connector
            while i < s.endIndex, isConnector(s[i]) { i += 1 }
        } else if isPunct(r) {
            wt = .punct
            while i < s.endIndex, isPunct(s[i]) { i += 1 }
        } else if isUpper(r) {
            wt = .upper
            if i < s.endIndex {
                if isUpper(s[i]) {
                    i += 1
                    while i < s.endIndex, isUpper(s[i]) { i += 1 }
                    if i < s.endIndex, isAlphabet(s[i]) { i -= 1 }
                } else if isAlphabet(s[i]) {
                    i += 1
                    while i < s.endIndex, isAlphabet(s[i]), !isUpper(s[i]) { i += 1 }
                }
            }
        } else if isAlphabet(r) {
            wt = .alphabet
            while i < s.endIndex, isAlphabet(s[i]), !isUpper(s[i]) { i += 1 }
        } else if isNumber(r) {
            wt = .number
            while i < s.endIndex, isNumber(s[i]) { i += 1 }
        } else {
            wt = .other
            while i < s.endIndex, !(isConnector(s[i]) || isAlphabet(s[i]) || isNumber(s[i]) || isPunct(s[i])) { i += 1 }
        }
        return (wt, s[start..<i], s[i...])
    }

    static func toLower(_ out: inout String, _ wt: Word, _ word: ArraySlice<Unicode.Scalar>, _ connector: Unicode.Scalar) {
        if wt != .upper && wt != .connector { out.unicodeScalars.append(contentsOf: word); return }
        for r in word {
            if isConnector(r) { out.unicodeScalars.append(connector) }
            else if isUpper(r) { out += r.properties.lowercaseMapping }
            else { out.unicodeScalars.append(r) }
        }
    }

    static func lowerCased(_ s: String, connector: Unicode.Scalar) -> String {
        if s.isEmpty { return "" }
        var out = ""
        var (wt, word, remaining) = nextWord(ArraySlice(Array(s.unicodeScalars)))
        while !remaining.isEmpty {
            if wt != .connector { toLower(&out, wt, word, connector) }
            let prev = wt
            let last = word
            (wt, word, remaining) = nextWord(remaining)
            switch prev {
            case .number:
                while wt == .alphabet || wt == .number {
                    toLower(&out, wt, word, connector)
                    (wt, word, remaining) = nextWord(remaining)
                }
                if wt != .invalid && wt != .punct && wt != .connector { out.unicodeScalars.append(connector) }
            case .connector:
                toLower(&out, prev, last, connector)
            case .punct:
                break
            default:
                if wt != .number {
                    if wt != .connector && wt != .punct { out.unicodeScalars.append(connector) }
                    break
                }
                if remaining.isEmpty { break }
                let numberText = word
                (wt, word, remaining) = nextWord(remaining)
                if wt != .alphabet {
                    toLower(&out, .number, numberText, connector)
                    if wt != .connector && wt != .punct { out.unicodeScalars.append(connector) }
                    break
                }
                out.unicodeScalars.append(connector)
                toLower(&out, .number, numberText, connector)
                while wt == .alphabet || wt == .number {
                    toLower(&out, wt, word, connector)
                    (wt, word, remaining) = nextWord(remaining)
                }
                if wt != .invalid && wt != .connector && wt != .punct { out.unicodeScalars.append(connector) }
            }
        }
        toLower(&out, wt, word, connector)
        return out
    }

    static func camelCase(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)[...]
        if scalars.isEmpty { return "" }
        var out = ""
        var r0: Unicode.Scalar = " "
        while let r = scalars.first {
            scalars = scalars.dropFirst()
            r0 = r
            if !isConnector(r) { r0 = single(r.properties.uppercaseMapping, r); break }
            out.unicodeScalars.append(r)
        }
        if scalars.isEmpty {
            out.unicodeScalars.append(r0)   // xstrings writes the last rune again when nothing follows
            return out
        }
        while let next = scalars.first {
            scalars = scalars.dropFirst()
            let r1 = r0
            r0 = next
            if isConnector(r0) && isConnector(r1) { out.unicodeScalars.append(r1); continue }
            if isConnector(r1) {
                r0 = single(r0.properties.uppercaseMapping, r0)
            } else {
                r0 = single(r0.properties.lowercaseMapping, r0)
                out.unicodeScalars.append(r1)
            }
        }
        out.unicodeScalars.append(r0)
        return out
    }

    private static func single(_ mapping: String, _ fallback: Unicode.Scalar) -> Unicode.Scalar {
        mapping.unicodeScalars.count == 1 ? mapping.unicodeScalars.first! : fallback
    }
}
