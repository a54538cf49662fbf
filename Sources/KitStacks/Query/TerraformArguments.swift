import KitModel
/// Splits the arguments of `!terraform.output` / `!terraform.state` the way atmos does: on spaces,
/// except inside quotes.
///
/// An argument wrapped in `"…"` or `'…'` may contain spaces; inside it, a doubled quote (`""` or
/// `''`) stands for one quote character. A bare argument ends at the next space, but quotes inside
/// it (`.tags["Cost Center"]`) are kept as written and protect the spaces between them.
enum TerraformArguments {
    /// A problem, with the 0-based scalar offset into the arguments.
    enum Failure: Error, Equatable {
        case unterminatedQuote(offset: Int, quote: Unicode.Scalar)
        case textAfterQuote(offset: Int)
    }

    /// The arguments, in order.
    static func split(_ arguments: String) throws -> [String] { try tokens(arguments).map(\.value) }

    /// The arguments with the scalar offset each starts at (its opening quote, when quoted).
    static func tokens(_ arguments: String) throws -> [(value: String, start: Int)] {
        let s = Array(arguments.unicodeScalars)
        var i = 0
        var result: [(value: String, start: Int)] = []
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        while true {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count else { return result }
            var arg = String.UnicodeScalarView()
            let start = i
            if s[i] == "\"" || s[i] == "'" {
                let quote = s[i], open = i
                i += 1
                while true {
                    guard i < s.count else { throw Failure.unterminatedQuote(offset: open, quote: quote) }
                    if s[i] == quote {
                        if i + 1 < s.count, s[i + 1] == quote {
                            arg.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    arg.append(s[i])
                    i += 1
                }
                if i < s.count, !isSpace(s[i]) { throw Failure.textAfterQuote(offset: i) }
            } else {
                while i < s.count, !isSpace(s[i]) {
                    let c = s[i]
                    arg.append(c)
                    i += 1
                    guard c == "\"" || c == "'" else { continue }
                    let open = i - 1
                    while true {
                        guard i < s.count else { throw Failure.unterminatedQuote(offset: open, quote: c) }
                        arg.append(s[i])
                        i += 1
                        if s[i - 1] == c { break }
                        if s[i - 1] == "\\", i < s.count {
                            arg.append(s[i])
                            i += 1
                        }
                    }
                }
            }
            result.append((String(arg), start))
        }
    }
}
