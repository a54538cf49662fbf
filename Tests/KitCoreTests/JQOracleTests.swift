import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
import KitPluginSDK

/// kit's queries against the jq CLI (issue 21, "Queries are real jq"): each (program, input) pair is
/// evaluated by `QueryExpression` and by `/usr/bin/jq -c --sort-keys` run as a subprocess, and the
/// results must be the same values (numbers compared by value, as JSON does), or both must fail —
/// for runtime errors with jq's own message.
@Suite("jq oracle", .serialized)
struct JQOracleTests {
    static let jq = "/usr/bin/jq"

    /// Inputs, by name (JSON). Keys are given to jq in sorted order, as kit gives them to libjq.
    static let inputs: [String: String] = [
        "doc": """
        {"vars":{"x":1,"name":"acme-dev","ratio":0.5,"enabled":true,"off":false,"nothing":null,
         "zones":["a","b","c"],"tags":{"Cost Center":"42","team":"core"}},
         "list":[3,1,2,10,-4],"nested":{"a":{"b":[{"c":1},{"c":2,"d":[true,null]}]}},
         "s":"héllo wörld 😀","big":12345678901,"neg":-7,"f":1.5,"e":1e100,"tiny":1e-7,
         "csv":[1,"a,b","say \\"hi\\"",null,true],
         "comps":[{"name":"vpc","kind":"network","deps":[]},{"name":"db","kind":"database","deps":["vpc"]},
                  {"name":"app","kind":"service","deps":["db","vpc"],"replicas":3}]}
        """,
        "nums": "[0, 1, 1.0, -1, 1.5, -2.25, 1e3, 1e-5, 123456789012, 4503599627370496, 0.1, 3.0e2, 100000000000000000000]",
        "strs": #"["", "a", "Ab", "é", "😀x", "a b", "line\nbreak", "tab\there", "\u0000nul", "ünïcödé", "10", "-3.5"]"#,
        "null": "null",
        "str": #""hello""#,
        "num": "42.5",
        "bool": "true",
        "entries": #"[{"key":"a","value":1},{"key":"b","value":[2]},{"name":"c","value":null},{"k":"d","v":4}]"#,
        "mixed": #"[null, false, true, 0, -1, "b", "a", [], [1], {}, {"a":1}, 2.5]"#,
    ]

