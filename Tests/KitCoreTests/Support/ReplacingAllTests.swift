import Testing
@testable import KitModel

/// `replacingAll` answers as the character-wise split-and-join it replaces, for every kind of string:
/// the byte path (ASCII without `\r`) and the fallback (`\r\n` is one character; `e` + a combining
/// accent is one character, so neither holds a lone `e` or `\n`).
@Suite struct ReplacingAllTests {
    static func reference(_ s: String, _ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return s }
        return s.split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }

    @Test(arguments: [
        ("a/b/c", "/", "-", "a-b-c"),
        ("//", "/", "-", "--"),
        ("no slash", "/", "-", "no slash"),
        ("{stage}-{stage}", "{stage}", "dev", "dev-dev"),
        ("aaa", "aa", "b", "ba"),
        ("x.planfile", ".planfile", ".reviewed.planfile", "x.reviewed.planfile"),
        ("a\r\nb", "\n", " ", "a\r\nb"),
        ("e\u{301}/e", "e", "E", "e\u{301}/E"),
        ("", "/", "-", ""),
        ("it's", "'", "'\\''", "it'\\''s"),
    ])
    func knownCases(_ s: String, _ target: String, _ replacement: String, _ expected: String) {
        #expect(s.replacingAll(target, with: replacement) == expected)
        #expect(Self.reference(s, target, replacement) == expected)
    }

    @Test func randomStringsAnswerAsTheSplit() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "/", "-", "{", "}", "ab", "\r", "\n", "é", "e\u{301}", "\u{301}", "🙂", " "]
        let targets = ["/", "ab", "{a}", "\n", "e", "b/", "aa"]
        for _ in 0 ..< 3_000 {
            let s = (0 ..< Int.random(in: 0 ... 12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let target = targets.randomElement(using: &generator)!
            let replacement = ["", "-", "XY", "é"].randomElement(using: &generator)!
            #expect(s.replacingAll(target, with: replacement) == Self.reference(s, target, replacement), "\(s.debugDescription) \(target.debugDescription)")
        }
    }
}
