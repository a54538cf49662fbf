import Testing
@testable import KitCore

fileprivate let doc: Value = .map([
    "vars": .map([
        "x": .int(1),
        "name": .string("acme-dev"),
        "ratio": .double(0.5),
        "enabled": .bool(true),
        "off": .bool(false),
        "nothing": .null,
        "zones": .list([.string("a"), .string("b"), .string("c")]),
        "tags": .map(["Cost Center": .string("42"), "team": .string("core")]),
        "appended": .tagged("!append", .list([.int(1)])),
    ]),
    "key with-dash": .string("dash"),
])

/// The value `text` evaluates to over `doc`, or the error's description.
fileprivate enum Outcome: Equatable {
    case value(Value)
    case error(String)
}

fileprivate func run(_ text: String, _ input: Value = doc) -> Outcome {
    do {
        return .value(try QueryExpression.parse(text).evaluate(input))
    } catch {
        return .error("\(error)")
    }
}

@Suite struct QueryExpressionTests {
    @Test(arguments: [
        // paths
        (".", doc),
        (".vars.x", .int(1)),
        (".vars[\"name\"]", .string("acme-dev")),
        (".vars['name']", .string("acme-dev")),
        (".\"key with-dash\"", .string("dash")),
        (".[\"key with-dash\"]", .string("dash")),
        (".vars.tags[\"Cost Center\"]", .string("42")),
        (".vars.zones[0]", .string("a")),
        (".vars.zones[-1]", .string("c")),
        (".vars.zones.[1]", .string("b")),
        (".vars.zones[3]", .null),
        (".vars.zones[-4]", .null),
        (".missing", .null),
        (".missing.deeper[0]", .null),
        (".vars .x", .int(1)),
        ("(.vars).x", .int(1)),
        ("(.vars | .zones)[1]", .string("b")),
        (".vars.appended[0]", .int(1)),
        // literals
        ("\"a\\n\\u00e9\\\"\"", .string("a\né\"")),
        ("'single \\' quoted'", .string("single ' quoted")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("42", .int(42)),
        ("-3", .int(-3)),
        ("1.5", .double(1.5)),
        ("1e3", .double(1000)),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        // alternative
        (".vars.nothing // \"d\"", .string("d")),
        (".vars.off // 1", .int(1)),
        (".vars.x // 2", .int(1)),
        (".missing // .also // \"last\"", .string("last")),
        (".missing // null", .null),
        (".vars.name.x // \"safe\"", .string("safe")),
        // comparisons
        (".vars.x == 1", .bool(true)),
        (".vars.x == 1.0", .bool(true)),
        (".vars.x != 2", .bool(true)),
        (".vars.ratio < 1", .bool(true)),
        (".vars.x >= 1", .bool(true)),
        (".vars.x > 1", .bool(false)),
        (".vars.x <= 0", .bool(false)),
        ("\"a\" < \"b\"", .bool(true)),
        ("\"B\" < \"a\"", .bool(true)),
        (".vars.tags == .vars.tags", .bool(true)),
        (".vars.zones == .vars.tags", .bool(false)),
        (".vars.appended == .vars.appended", .bool(true)),
        (".missing < 0", .bool(true)),
        ("\"1\" > 9", .bool(true)),
        (".vars.name == \"acme-dev\"", .bool(true)),
        // boolean logic
        ("not .vars.off", .bool(true)),
        (".vars.off | not", .bool(true)),
        ("not not .vars.x", .bool(true)),
        ("not", .bool(false)),
        (".vars.enabled and .vars.x", .bool(true)),
        (".vars.enabled and .vars.nothing", .bool(false)),
        (".vars.off or .vars.name", .bool(true)),
        // functions
        (".vars.zones | length", .int(3)),
        (".vars.name | length", .int(8)),
        (".vars.tags | length", .int(2)),
        (".vars.nothing | length", .int(0)),
        ("-5 | length", .int(5)),
        (".vars.appended | length", .int(1)),
        (".vars.tags | keys", .list([.string("Cost Center"), .string("team")])),
        (".vars.zones | keys", .list([.int(0), .int(1), .int(2)])),
        (".vars.name | startswith(\"acme\")", .bool(true)),
        (".vars.name | endswith(\"dev\")", .bool(true)),
        (".vars.name | endswith(\"acme\")", .bool(false)),
        (".vars.name | contains(\"me-d\")", .bool(true)),
        (".vars.zones | contains(\"b\")", .bool(true)),
        (".vars.zones | contains(\"z\")", .bool(false)),
        (".vars | contains(.)", .bool(true)),
        (".vars.missing | startswith(\"x\")", .bool(false)),
        (".vars.missing | contains(\"x\")", .bool(false)),
        ("(.vars.zones | length) > 2", .bool(true)),
    ] as [(String, Value)])
    func evaluates(_ text: String, _ expected: Value) {
        #expect(run(text) == .value(expected), "\(text)")
    }

    @Test(arguments: [
        // `and` binds tighter than `or`
        ("true or false and false", .bool(true)),
        ("(true or false) and false", .bool(false)),
        // prefix `not` binds looser than comparisons, tighter than `and`
        ("not .vars.x == 2", .bool(true)),
        ("not true or true", .bool(true)),
        ("not (true or true)", .bool(false)),
        // `//` is looser than `or` and comparisons
        (".missing // 1 == 1", .bool(true)),
        ("false or false // \"x\"", .string("x")),
        ("(.missing // 1) == 1", .bool(true)),
        // `|` is loosest
        (".vars | .x == 1", .bool(true)),
        (".vars.x == 1 and .vars.name == \"acme-dev\"", .bool(true)),
    ] as [(String, Value)])
    func precedence(_ text: String, _ expected: Value) {
        #expect(run(text) == .value(expected), "\(text)")
    }

    @Test(arguments: [
        (".vars.enabled", true), (".vars.x", true), (".vars.off", false), (".vars.nothing", false),
        (".missing", false), (".vars.x == 1", true), (".vars.zones | length > 5", false),
    ])
    func matches(_ text: String, _ expected: Bool) throws {
        #expect(try QueryExpression.parse(text).matches(doc) == expected)
    }

    @Test func keepsItsText() throws {
        let q = try QueryExpression.parse(".vars.x // 1")
        #expect(q.text == ".vars.x // 1")
        #expect(q.description == ".vars.x // 1")
        #expect(q == (try QueryExpression.parse(".vars.x // 1")))
    }

    @Test(arguments: [
        (".vars.x =! 1", "unexpected '!' at column 10 — expected an operator"),
        ("", "empty expression at column 1 — write '.' for the whole value"),
        (".a ==", "unexpected end of expression at column 6 — expected a value"),
        ("(.a", "unexpected end of expression at column 4 — expected ')' to close '(' at column 1"),
        (".a)", "unexpected ')' at column 3 — there is no '(' to close"),
        (".a b", "unexpected 'b' at column 4 — expected an operator"),
        ("foo", "unknown function 'foo' at column 1 — functions: contains, endswith, keys, length, not, startswith; write '.foo' for the key 'foo'"),
        ("length(1)", "function 'length' takes no arguments at column 7 — write 'length' alone"),
        ("contains", "function 'contains' needs one argument at column 1 — write contains(\"text\")"),
        ("contains(\"a\"", "unexpected end of expression at column 13 — expected ')' to close '(' at column 9"),
        (".a == 1 == 2", "unexpected '==' at column 9 — comparisons cannot be chained; add parentheses"),
        (".a[]", "'[]' (iterate over every item) is not supported at column 3 — index with a number, e.g. [0]"),
        (".a[1.5]", "unexpected '1.5' at column 4 — a list index must be a whole number"),
        (".a[0", "unexpected end of expression at column 5 — expected ']' to close '[' at column 3"),
        (".a[b]", "unexpected 'b' at column 4 — expected a quoted key or an index number inside '[…]'"),
        ("\"abc", "unterminated string at column 1 — close it with \""),
        (".a == 'abc", "unterminated string at column 7 — close it with '"),
        ("\"a\\q\"", "invalid escape '\\q' in string at column 3 — use \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX"),
        ("\"\\u12\"", "truncated '\\u' escape in string at column 2 — write four hex digits"),
        ("\"\\u12zz\"", "invalid hex digit 'z' in '\\u' escape at column 6"),
        ("..a", "unexpected '..' at column 1 — recursive descent is not supported"),
        (".list.0", "unexpected '0' after '.' at column 7 — write '[0]' to index a list"),
        (".a = 1", "unexpected '=' at column 4 — expected an operator (assignment is not supported; '==' compares)"),
        ("!.a", "unexpected '!' at column 1 — use 'not' to negate, or '!=' to compare"),
        (".a + 1", "unexpected '+' at column 4 — arithmetic is not supported"),
        (".a - 1", "unexpected '-' at column 4 — arithmetic is not supported"),
        (".a / 2", "unexpected '/' at column 4 — division is not supported; '//' gives a default"),
        (".a, .b", "unexpected ',' at column 3 — several results ('a, b') are not supported"),
        (".a?", "unexpected '?' at column 3 — not needed: a missing key or index already gives null"),
        ("$x", "unexpected '$' at column 1 — variables are not supported"),
        ("{}", "unexpected '{' at column 1 — building objects is not supported"),
        ("and", "unexpected 'and' at column 1 — expected a value before 'and'"),
        (".a and", "unexpected end of expression at column 7 — expected a value"),
        (".a or or", "unexpected 'or' at column 7 — expected a value before 'or'"),
        ("1x", "unexpected 'x' after the number '1' at column 2 — expected an operator"),
        ("|", "unexpected '|' at column 1 — expected a value"),
        (". | ", "unexpected end of expression at column 5 — expected a value"),
        ("é é", "unexpected 'é' at column 1 — expected a value or an operator"),
    ])
    func syntaxErrors(_ text: String, _ detail: String) {
        #expect(run(text) == .error("--query '\(text)': \(detail)"))
    }

    @Test func errorColumnAndParts() {
        #expect(throws: QueryError(text: ".vars.x =! 1", column: 10, problem: "unexpected '!'", hint: "expected an operator")) {
            try QueryExpression.parse(".vars.x =! 1")
        }
    }

