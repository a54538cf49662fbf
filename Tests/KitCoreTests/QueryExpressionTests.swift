import Foundation
import Synchronization
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

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
        ("1e3", .int(1000)),  // jq has one number type: whole results are ints (was .double before libjq)
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        // alternative
        (".vars.nothing // \"d\"", .string("d")),
        (".vars.off // 1", .int(1)),
        (".vars.x // 2", .int(1)),
        (".missing // .also // \"last\"", .string("last")),
        (".missing // null", .null),
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
        (".vars.off | not", .bool(true)),
        (".vars.x | not | not", .bool(true)),
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
        (".vars.zones | contains([\"b\"])", .bool(true)),  // jq 1.6: a list contains a list
        (".vars.zones | contains([\"z\"])", .bool(false)),
        (".vars | contains(.)", .bool(true)),
        ("(.vars.zones | length) > 2", .bool(true)),
        // what the former subset refused, now jq's
        (".vars.zones[1:]", .list([.string("b"), .string("c")])),
        ("[.vars.zones[] | ascii_upcase]", .list([.string("A"), .string("B"), .string("C")])),
        (".vars.tags | to_entries | map(.key)", .list([.string("Cost Center"), .string("team")])),
        ("[.vars[] | select(type == \"boolean\")] | length", .int(2)),
        (".vars.zones | map(. + \"1\") | join(\",\")", .string("a1,b1,c1")),
        ("reduce .vars.zones[] as $z (\"\"; . + $z)", .string("abc")),
        ("\"\\(.vars.name):\\(.vars.x)\"", .string("acme-dev:1")),
        (".vars.name | @base64", .string("YWNtZS1kZXY=")),
        (".vars.ratio * 2", .int(1)),
        (".vars.ratio + 1", .double(1.5)),
    ] as [(String, Value)])
    func evaluates(_ text: String, _ expected: Value) {
        #expect(run(text) == .value(expected), "\(text)")
    }

    @Test(arguments: [
        // `and` binds tighter than `or`
        ("true or false and false", .bool(true)),
        ("(true or false) and false", .bool(false)),
        // jq's `not` is a filter
        (".vars.x == 2 | not", .bool(true)),
        ("(true or true) | not", .bool(false)),
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
        (".vars.x =! 1", "syntax error, unexpected invalid character at column 10"),
        ("", "the expression is empty — write '.' for the whole input"),
        (".[", "syntax error, unexpected end of expression at column 3"),
        ("vars.x", "vars/0 is not defined at column 1 — write '.vars' for the key 'vars'"),
        (".vars.my-key + 1", "key/0 is not defined at column 10 — in jq '-' subtracts: write a key with '-' as .[\"my-key\"] or .\"my-key\""),
        ("foo(1)", "foo/1 is not defined at column 1 — kit evaluates queries with jq 1.6 (docs/query.md)"),
        ("import \"a\" as a; .", "'import' is refused at column 1 — kit runs no jq modules and reads no files from a query"),
        ("include \"a\"; .", "'include' is refused at column 1 — kit runs no jq modules and reads no files from a query"),
        ("\"a\" | modulemeta", "'modulemeta' is refused at column 7 — kit runs no jq modules and reads no files from a query"),
        (".a |\n  foo", "foo/0 is not defined at line 2, column 3 — write '.foo' for the key 'foo'"),
    ])
    func compileErrors(_ text: String, _ detail: String) {
        #expect(run(text) == .error("--query '\(MessageText.quoted(text))': \(detail)"))
    }

    @Test("a path with '-' in its keys, which jq cannot compile, is read as the path (atmos's yq queries)")
    func dashedPaths() throws {
        let doc = Value.map(["auth": .map(["identities": .map(["data-default": .map(["default": .bool(true)])])]), "my-key": .int(1)])
        #expect(try QueryExpression.parse(".auth.identities.data-default.default").evaluateAll(doc) == [.bool(true)])
        #expect(try QueryExpression.parse(".my-key").evaluateAll(doc) == [.int(1)])
        #expect(try QueryExpression.parse(".auth.identities.other-one").evaluateAll(doc) == [.null])
        // Valid jq keeps jq's meaning: `- length` subtracts.
        #expect(try QueryExpression.parse(".my-length").evaluateAll(.map(["my": .int(5)])) == [.int(4)])
        // Not a plain path: still jq's error.
        #expect(throws: QueryError.self) { try QueryExpression.parse(".a-b | c-d") }
    }

    @Test func errorLineColumnAndParts() {
        #expect(throws: QueryError(text: ".vars.x =! 1", line: 1, column: 10, problem: "syntax error, unexpected invalid character")) {
            try QueryExpression.parse(".vars.x =! 1")
        }
    }

    @Test(arguments: [
        (".vars.name.x", "Cannot index string with string \"x\""),
        (".vars.zones.a", "Cannot index array with string \"a\""),
        (".vars[0]", "Cannot index object with number"),
        (".vars.enabled | length", "boolean (true) has no length"),
        (".vars.x | keys", "number (1) has no keys"),
        ("error(\"custom\")", "custom"),
        ("not .vars.x", "Cannot index boolean with string \"vars\" — jq's 'not' is a filter: write '(…) | not'"),
        (".vars.name.x // \"safe\"", "Cannot index string with string \"x\""),  // jq 1.6: '//' does not catch errors
        ("error({a: 1})", "error (not a string): {\"a\":1}"),
        ("\"bye\\n\" | halt_error(1)", "halt_error: bye"),
        (".vars.zones[]", "the expression produced 3 results — one is needed here; collect them into a list with '[ … ]' or pick one with 'first(…)'"),
        ("empty", "the expression produced no result — one is needed here; add a default with '// null' or drop 'select'/'empty'"),
        ("repeat(1)", "the expression produced more than 100000 results"),
    ])
    func evaluationErrors(_ text: String, _ detail: String) {
        #expect(run(text) == .error("--query '\(MessageText.quoted(text))': \(detail)"))
    }

    @Test func matchesWhenSomeResultIsTruthy() throws {
        #expect(try QueryExpression.parse(".vars.zones[] | . == \"b\"").matches(doc))
        #expect(try !QueryExpression.parse(".vars.zones[] | . == \"z\"").matches(doc))
        #expect(try !QueryExpression.parse("empty").matches(doc))
        #expect(try QueryExpression.parse("select(.vars.x == 1)").matches(doc))
    }

    @Test func environmentCanBeRefused() throws {
        let home = try QueryExpression.parse("env | has(\"PATH\")").evaluate(doc)
        #expect(home == .bool(true))
        for text in ["env.PATH", "$ENV.PATH", "[1] | map(env)", "{a: $ENV}", "{$ENV}"] {
            #expect(throws: QueryError.self, "\(text)") { try QueryExpression.parse(text, environment: .refused) }
        }
        #expect(throws: QueryError(text: ".a | $ENV.HOME", line: 1, column: 6, problem: "'$ENV' is refused",
                                   hint: UntrustedRefusal(rule: .noEnvironment, what: "'$ENV' in a jq query").message)) {
            try QueryExpression.parse(".a | $ENV.HOME", environment: .refused)
        }
        // The key `env` (kit components have an `env` section), strings and comments are not the function.
        let refused = QueryEnvironmentAccess.refused
        #expect(try QueryExpression.parse(".env", environment: refused).evaluate(.map(["env": .int(1)])) == .int(1))
        #expect(try QueryExpression.parse("{env: 1} | .env", environment: refused).evaluate(.null) == .int(1))
        #expect(try QueryExpression.parse(".[\"env\"] // \"env\" # env", environment: refused).evaluate(.null) == .string("env"))
        #expect(try QueryExpression.parse("\"\\(.env)\"", environment: refused).evaluate(.map(["env": .string("e")])) == .string("e"))
    }

    @Test func numbersBeyondTwoToThe53AreNeverRounded() throws {
        let big = Value.list([.int(9_007_199_254_740_993), .int(2)])
        #expect(try QueryExpression.parse(".[1]").evaluate(big) == .int(2))
        #expect(try QueryExpression.parse(".").evaluate(big) == big)
        #expect(throws: QueryError.self) { try QueryExpression.parse(".[0]").evaluate(big) }
        #expect(try QueryExpression.parse("9007199254740993").evaluate(.null) == .double(9_007_199_254_740_992))
    }

    @Test func concurrentEvaluationsAgree() throws {
        let q = try QueryExpression.parse("[.vars.zones[] | ascii_upcase] | join(\"\")")
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let other = try? QueryExpression.parse(".vars.x + \(i)").evaluate(doc)
            let mine = try? q.evaluate(doc)
            if mine != .string("ABC") || other != .int(1 + i) { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func escapesAndCapsEchoedText() {
        #expect(run(".a\u{1b}") == .error("--query '.a\\u{1b}': syntax error, unexpected invalid character, expecting end of expression at column 3"))
        let long = ".a" + String(repeating: " ", count: 300) + "=!"
        guard case .error(let message) = run(long) else { Issue.record("expected an error"); return }
        #expect(message.hasPrefix("--query '.a" + String(repeating: " ", count: 198) + "…': syntax error"))
    }

    @Test func nestingIsBoundedByLibjq() throws {
        let ok = String(repeating: "(", count: 100) + ".vars.x" + String(repeating: ")", count: 100)
        #expect(try QueryExpression.parse(ok).evaluate(doc) == .int(1))
        let deep = String(repeating: "(", count: 4000) + "."
        #expect(throws: QueryError.self) { try QueryExpression.parse(deep) }
    }

    @Test func hostileInputsFinishQuickly() throws {
        let clock = ContinuousClock()
        let megabyte = 1 << 20
        for text in [String(repeating: ".a", count: megabyte / 2), String(repeating: ".a or ", count: megabyte / 6) + ".vars.x",
                     String(repeating: "(", count: megabyte), "\"" + String(repeating: "x", count: megabyte)] {
            let start = clock.now
            #expect(throws: QueryError(text: text, problem: "the expression is \(text.unicodeScalars.count) characters long, longer than 8192",
                                       hint: "queries are compiled by libjq, whose compile time grows quickly with length")) {
                try QueryExpression.parse(text)
            }
            #expect(clock.now - start < .seconds(5))
        }
        // The longest accepted chains compile and run.
        let start = clock.now
        let ors = String(repeating: ".a or ", count: 1300) + ".vars.x"
        #expect(try QueryExpression.parse(ors).evaluate(doc) == .bool(true))
        let path = String(repeating: ".a", count: 4000)
        #expect(try QueryExpression.parse(path).evaluate(doc) == .null)
        #expect(throws: QueryError.self) { try QueryExpression.parse(String(repeating: "@", count: 8000)) }
        #expect(clock.now - start < .seconds(20))
    }
}
