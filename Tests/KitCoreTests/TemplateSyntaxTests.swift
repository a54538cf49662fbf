import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Renders `text` over `data` (missing keys fail unless `options` says otherwise).
fileprivate func render(_ text: String, _ data: Value = .emptyMap, _ options: TemplateOptions = .init()) throws -> String {
    try GoTemplate(text).render(data, options: options)
}

fileprivate let sample: Value = .map([
    "name": .string("n"),
    "vars": .map(["a": .string("A"), "b": .string("B"), "n": .int(3), "empty": .string(""),
                  "nested": .map(["deep": .map(["leaf": .string("L")])])]),
    "list": .list([.string("a"), .string("b")]),
    "nums": .list([.int(0), .int(1), .int(2), .int(3), .int(4)]),
    "m": .map(["b": .int(2), "a": .int(1)]),
    "none": .list([]),
    "nothing": .null,
])

@Suite struct TemplateTextAndActionTests {
    @Test func plainTextIsReturnedUnchangedAndFlagged() throws {
        let t = try GoTemplate("just text: no actions } {")
        #expect(t.isPlainText)
        #expect(try t.render(.null) == "just text: no actions } {")
        #expect(try !GoTemplate("a {{ .x }}").isPlainText)
        #expect(try GoTemplate("").render(.null) == "")
        let commentOnly = try GoTemplate("{{/* nothing to see */}}")
        #expect(!commentOnly.isPlainText)
        #expect(try commentOnly.render(.null) == "")
    }

    @Test func containsActionLooksForAnOpeningDelimiter() {
        #expect(GoTemplate.containsAction("catalog/{{ .flavor }}/vpc"))
        #expect(GoTemplate.containsAction("{{"))
        #expect(!GoTemplate.containsAction("catalog/vpc { x } }}"))
        #expect(!GoTemplate.containsAction("{ {"))
    }

    @Test func actionsPrintFields() throws {
        #expect(try render("a {{ .vars.a }} b {{.vars.b}}", sample) == "a A b B")
        #expect(try render("{{ .vars.nested.deep.leaf }}", sample) == "L")
    }

    @Test func trimMarkersRemoveAdjacentWhiteSpace() throws {
        #expect(try render("a  \n {{- .vars.a -}} \n  b", sample) == "aAb")
        #expect(try render("a {{- .vars.a }} b", sample) == "aA b")
        #expect(try render("a {{ .vars.a -}} b", sample) == "a Ab")
        // `{{-3}}` is the number -3, not a trim marker.
        #expect(try render("x {{-3}}") == "x -3")
    }

    @Test func commentsProduceNothing() throws {
        #expect(try render("a {{/* a comment */}} b") == "a  b")
        #expect(try render("a\n  {{- /* trimmed\nmultiline */ -}}\n  b") == "ab")
    }

    @Test func dollarIsTheRootData() throws {
        #expect(try render("{{ with .vars }}{{ $.name }}-{{ .a }}{{ end }}", sample) == "n-A")
        #expect(try render("{{ range .list }}{{ $.vars.a }}{{ . }}{{ end }}", sample) == "AaAb")
    }

    @Test func variablesDeclareAssignAndScope() throws {
        #expect(try render("{{ $x := .vars.a }}{{ $x }}{{ $x }}", sample) == "AA")
        #expect(try render("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}") == "2")
        #expect(try render("{{ $v := .vars }}{{ $v.nested.deep.leaf }}", sample) == "L")
        #expect(try render("{{ $c := 0 }}{{ range .nums }}{{ $c = add $c . }}{{ end }}{{ $c }}", sample) == "10")
        #expect(throws: TemplateError.self) { try render("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}") }
    }

    @Test func parenthesizedPipelinesTakeFields() throws {
        #expect(try render("{{ (dict \"a\" (dict \"b\" \"c\")).a.b }}") == "c")
        #expect(try render("{{ (index .list 1) }}", sample) == "b")
    }

    @Test func literals() throws {
        #expect(try render(#"{{ "a\tb\u00e9\x41\101" }}"#) == "a\tbéAA")
        #expect(try render("{{ `raw \\n {{ not an action }}` }}") == "raw \\n {{ not an action }}")
        #expect(try render("{{ 42 }} {{ -7 }} {{ 0x1F }} {{ 0o17 }} {{ 1_000 }}") == "42 -7 31 15 1000")
        #expect(try render("{{ 1.5 }} {{ 2.0 }} {{ 1e6 }} {{ 123456.0 }} {{ 0.00001 }}") == "1.5 2 1e+06 123456 1e-05")
        #expect(try render("{{ true }} {{ false }} {{ 'a' }} {{ print nil }}") == "true false 97 <nil>")
    }

    @Test func pipelinesAppendTheValueAsLastArgument() throws {
        #expect(try render("{{ \"abc\" | upper }}") == "ABC")
        #expect(try render("{{ .vars.a | printf \"%s-%s\" \"x\" }}", sample) == "x-A")
        #expect(try render("{{ .vars.a | lower | repeat 2 | printf \"<%s>\" }}", sample) == "<aa>")
    }