    @Test(arguments: [
        (".vars.name.x", "cannot index a string with the key 'x' at column 11 — the value at '.vars.name' is a string, not a map"),
        (".vars.zones.a", "cannot index a list with the key 'a' at column 12 — the value at '.vars.zones' is a list; use a number, e.g. [0]"),
        (".vars[0]", "cannot index a map with the number 0 at column 6 — the value at '.vars' is a map; use a key, e.g. [\"name\"]"),
        (".vars.x[0]", "cannot index an int with the number 0 at column 8 — the value at '.vars.x' is an int, not a list"),
        (". | .vars.name.x", "cannot index a string with the key 'x' at column 15 — the value at '.vars.name' is a string, not a map"),
        ("\"s\".x", "cannot index a string with the key 'x' at column 4 — the value at '\"s\"' is a string, not a map"),
        (".vars.enabled | length", "a bool has no length at column 17 — length works on strings, lists, maps, numbers and null"),
        (".vars.x | keys", "an int has no keys at column 11 — keys works on maps and lists"),
        (".vars.x | startswith(\"a\")", "startswith needs a string input and a string argument, got an int and a string at column 11"),
        (".vars.name | contains(1)", "contains cannot look for an int in a string at column 14 — strings contain strings, lists contain items, maps contain maps"),
    ])
    func evaluationErrors(_ text: String, _ detail: String) {
        #expect(run(text) == .error("--query '\(text)': \(detail)"))
    }

