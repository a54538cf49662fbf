import Testing

/// `--format json` output: valid JSON, keys sorted at every level, exactly one trailing newline.
@Suite("json output")
struct JSONFormatTests {
    @Test("--format json has sorted keys and a trailing newline", arguments: [
        ["describe", "component", "vpc", "-s", "acme-dev", "--format", "json"],
        ["describe", "component", "vpc", "-s", "acme-dev", "--format", "json", "--provenance"],
        ["describe", "stacks", "--format", "json"],
        ["list", "stacks", "--format", "json"],
        ["list", "components", "--format", "json"],
    ])
    func sortedKeysAndNewline(arguments: [String]) throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        #expect(JSONKeyOrder.problems(in: run.stdout) == [])
    }

    @Test("the key-order check itself rejects unsorted keys and a missing newline")
    func checkerRejectsBadJSON() {
        #expect(JSONKeyOrder.problems(in: "{\"b\": 1, \"a\": {\"d\": [1, {\"y\": 1, \"x\": 2}]}}\n")
                == ["key 'a' comes after 'b'", "key 'x' comes after 'y'"])
        #expect(JSONKeyOrder.problems(in: "{\"a\": 1}") == ["does not end with a newline"])
        #expect(JSONKeyOrder.problems(in: "{\"a\": \"}\", \"b\": [\"z\", \"a\"]}\n") == [])
    }
}