    @Test func printingFollowsGoPercentV() throws {
        let data: Value = .map([
            "m": .map(["b": .int(2), "a": .list([.int(1), .string("x")])]),
            "l": .list([.string("a"), .int(1), .bool(true), .null, .double(2.0), .double(0.5)]),
            "n": .null, "d": .double(1.5), "e": .map([:]),
        ])
        #expect(try render("{{ .m }}|{{ .l }}|{{ .n }}|{{ .d }}|{{ .e }}", data)
                == "map[a:[1 x] b:2]|[a 1 true <nil> 2 0.5]|<no value>|1.5|map[]")   // a null field is Go's nil interface
    }

    @Test func taggedValuesActLikeTheirContent() throws {
        let data: Value = .map(["t": .tagged("!append", .list([.string("x"), .string("y")])),
                                "m": .tagged("!custom", .map(["k": .string("v")]))])
        #expect(try render("{{ .t }} {{ range .t }}{{ . }}{{ end }} {{ len .t }} {{ .m.k }} {{ toJson .t }}", data)
                == "[x y] xy 2 v [\"x\",\"y\"]")
    }

    @Test func timesPrintInTheConfiguredZone() throws {
        let options = TemplateOptions(now: { Date(timeIntervalSince1970: 1_700_000_000.25) }, timeZone: TimeZone(identifier: "UTC")!)
        #expect(try render("{{ now }}", .emptyMap, options) == "2023-11-14 22:13:20.25 +0000 UTC")
    }
}

@Suite struct TemplateControlFlowTests {
    @Test func ifElseIfElse() throws {
        let t = try GoTemplate("{{ if eq .n 1 }}one{{ else if eq .n 2 }}two{{ else }}many{{ end }}")
        #expect(try t.render(.map(["n": .int(1)])) == "one")
        #expect(try t.render(.map(["n": .int(2)])) == "two")
        #expect(try t.render(.map(["n": .int(5)])) == "many")
    }

    @Test func truthinessFollowsGo() throws {
        let t = try GoTemplate("{{ if . }}T{{ else }}F{{ end }}")
        let cases: [(Value, String)] = [
            (.string(""), "F"), (.string("x"), "T"), (.int(0), "F"), (.int(2), "T"), (.double(0), "F"),
            (.bool(false), "F"), (.bool(true), "T"), (.null, "F"), (.list([]), "F"), (.list([.null]), "T"),
            (.map([:]), "F"), (.map(["a": .null]), "T"),
        ]
        for (value, expected) in cases { #expect(try t.render(value) == expected, "\(value)") }
        #expect(try render("{{ if .vars.nope }}T{{ else }}F{{ end }}", sample, .init(missingKey: .noValue)) == "F")
    }

    @Test func rangeOverListsWithIndexAndElse() throws {
        #expect(try render("{{ range .list }}[{{ . }}]{{ end }}", sample) == "[a][b]")
        #expect(try render("{{ range $i, $v := .list }}{{ $i }}={{ $v }};{{ end }}", sample) == "0=a;1=b;")
        #expect(try render("{{ range $v := .list }}{{ $v }}{{ end }}", sample) == "ab")
        #expect(try render("{{ range .none }}x{{ else }}none{{ end }}", sample) == "none")
        #expect(try render("{{ range 3 }}{{ . }}{{ end }}") == "012")
    }

    @Test func rangeOverMapsIsInSortedKeyOrder() throws {
        #expect(try render("{{ range $k, $v := .m }}{{ $k }}:{{ $v }},{{ end }}", sample) == "a:1,b:2,")
        #expect(try render("{{ range .m }}{{ . }}{{ end }}", sample) == "12")
    }

    @Test func breakAndContinue() throws {
        let text = "{{ range .nums }}{{ if eq . 3 }}{{ break }}{{ end }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}"
        #expect(try render(text, sample) == "02")
    }

    @Test func withSetsDotAndHasElse() throws {
        #expect(try render("{{ with .vars.a }}<{{ . }}>{{ else }}none{{ end }}", sample) == "<A>")
        #expect(try render("{{ with .vars.empty }}<{{ . }}>{{ else }}none{{ end }}", sample) == "none")
        #expect(try render("{{ with .vars.empty }}x{{ else with .vars.b }}{{ . }}{{ end }}", sample) == "B")
    }

    @Test func rangeOverNilFailsButMissingIsEmpty() throws {
        #expect(throws: TemplateError.self) { try render("{{ range .nothing }}x{{ end }}", sample) }
        #expect(throws: TemplateError.self) { try render("{{ range .name }}x{{ end }}", sample) }
        #expect(try render("{{ range .vars.nope }}x{{ else }}e{{ end }}", sample, .init(missingKey: .noValue)) == "e")
    }
}