    @Test func escapesAndCapsEchoedText() {
        #expect(run(".a\u{1b}") == .error("--query '.a\\u{1b}': unexpected '\\u{1b}' at column 3 — expected a value or an operator"))
        #expect(run(".a\n=") == .error("--query '.a\\n=': unexpected '=' at column 4 — expected an operator (assignment is not supported; '==' compares)"))
        let long = ".a" + String(repeating: " ", count: 300) + "=!"
        guard case .error(let message) = run(long) else { Issue.record("expected an error"); return }
        #expect(message.hasPrefix("--query '.a" + String(repeating: " ", count: 198) + "…': unexpected '!' at column 304"))
    }

    @Test func nestingIsCapped() throws {
        let ok = String(repeating: "(", count: 100) + ".vars.x" + String(repeating: ")", count: 100)
        #expect(try QueryExpression.parse(ok).evaluate(doc) == .int(1))
        let deep = String(repeating: "(", count: 10_000) + "." + String(repeating: ")", count: 10_000)
        #expect(throws: QueryError(text: deep, column: 101, problem: "expression nested deeper than 100 levels",
                                   hint: "simplify the expression")) { try QueryExpression.parse(deep) }
        let nots = String(repeating: "not ", count: 10_000) + "."
        #expect(throws: QueryError(text: nots, column: 401, problem: "expression nested deeper than 100 levels",
                                   hint: "simplify the expression")) { try QueryExpression.parse(nots) }
        let calls = String(repeating: "contains(", count: 10_000)
        #expect(throws: QueryError.self) { try QueryExpression.parse(calls) }
    }

    @Test(.timeLimit(.minutes(1))) func hostileMegabyteInputsFinishQuickly() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let megabyte = 1 << 20
        // A long path and long operator chains parse and evaluate without deep recursion.
        let path = String(repeating: ".a", count: megabyte / 2)
        #expect(try QueryExpression.parse(path).evaluate(doc) == .null)
        let ors = String(repeating: ".a or ", count: megabyte / 6) + ".vars.x"
        #expect(try QueryExpression.parse(ors).evaluate(doc) == .bool(true))
        let alternatives = String(repeating: ".a // ", count: megabyte / 6) + "1"
        #expect(try QueryExpression.parse(alternatives).evaluate(doc) == .int(1))
        let pipes = String(repeating: ". | ", count: megabyte / 4) + ".vars.x"
        #expect(try QueryExpression.parse(pipes).evaluate(doc) == .int(1))
        // Deep nesting and garbage fail fast.
        #expect(throws: QueryError.self) { try QueryExpression.parse(String(repeating: "(", count: megabyte)) }
        #expect(throws: QueryError.self) { try QueryExpression.parse(String(repeating: "not ", count: megabyte / 4)) }
        #expect(throws: QueryError.self) { try QueryExpression.parse(String(repeating: "@", count: megabyte)) }
        #expect(throws: QueryError.self) { try QueryExpression.parse(".a == " + String(repeating: "1 == ", count: megabyte / 5)) }
        #expect(throws: QueryError.self) { try QueryExpression.parse("\"" + String(repeating: "x", count: megabyte)) }
        #expect(clock.now - start < .seconds(30))
    }
}
