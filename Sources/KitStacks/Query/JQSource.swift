import KitModel
/// What a query may reach besides its input. Queries are real jq (libjq), whose `env`, `$ENV` and
/// module system read the process environment and files; kit never lets a query read files, and
/// lets the caller decide about the environment.
public enum QueryEnvironmentAccess: Sendable, Equatable, Hashable {
    /// `env` and `$ENV` read kit's process environment, as in the jq CLI.
    case allowed
    /// `env` and `$ENV` are refused when the expression is parsed (untrusted repositories).
    case refused
}

/// Reads a jq program's source before libjq compiles it: kit's compatibility spellings are
/// rewritten to jq, and what kit refuses (modules, `env` when refused) is found with its position.
///
/// Rewrites, none of which changes the meaning of a valid jq 1.6 program (each was a syntax error):
/// - `'…'` single-quoted strings (kit's and yq's) become `"…"` (`\'` is a `'`, `"` is escaped);
/// - `.a.[0]` (jq 1.7's `.[…]` right after a path) becomes `.a[0]`.
/// Rewrites never add or remove a line, so libjq's line numbers hold for the text as written.
struct JQSource {
    /// A name in the program that kit refuses, with its 1-based position.
    struct Refusal: Equatable {
        var name: String
        var line: Int
        var column: Int
    }

    /// The program libjq compiles.
    private(set) var program = ""
    /// Every refused name, in source order.
    private(set) var refusals: [Refusal] = []

    /// Names that reach files (jq's module system).
    static let fileNames: Set<String> = ["import", "include", "module", "modulemeta", "get_search_list"]
    /// Names that read the process environment.
    static let environmentNames: Set<String> = ["env", "$ENV"]

    init(_ text: String, environment: QueryEnvironmentAccess) {
        let s = Array(text.unicodeScalars)
        var refused = Self.fileNames
        if environment == .refused { refused.formUnion(Self.environmentNames) }
        var out = String.UnicodeScalarView()
        // Open brackets in code; "\(" marks a string interpolation, which resumes the string at its ")".
        var brackets: [Unicode.Scalar] = []
        var line = 1, lineStart = 0
        var i = 0
        var inString = false
        func lastSignificant() -> Unicode.Scalar? {
            var j = out.endIndex
            while j > out.startIndex {
                j = out.index(before: j)
                let c = out[j]
                if c != " " && c != "\t" && c != "\n" && c != "\r" { return c }
            }
            return nil
        }
        func nextSignificant(after k: Int) -> Unicode.Scalar? {
            var j = k
            while j < s.count, s[j] == " " || s[j] == "\t" || s[j] == "\n" || s[j] == "\r" { j += 1 }
            return j < s.count ? s[j] : nil
        }
        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1; lineStart = i + 1 }
            if inString {
                out.append(c)
                if c == "\\", i + 1 < s.count {
                    out.append(s[i + 1])
                    if s[i + 1] == "(" { brackets.append("\""); inString = false }
                    i += 2
                    continue
                }
                if c == "\"" { inString = false }
                i += 1
                continue
            }
            switch c {
            case "\"":
                inString = true
                out.append(c)
                i += 1
            case "#":
                while i < s.count, s[i] != "\n" { out.append(s[i]); i += 1 }
            case "(", "[", "{":
                brackets.append(c)
                out.append(c)
                i += 1
            case ")", "]", "}":
                if let open = brackets.popLast(), open == "\"" { inString = true }
                out.append(c)
                i += 1
            case "'":
                // kit's single-quoted string: the same escapes as "…", plus \' for a quote.
                var j = i + 1
                var body = String.UnicodeScalarView()
                var closed = false
                while j < s.count {
                    if s[j] == "'" { closed = true; break }
                    if s[j] == "\n" { break }
                    if s[j] == "\\", j + 1 < s.count {
                        if s[j + 1] == "'" { body.append("'") } else { body.append(s[j]); body.append(s[j + 1]) }
                        j += 2
                        continue
                    }
                    if s[j] == "\"" { body.append("\\") }
                    body.append(s[j])
                    j += 1
                }
                if closed {
                    out.append("\"")
                    out.append(contentsOf: body)
                    out.append("\"")
                    i = j + 1
                } else {
                    out.append(c)  // libjq reports it
                    i += 1
                }
            case ".":
                if i + 1 < s.count, s[i + 1] == "[", let prev = out.last,
                   Self.isWordPart(prev) || prev == "]" || prev == ")" || prev == "\"" || prev == "?" {
                    i += 1  // `.a.[0]` → `.a[0]`
                    continue
                }
                out.append(c)
                i += 1
                // A field name (`.env`) is a key, not a call.
                while i < s.count, Self.isWordPart(s[i]) { out.append(s[i]); i += 1 }
            case "$", _ where Self.isWordStart(c):
                let start = i
                var j = c == "$" ? i + 1 : i
                while j < s.count, Self.isWordPart(s[j]) || (s[j] == ":" && j + 1 < s.count && s[j + 1] == ":") {
                    j += s[j] == ":" ? 2 : 1
                }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: s[start..<j])
                let word = String(name)
                // `{env: 1}` and `{env}` name a key of an object, not the function.
                let isObjectKey = c != "$" && brackets.last == "{" && (lastSignificant() == "{" || lastSignificant() == ",")
                    && [":", ",", "}"].contains(nextSignificant(after: j))
                if refused.contains(word), !isObjectKey {
                    refusals.append(Refusal(name: word, line: line, column: start - lineStart + 1))
                }
                out.append(contentsOf: name)
                i = max(j, i + 1)
            default:
                out.append(c)
                i += 1
            }
        }
        program = String(out)
    }

    static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isWordPart(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || (c >= "0" && c <= "9") }
}