    /// (input name, program). Grouped by feature; comments say what each group covers.
    static let corpus: [(String, String)] = {
        var c: [(String, String)] = []
        func add(_ input: String, _ programs: [String]) { c += programs.map { (input, $0) } }
        // paths, optional access, slices
        add("doc", [".", ".vars", ".vars.x", ".vars.name", ".vars[\"name\"]", ".\"vars\".zones", ".vars.zones[0]",
                    ".vars.zones[-1]", ".vars.zones[5]", ".vars.zones[-9]", ".missing", ".missing.deeper[0]",
                    ".vars.tags[\"Cost Center\"]", ".nested.a.b[1].d[0]", ".nested.a.b[].c", ".list[1:3]", ".list[:2]",
                    ".list[-2:]", ".list[10:]", ".s[0:5]", ".s[-1:]", ".vars.name[2:4]", ".vars.x?", ".vars.name.x?",
                    "[.vars.name.x?]", ".vars.name.x", ".vars.zones.a", ".vars[0]", ".vars.x[0]", ".[\"vars\"][\"x\"]",
                    ".vars | .x", "(.vars | .zones)[1]", ".comps[0].name", ".comps[-1].replicas", ".comps[].name",
                    "[.comps[].name]", ".list[]", "[.list[]]", ".vars.zones[]", ".vars.tags[]", "[.vars[]] | length",
                    ".[\"s\"]", ".nested[\"a\"].b", "..|numbers", "[..|strings] | length", "[paths] | length",
                    "[leaf_paths] | length", "getpath([\"vars\",\"zones\",1])", "getpath([\"nope\",\"x\"])",
                    "path(.vars.zones[0])", "[paths(type == \"number\")] | length", "to_entries | length"])
        // iteration, select, map, any/all, first/last
        add("doc", [".comps[] | select(.kind == \"database\")", "[.comps[] | select(.deps | length > 0) | .name]",
                    ".comps | map(.name)", ".comps | map(select(.replicas)) | length", ".list | map(. * 2)",
                    ".list | map(select(. > 1))", "[.list[] | select(. % 2 == 0)]", ".comps | map(.deps | length) | add",
                    ".list | any(. > 5)", ".list | all(. > 0)", "first(.list[])", "last(.list[])", ".list | first",
                    ".list | last", "[limit(2; .list[])]", "[.comps[] | .name, .kind]", ".comps | map({(.name): .kind}) | add",
                    "[range(5)]", "[range(2; 10; 3)]", "[.list[] | if . > 2 then \"big\" else \"small\" end]",
                    ".vars.zones | index(\"b\")", ".list | indices(1)", "[.comps[].deps[]] | unique", ".comps | group_by(.kind) | length",
                    ".comps | map(.name) | sort", ".list | sort", ".list | sort_by(-.)", ".comps | sort_by(.name) | map(.name)",
                    ".comps | min_by(.name) | .name", ".comps | max_by(.deps | length) | .name", ".list | min", ".list | max",
                    ".list | reverse", ".vars.zones | join(\"-\")", "[.comps[] | .replicas // 1]", ".list | unique | length",
                    "[.list[] | tostring]", ".comps | map(has(\"replicas\"))", ".vars | has(\"x\")", ".vars.zones | has(1)",
                    ".vars.zones | has(5)", "[.comps[] | .name | in({\"db\": 1})]", ".comps | map(.name) | inside([\"vpc\",\"db\",\"app\",\"x\"])",
                    "[.list[] | select(. > 1)] | length", "isempty(.list[] | select(. > 100))", "[.[] | type]",
                    ".comps | map(.kind) | unique", "[splits(\", *\")]?"])
        // keys, to_entries / from_entries / with_entries, objects
        add("doc", [".vars | keys", ".vars | keys_unsorted", ".vars.zones | keys", ".vars.tags | to_entries",
                    ".vars.tags | to_entries | from_entries", ".vars.tags | with_entries(.value |= ascii_upcase)",
                    ".vars.tags | with_entries(select(.key | startswith(\"t\")))", ".vars | to_entries | map(.key) | length",
                    "{a: 1, b: .vars.x}", "{(.vars.name): 1}", "{\"x y\": .neg}", "{vars}", "{name: .comps[].name}",
                    ".vars + {y: 2} | keys", ".vars * {tags: {team: \"edge\"}} | .tags", ".vars | del(.tags) | keys",
                    "del(.vars.zones[0]) | .vars.zones", ".vars.tags | map_values(length)", ".vars | .x = 5 | .x",
                    ".vars | .zones += [\"d\"] | .zones", ".vars.x |= . + 1 | .vars.x", "setpath([\"a\",\"b\"]; 1) | .a",
                    "delpaths([[\"vars\"],[\"list\"]]) | keys | length", ".vars | to_entries[0]", ".vars.tags | length",
                    ".vars.tags | add", "[.vars.tags[]] | sort", ".vars | with_entries(select(.value == null)) | keys",
                    ".comps | INDEX(.name) | keys", ".vars | paths | tostring"])
        add("entries", ["from_entries", "map(select(.value != null)) | from_entries", ".[0:2] | from_entries | to_entries"])
        // alternative, reduce, foreach, variables, functions
        add("doc", [".vars.nothing // \"d\"", ".vars.off // 1", ".vars.x // 2", ".missing // .also // \"last\"",
                    ".missing // null", ".vars.name.x // \"safe\"", "(.list[] | select(. > 100)) // \"none\"",
                    "[.list[] // 0]", "reduce .list[] as $x (0; . + $x)", "reduce .comps[] as $c ({}; .[$c.name] = $c.kind)",
                    "[foreach .list[] as $x (0; . + $x)]", "[foreach .list[] as $x (0; . + $x; [$x, .])]",
                    ".vars.x as $x | .list | map(. + $x)", ". as {vars: {name: $n}} | $n", ". as [$a] | $a",
                    ".list as [$a, $b] | $a + $b", "def double: . * 2; .list | map(double)", "def f(g): [g, g]; f(.neg)",
                    "def fac: if . <= 1 then 1 else . * (. - 1 | fac) end; 10 | fac", "[.list[] | . as $v | $v * $v]",
                    "label $out | foreach .list[] as $i (0; . + $i; if . > 3 then ., break $out else empty end)",
                    "[.comps[] | {n: .name, d: (.deps | length)}] | sort_by(.d) | map(.n)", "until(. > 100; . * 2)?",
                    "[1, 2] | until(length > 5; . + .)", "[limit(3; repeat(1))]",
                    "[.list | recurse(if length > 1 then .[1:] else empty end)] | length", "env | type", "$__loc__",
                    "[.vars.zones[] | ascii_upcase]", "getpath([\"comps\", 1, \"name\"])",
                    "[.list[] | select(. > 0)] | add / length", "try error(\"boom\") catch .", "try (.vars.name | .x) catch .",
                    "[.list[] | try (if . > 2 then error(\"big\") else . end) catch \"caught\"]", ".vars.x as $v | try error($v) catch .",
                    "(.vars.x, .neg) as $v | $v * 2", "[.[] | numbers]", "[.[] | strings]", "[.[] | arrays | length]",
                    "[.[] | objects | length]", "[.. | booleans]", "[.. | nulls]", "[.[] | scalars] | length", "[.vars[] | iterables | length]"])
        // comparisons, arithmetic, ints vs doubles
        add("doc", [".vars.x == 1", ".vars.x == 1.0", ".vars.x != 2", ".vars.ratio < 1", ".vars.x >= 1", ".vars.x > 1",
                    "\"a\" < \"b\"", "\"B\" < \"a\"", ".missing < 0", "\"1\" > 9", "[] < {}", "{} < []", "null < false",
                    ".vars.tags == .vars.tags", ".vars.zones == .vars.tags", ".vars.x + 1", ".vars.x + 0.5", ".f * 2",
                    ".neg / 2", ".neg % 3", "5 % -3", ".big + 1", ".big * 1000", ".e", ".e * 10", ".tiny", ".tiny * 3",
                    "1 / 3", "10 / 2", "0.1 + 0.2", "-0", "1e3", "1.5e300 * 1e10", ".list | add", "[.list[] * 1.0]",
                    "\"a\" + \"b\"", "[1] + [2]", "[1,2,2] - [2]", "{} + null", "null + 1", ".vars.name * 0", "\"x\" * 3",
                    "\"a,b,c\" / \",\"", ".vars.name - 1", "{} - 1", "[.list[] | floor]", "3.7 | floor", "-3.7 | floor",
                    "2 | sqrt", "16 | sqrt", "[1.5, 2.5, -1.5] | map(floor)", "1000000 * 1000000", "9007199254740992 + 0",
                    "(.big | tostring) + \"!\"", ".f | tostring", ".e | tostring", "\"42\" | tonumber", "\"1.25\" | tonumber",
                    "\"x\" | tonumber", "[.list[] | -.]", "not", ".vars.off | not", "[true, false, null, 0, \"\"] | map(not)",
                    ".vars.enabled and .vars.x", ".vars.enabled and .vars.nothing", ".vars.off or .vars.name",
                    "true or false and false", "(true or false) and false", ".vars | .x == 1", "infinite", "[infinite, -infinite]",
                    "nan | isnan", "[nan] | .[0]", "infinite | isinfinite", "[1, nan] | sort", "1 / 0", "[.[] | length]?"])
        add("nums", [".", "map(. + 0)", "map(. * 1.5)", "map(tostring)", "map(floor)", "sort", "add", "map(. == 1)",
                     "map(type)", "map(-.)", "max", "min", "map(. / 3)", "unique", "map(length)", "[.[] | select(. > 1)]"])
        // strings, unicode, interpolation, regex
        add("doc", [".s | length", ".s | utf8bytelength", ".s | explode", ".s | explode | implode", ".s | ascii_downcase",
                    ".s | ascii_upcase", ".vars.name | startswith(\"acme\")", ".vars.name | endswith(\"dev\")",
                    ".vars.name | ltrimstr(\"acme-\")", ".vars.name | rtrimstr(\"-dev\")", ".vars.name | split(\"-\")",
                    ".vars.name | contains(\"me-d\")", ".vars.zones | contains([\"b\"])", ".vars | contains({x: 1})",
                    ".vars.name | test(\"^acme\")", ".vars.name | test(\"ACME\"; \"i\")", ".s | test(\"wörld\")",
                    ".vars.name | [match(\"[a-z]+\"; \"g\").string]", ".vars.name | capture(\"(?<org>[a-z]+)-(?<stage>[a-z]+)\")",
                    ".vars.name | sub(\"-\"; \"_\")", ".vars.name | gsub(\"[aeiou]\"; \"*\")", ".vars.name | [scan(\"[ae]\")]",
                    ".vars.name | splits(\"-\")", "\"Hello \\(.vars.name)!\"", "\"x=\\(.vars.x), z=\\(.vars.zones)\"",
                    "\"\\(.vars.tags)\"", "\"nested \\(\"inner \\(.neg)\")\"", "\"é\\u00e9\\ud83d\\ude00\"", ".s | @json",
                    ".vars | @json | fromjson | .x", ".vars.zones | tojson", "\"[1,2]\" | fromjson", ".s | @base64",
                    ".s | @base64 | @base64d", ".vars.name | @base64", "\"YWNtZQ==\" | @base64d", ".csv | @csv", ".csv | @tsv",
                    ".vars.zones | @csv", ".s | @uri", "\"a b&c=d/é\" | @uri", "\"<a href='x'>&</a>\" | @html",
                    "\"it's\" | @sh", ".vars.zones | @sh", ".vars.name | @text", "@base64 \"v=\\(.vars.name)\"",
                    "\"\\(1 + 2)\"", ".s | index(\"o\")", ".s | rindex(\"o\")", ".s | indices(\"o\")",
                    ".vars.name | ascii", "[.vars.zones[] | ascii_downcase] | join(\",\")", ".s | ltrimstr(1)",
                    ".vars.name | tostring", "[.vars.x, .vars.name] | tostring", ".vars.name | tojson", "\"\\t\\n\" | @json",
                    ".vars.name | test(\"(\")", ".vars.x | test(\"1\")", ".vars.name | split(\"\")"])
        add("strs", ["map(length)", "sort", "map(ascii_downcase)", "map(@json)", "map(@base64)", "map(@uri)",
                     "map(test(\"^[a-z]+$\"))", "map(explode | length)", "map(utf8bytelength)", "map(tojson | fromjson) == .",
                     "join(\"|\")", "map(select(startswith(\"a\")))", "[.[] | tonumber?]", "map(. + \"!\")", "unique | length",
                     "map(ascii_upcase)", "min", "max", "@csv", "map(@sh)", "map(@html)"])
        // errors (both must fail; runtime messages must match)
        add("doc", ["error(\"custom\")", "error({a: 1})", ".vars | keys | .[0] | keys",
                    "[1] | implode", "{} | tonumber", ".list | join(1)", "\"a\" | test(1)", ".vars.x | length | ltrimstr",
                    ".list[\"a\"]", "{a: 1} | .[0]", ".[] | .x", "null | keys", "1 as $x | $y", "foo", ".a ||| .b", "{", ".[",
                    "(.a", "if . then 1", ".list | .[1.5]", "\"x\" | @base64d | @base64d", "[1,2] - 1", "{} * 2",
                    "\"abc\" | .[0]", "halt_error", "\"bye\" | halt_error(1)", ".vars.tags | from_entries",
                    "[.list[] | error]"])
        add("null", [".", ".a", ".[0]", "length", "keys?", "[.[]?]", ". + 1", "not", "tostring", "tojson", "[paths]",
                     "[.[]]", "add", "empty", "[empty]", "first(empty)?", "[limit(0; 1, 2)]", "{} | .a.b.c"])
        // `.name` alone is answered by kit without libjq (QueryExpression.field): the same answers
        add("str", [".x", ".name", ".x | length"])
        add("num", [".x", "._y1"])
        add("bool", [".enabled", ". | .enabled"])
        add("nums", [".x"])
        add("mixed", ["sort", "map(type)", "unique", "map(length)?", "group_by(type) | map(length)", "map(tojson)",
                      "map(. == null)", "min", "max", "sort_by(type)", "map(not)", "[.[] | select(.)] | length"])
        return c
    }()

