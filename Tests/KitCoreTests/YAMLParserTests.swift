import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The YAML loader (reference §12.3 parse-time tags, §4 keys): tags, anchors, marks, `!include`.
@Suite struct YAMLParserTests {
    @Test("plain scalars resolve like Go's yaml.v3 (YAML 1.2 core schema)")
    func scalarResolution() throws {
        let v = try YAMLParser.parse("""
        a: 1
        b: 1.5
        c: true
        d: null
        e: ~
        f: "1"
        g: yes
        h: 0x1F
        i: 1e3
        j: 10.0.0.0/16
        """).value
        #expect(v == ["a": 1, "b": .double(1.5), "c": true, "d": nil, "e": nil, "f": "1", "g": "yes", "h": 31,
                      "i": .double(1000), "j": "10.0.0.0/16"])
    }

    @Test("YAML functions are kept as '!tag args' strings", arguments: [
        ("!env HOME", "!env HOME"), ("!exec echo 42", "!exec echo 42"), ("!terraform.output vpc vpc_id", "!terraform.output vpc vpc_id"),
        ("!repo-root", "!repo-root"), ("!template '{{ toJson .vars.x }}'", "!template {{ toJson .vars.x }}"),
    ])
    func functionTagsKeptAsStrings(_ yaml: String, _ expected: String) throws {
        #expect(try YAMLParser.parse("v: \(yaml)\n").value == ["v": .string(expected)])
    }

    @Test("!env and !exec stay strings through a stack (evaluated later, not by the kernel)")
    func functionStringsInStack() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/dev.yaml": "components: {terraform: {vpc: {vars: {home: !env HOME, answer: !exec echo 42}, env: {X: !env X default}}}}\n",
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["home": "!env HOME", "answer": "!exec echo 42"])
        #expect(c.env == ["X": "!env X default"])
    }

    @Test("an unknown tag is an error with its line", arguments: [
        ("a: 1\nb:\n  c: !bogus x\n", 3, "unsupported YAML tag '!bogus'"),
        ("a: 1\nb: !bogus {x: 1}\n", 2, "unsupported YAML tag '!bogus' on a map"),
        ("a: !bogus [1]\n", 1, "unsupported YAML tag '!bogus' on a list"),
    ])
    func unknownTag(_ text: String, _ line: Int, _ message: String) throws {
        let failure = caught { _ = try YAMLParser.parse(text) } as? YAMLParser.Failure
        #expect(failure?.message == message)
        #expect(failure?.mark.line == line)
    }

    @Test("an unknown tag in a manifest is reported with file and line")
    func unknownTagInManifest() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": "vars:\n  a: 1\n  b: !bogus x\ncomponents: {terraform: {vpc: {}}}\n"])
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        #expect(error as? StackError == .malformedYAML(SourceLocation(file: "stacks/deploy/dev.yaml", mark: Mark(line: 3, column: 6)),
                                                       message: "unsupported YAML tag '!bogus'"))
        #expect("\(error!)".hasPrefix("stacks/deploy/dev.yaml:3:6: malformed YAML: unsupported YAML tag '!bogus'"))
    }

    @Test("!literal keeps its text; !include.raw and !include without a resolver stay strings")
    func literalTag() throws {
        #expect(try YAMLParser.parse("a: !literal '{{ .x }}'\n").value == ["a": "{{ .x }}"])
        #expect(try YAMLParser.parse("a: !include x.yaml\n").value == ["a": "!include x.yaml"])
    }

    @Test("anchors, aliases and merge keys (explicit keys win; earlier merge sources win)")
    func anchorsAndMergeKeys() throws {
        let v = try YAMLParser.parse("""
        base: &base {x: 1, y: 2, tags: &tags [a, b]}
        other: &other {y: 20, z: 30}
        derived:
          <<: [*base, *other]
          y: 3
        list: *tags
        """).value
        #expect(v["derived"] == ["x": 1, "y": 3, "z": 30, "tags": ["a", "b"]])
        #expect(v["list"] == ["a", "b"])
        #expect(caught { _ = try YAMLParser.parse("a: *nope\n") } is YAMLParser.Failure)
    }

    @Test("!include of a YAML file: ./ relative to the manifest, other paths relative to base_path")
    func includeYAML() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/common.yaml": "region: us-east-1\ntags: {Team: platform}\n",
            "config/limits.json": "{\"max\": 3}",
            "config/notes.txt": "hello\n",
            "stacks/deploy/dev.yaml": """
            components:
              terraform:
                vpc:
                  vars:
                    common: !include ./common.yaml
                    limits: !include config/limits.json
                    notes: !include config/notes.txt
                    raw: !include.raw ./common.yaml
            """,
        ], kitYAML: FixtureRepo.kitYAML(excluded: ["deploy/common.yaml"]))
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["common"] == ["region": "us-east-1", "tags": ["Team": "platform"]])
        #expect(c.vars["limits"] == ["max": 3])
        #expect(c.vars["notes"] == "hello\n")
        #expect(c.vars["raw"] == "region: us-east-1\ntags: {Team: platform}\n")
    }

    static let includeQueries: [(String, Value, String)] = [
        ("!include ./common.yaml .tags", ["Team": "platform"], ""),
        ("!include ./common.yaml .tags.Team", "platform", ""),
        ("!include ./common.yaml .", ["region": "us-east-1", "tags": ["Team": "platform"]], ""),
        ("!include ./common.yaml .nope", nil, "!include './common.yaml': '.nope' is not in the file (no key 'nope')"),
        // Queries are jq (issue 21): what the former key-path subset refused now works.
        ("!include ./common.yaml .tags | keys", ["Team"], ""),
        ("!include ./values.json .list_var[0]", "first", ""),
        ("!include ./values.json .list_var[-1]", "third", ""),
        ("!include ./values.json .list_var[1:]", ["second", "third"], ""),
        ("!include ./values.json [.list_var[] | ascii_upcase]", ["FIRST", "SECOND", "THIRD"], ""),
        ("!include ./values.json .list_var[7]", nil, "!include './values.json': '.list_var[7]' is not in the file (no item 7: the list has 3)"),
        ("!include ./values.json .list_var[]", nil, "!include './values.json': the query '.list_var[]': the expression produced 3 results"),
        ("!include ./values.json .list_var.x", nil, "!include './values.json': the query '.list_var.x': Cannot index array with string \"x\""),
        ("!include ./values.json .list_var[", nil, "!include './values.json': the query '.list_var[': syntax error, unexpected end of expression at column 11"),
    ]

    @Test("!include with a jq query selects part of the file; errors are located at the tag",
          arguments: includeQueries)
    func includeQuery(_ tag: String, _ expected: Value, _ errorPrefix: String) throws {
        let repo = try FixtureRepo([
            "stacks/deploy/common.yaml": "region: us-east-1\ntags: {Team: platform}\n",
            "stacks/deploy/values.json": #"{"list_var": ["first", "second", "third"], "map_var": {"b": 1, "a": 2}}"#,
            "stacks/deploy/dev.yaml": "components:\n  terraform:\n    vpc:\n      vars:\n        x: \(tag)\n",
        ], kitYAML: FixtureRepo.kitYAML(excluded: ["deploy/common.yaml"]))
        let error = caught {
            let c = try repo.component("vpc", "deploy/dev")
            #expect(c.vars["x"] == expected)
        }
        if errorPrefix.isEmpty {
            #expect(error == nil)
        } else {
            guard case .malformedYAML(let loc, let message)? = error as? StackError else {
                Issue.record("expected malformedYAML, got \(String(describing: error))"); return
            }
            #expect(message.hasPrefix(errorPrefix))
            #expect(loc.mark?.line == 5)
        }
    }

    @Test("!include of a missing file is an error at the tag's line")
    func includeMissing() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": "vars:\n  x: !include ./nope.yaml\ncomponents: {terraform: {vpc: {}}}\n"])
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        guard case .malformedYAML(let loc, let message)? = error as? StackError else {
            Issue.record("expected malformedYAML, got \(String(describing: error))"); return
        }
        #expect(loc.mark?.line == 2)
        #expect(message.hasPrefix("!include './nope.yaml' not found"))
    }

    @Test("!append on a scalar is an error; more than one document is an error")
    func structuralErrors() {
        #expect((caught { _ = try YAMLParser.parse("a: !append x\n") } as? YAMLParser.Failure)?.message == "'!append' must tag a list, not a scalar")
        #expect((caught { _ = try YAMLParser.parse("a: 1\n---\nb: 2\n") } as? YAMLParser.Failure)?.message == "more than one YAML document in a stack manifest")
    }

    @Test("marks record the line and column of every value")
    func marks() throws {
        let (_, marks) = try YAMLParser.parse("vars:\n  region: us-east-1\n  list:\n    - a\n    - b\n", recordMarks: true)
        #expect(marks[ValuePath.key(["vars", "region"])] == Mark(line: 2, column: 11))
        #expect(marks[ValuePath.key(["vars", "list", "1"])] == Mark(line: 5, column: 7))
    }

    @Test("an empty document is an empty map")
    func emptyDocument() throws {
        #expect(try YAMLParser.parse("").value == .emptyMap)
        #expect(try YAMLParser.parse("# only a comment\n").value == .emptyMap)
    }
}