    enum Outcome: Equatable {
        case values([Value])
        case failure(String)
    }

    /// Numbers as doubles (JSON has one number type); NaN is null as jq prints it.
    static func normalized(_ v: Value) -> Value {
        switch v {
        case .int(let i): return .double(Double(i))
        case .double(let d): return d.isNaN ? .null : .double(d == 0 ? 0 : d)
        case .list(let l): return .list(l.map(normalized))
        case .map(let m): return .map(m.mapValues(normalized))
        case .tagged(_, let inner): return normalized(inner)
        default: return v
        }
    }

    static func parseJSON(_ text: String) throws -> Value {
        ValueJSON.convert(try JSONValue.parse(text))
    }

    /// jq's own answer for `program` on `input` (given to jq with sorted keys).
    static func oracle(_ program: String, _ input: String) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: jq)
        // The input goes through a file: jq exits without reading stdin on a compile error.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kit-jq-oracle-\(UUID().uuidString).json")
        try Data(input.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        p.arguments = ["-c", "--sort-keys", program, file.path]
        p.environment = ["HOME": "/nonexistent", "PATH": "/usr/bin"]
        let stdout = Pipe(), stderr = Pipe()
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = stdout
        p.standardError = stderr
        try p.run()
        // Both outputs are small (well under a pipe's buffer), so reading one after the other cannot block.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errText = String(decoding: err, as: UTF8.self)
        if p.terminationStatus != 0 {
            // `jq: error (at <stdin>:0): Cannot index string with "x"` → the message.
            let line = errText.split(separator: "\n").first.map(String.init) ?? ""
            if let r = line.range(of: "): ") { return .failure(String(line[r.upperBound...])) }
            return .failure(line)
        }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        return .values(try lines.map { try normalized(parseJSON(String($0))) })
    }

    static func kit(_ program: String, _ input: Value) -> Outcome {
        do {
            return .values(try QueryExpression.parse(program).evaluateAll(input).map(normalized))
        } catch let e as QueryError {
            return .failure(e.problem)
        } catch {
            return .failure("\(error)")
        }
    }

    @Test func corpusIsLarge() {
        #expect(Self.corpus.count >= 200)
        #expect(Set(Self.corpus.map { "\($0.0)\u{0}\($0.1)" }).count == Self.corpus.count, "duplicate cases")
    }

    @Test("kit and the jq CLI agree", .enabled(if: FileManager.default.isExecutableFile(atPath: jq), "jq is installed by scripts/setup"),
          arguments: corpus)
    func agrees(_ inputName: String, _ program: String) throws {
        let input = try Self.parseJSON(Self.inputs[inputName]!)
        let expected = try Self.oracle(program, JSONWriter.compact(input))
        let actual = Self.kit(program, input)
        switch (expected, actual) {
        case (.values(let e), .values(let a)):
            #expect(a == e, "\(program) on \(inputName)")
        case (.failure(let e), .failure(let a)):
            // Compile errors are reworded by kit; runtime errors keep jq's message.
            if !e.contains("compile error"), !e.hasPrefix("syntax error"), !e.contains("is not defined"), !e.contains(" at <top-level>"),
               e.count < 300, !e.contains("\\"), !a.hasPrefix("halt_error") {
                if a.hasPrefix("error (not a string): ") {
                    #expect(a == "error (not a string): " + e, "\(program) on \(inputName)")
                } else {
                    #expect(a == e, "\(program) on \(inputName)")
                }
            }
        default:
            Issue.record("\(program) on \(inputName): jq gave \(expected), kit gave \(actual)")
        }
    }
}
