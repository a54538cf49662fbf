import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

fileprivate func render(_ text: String, _ data: Value = .emptyMap, _ options: TemplateOptions = .init()) throws -> String {
    try GoTemplate(text).render(data, options: options)
}

fileprivate let data: Value = .map([
    "list": .list([.string("a"), .string("b"), .string("c")]),
    "m": .map(["a": .int(1), "b": .int(2)]),
    "nested": .map(["k": .list([.string("x"), .string("y")])]),
    "stage": .string("prod"),
])

@Suite struct TemplateBuiltinFunctionTests {
    @Test func andOrReturnTheDecidingValueAndShortCircuit() throws {
        #expect(try render("{{ and 1 0 \"x\" }}|{{ and 1 2 }}|{{ or 0 \"\" \"x\" }}|{{ or 0 \"\" }}") == "0|2|x|")
        #expect(try render("{{ or true (fail \"not evaluated\") }}") == "true")
        #expect(try render("{{ not 0 }} {{ not \"a\" }}") == "true false")
    }

    @Test func comparisons() throws {
        #expect(try render("{{ eq .stage \"dev\" \"prod\" }} {{ eq 1 2 }} {{ ne 1 2 }}", data) == "true false true")
        #expect(try render("{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 2.5 }}") == "true true true false")
        #expect(try render("{{ eq nil nil }} {{ eq .missing \"x\" }}", data, .init(missingKey: .noValue)) == "true false")
        #expect(throws: TemplateError.self) { try render("{{ eq 1 \"1\" }}") }
        #expect(throws: TemplateError.self) { try render("{{ lt 1 2.5 }}") }
    }

    @Test func lenIndexSlice() throws {
        #expect(try render("{{ len \"héllo\" }} {{ len .list }} {{ len .m }}", data) == "6 3 2")
        #expect(try render("{{ index .list 1 }} {{ index .m \"b\" }} {{ index .nested \"k\" 1 }} {{ index .m \"zz\" }}", data)
                == "b 2 y <no value>")   // Go unwraps the nil interface `index` returns
        // Sprig's `slice` replaces Go's builtin in atmos's function map: lists only.
        #expect(try render("{{ slice .list 1 }} {{ slice .list }} {{ slice .list 1 2 }}", data) == "[b c] [a b c] [b]")
        #expect(throws: TemplateError.self) { try render("{{ slice \"abcdef\" 1 3 }}") }
        #expect(throws: TemplateError.self) { try render("{{ index .list 5 }}", data) }
    }

    @Test func printFunctions() throws {
        #expect(try render("{{ print 1 2 \"a\" 3 }}") == "1 2a3")
        #expect(try render("{{ println \"a\" 1 }}") == "a 1\n")
        let format = "{{ printf \"%s=%d %v %q %t %.2f %f %x %5s|%-4d|%05d %%\" \"k\" 42 .list \"q\" true 3.14159 1.5 255 \"ab\" 7 42 }}"
        #expect(try render(format, data) == "k=42 [a b c] \"q\" true 3.14 1.500000 ff    ab|7   |00042 %")
        #expect(try render("{{ printf \"%d %s\" \"x\" }}") == "%!d(string=x) %!s(MISSING)")
        #expect(try render("{{ printf \"%v-%v\" 1.0 .m }}", data) == "1-map[a:1 b:2]")
        #expect(try render("{{ printf \"%5.1f|%+d|%x|%08.3f|%q|%c|%e|%T|%T\" 3.14159 5 -255 3.14159 65 66 1234.5678 .stage .m }}", data)
                == "  3.1|+5|-ff|0003.142|'A'|B|1.234568e+03|string|map[string]interface {}")
    }

    @Test func escapers() throws {
        #expect(try render(#"{{ html "<a href=\"x\">&'" }}"#) == "&lt;a href=&#34;x&#34;&gt;&amp;&#39;")
        #expect(try render(#"{{ js "it's <b>" }}"#) == #"it\'s \u003Cb\u003E"#)
        #expect(try render(#"{{ urlquery "a b&c=d/é" }}"#) == "a+b%26c%3Dd%2F%C3%A9")
    }
}

@Suite struct TemplateSprigFunctionTests {
    @Test func defaultsAndFlow() throws {
        let lenient = TemplateOptions(missingKey: .noValue)
        #expect(try render("{{ .nope | default \"x\" }}|{{ \"\" | default \"x\" }}|{{ \"y\" | default \"x\" }}|{{ 0 | default 5 }}", data, lenient)
                == "x|x|y|5")
        #expect(try render("{{ empty \"\" }} {{ empty .list }} {{ empty 0 }} {{ empty \"a\" }}", data) == "true false true false")
        #expect(try render("{{ coalesce \"\" 0 \"x\" \"y\" }}|{{ coalesce \"\" }}") == "x|<no value>")
        #expect(try render("{{ ternary \"yes\" \"no\" true }} {{ false | ternary \"yes\" \"no\" }}") == "yes no")
        #expect(try render("{{ required \"need it\" .stage }}", data) == "prod")
    }

    @Test func stringFunctions() throws {
        #expect(try render("{{ upper \"abc\" }} {{ lower \"ÀB\" }} {{ title \"hello wide-world foo_bar\" }}")
                == "ABC àb Hello Wide-World Foo_bar")
        #expect(try render("[{{ trim \"  x \\n\" }}] {{ trimAll \"$\" \"$5.00$\" }} {{ trimPrefix \"-\" \"--a\" }} {{ trimSuffix \".yaml\" \"a.yaml\" }}")
                == "[x] 5.00 -a a")
        #expect(try render("{{ \"a-b-c\" | replace \"-\" \"_\" }} {{ contains \"cat\" \"catch\" }} {{ hasPrefix \"cat\" \"catch\" }} {{ hasSuffix \"x\" \"catch\" }}")
                == "a_b_c true true false")
        #expect(try render("{{ (split \"$\" \"foo$bar\")._1 }} {{ split \",\" \"a,b\" }} {{ splitList \",\" \"a,b,c\" }}")
                == "bar map[_0:a _1:b] [a b c]")
        #expect(try render("{{ join \"-\" .list }} {{ list 1 \"a\" nil 2.5 | join \",\" }}", data) == "a-b-c 1,a,2.5")
        #expect(try render(#"{{ quote "a\"b" 1 }} {{ squote "a" 1 }} {{ cat "a" 1 nil "b" }}"#) == #""a\"b" "1" 'a' '1' a 1 b"#)
        #expect(try render("{{ indent 2 \"a\\nb\" }}|{{ nindent 2 \"a\" }}") == "  a\n  b|\n  a")
        #expect(try render("{{ trunc 3 \"abcdef\" }} {{ trunc -2 \"abcdef\" }} {{ trunc 9 \"ab\" }} {{ repeat 3 \"ab\" }}")
                == "abc ef ab ababab")
        #expect(try render("{{ toString .list | printf \"%q\" }} {{ toString 2.5 }}", data) == "\"[a b c]\" 2.5")
    }

    @Test func dictsAndLists() throws {
        let text = "{{ $d := dict \"b\" 2 \"a\" 1 }}{{ $d }} {{ get $d \"a\" }} [{{ get $d \"zz\" }}] {{ hasKey $d \"b\" }} {{ keys $d }} {{ values $d }}"
        #expect(try render(text) == "map[a:1 b:2] 1 [] true [a b] [1 2]")
        #expect(try render("{{ $d := dict }}{{ $_ := set $d \"k\" \"v\" }}{{ $d.k }}{{ $d = unset $d \"k\" }}{{ len $d }}") == "v0")
        #expect(try render("{{ list \"b\" \"c\" \"a\" | sortAlpha }} {{ list 1 2 1 \"a\" \"a\" | uniq }}") == "[a b c] [1 2 a]")
        #expect(try render("{{ first .list }} {{ last .list }} {{ first (list) }}", data) == "a c <no value>")
        #expect(try render("{{ append .list \"d\" }} {{ concat (list 1) (list 2 3) }} {{ list }}", data) == "[a b c d] [1 2 3] []")
        #expect(throws: TemplateError.self) { try render("{{ first \"abc\" }}") }
    }

    @Test func jsonAndYaml() throws {
        let x: Value = .map(["x": .map([
            "b": .list([.int(1), .string("two"), .null, .bool(true)]),
            "a": .map(["c": .double(1.5), "d": .double(3.0)]),
            "h": .string("<&>\"\n"),
        ])])
        #expect(try render("{{ toJson .x }}", x) == #"{"a":{"c":1.5,"d":3},"b":[1,"two",null,true],"h":"\u003c\u0026\u003e\"\n"}"#)
        #expect(try render("{{ toPrettyJson (dict \"a\" (list 1 2) \"b\" (dict)) }}") == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
        let y: Value = .map(["y": .map([
            "name": .string("app"), "ports": .list([.int(80), .int(443)]),
            "meta": .map(["enabled": .bool(true), "note": .string("yes"), "path": .string("a: b")]),
            "items": .list([.map(["k": .string("v"), "n": .int(1)])]),
        ])])
        // yaml.v2 quotes strings YAML 1.1 would read as something else ("n" and "yes" are booleans there).
        #expect(try render("{{ toYaml .y }}", y)
                == "items:\n- k: v\n  \"n\": 1\nmeta:\n  enabled: true\n  note: \"yes\"\n  path: 'a: b'\nname: app\nports:\n- 80\n- 443")
        #expect(try render(#"{{ (fromJson "{\"a\":[1,2.5,\"s\"],\"b\":null}").a }} {{ fromJson "not json" }}"#) == "[1 2.5 s] <no value>")
    }

    @Test func base64AndDigest() throws {
        #expect(try render("{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }}") == "aGVsbG8= hello")
        #expect(try render("{{ sha256sum \"abc\" }}") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try render("{{ sha256sum \"\" }}") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = String(repeating: "a", count: 1000)
        #expect(try render("{{ sha256sum . }}", .string(long)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func math() throws {
        #expect(try render("{{ add 1 2 3 }} {{ add1 5 }} {{ sub 10 4 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 9 3 }} {{ min 4 2 8 }}")
                == "6 6 6 24 3 1 9 2")
        #expect(try render("{{ add \"2\" 3.7 }} {{ int \"42\" }} {{ int64 3.9 }} {{ float64 \"1.5\" }} {{ atoi \"12\" }} {{ atoi \"x\" }}")
                == "5 42 3 1.5 12 0")
        #expect(throws: TemplateError.self) { try render("{{ div 1 0 }}") }
    }

    @Test func regularExpressions() throws {
        #expect(try render("{{ regexMatch \"^[a-z]+$\" \"abc\" }} {{ regexMatch \"^[a-z]+$\" \"ab1\" }} {{ regexFind \"[0-9]+\" \"ab123cd45\" }}")
                == "true false 123")
        #expect(try render("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }} {{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\" }}")
                == "-W-xxW- ---")
    }

    @Test func environmentAndTime() throws {
        let utc = TimeZone(identifier: "UTC")!
        let fixed = TemplateOptions(environment: ["STAGE": "dev"], now: { Date(timeIntervalSince1970: 1_700_000_000.5) }, timeZone: utc)
        #expect(try render("{{ env \"STAGE\" }}-{{ env \"NOPE\" }}", .emptyMap, fixed) == "dev-")
        #expect(try render("{{ now | date \"2006-01-02\" }}", .emptyMap, fixed) == "2023-11-14")
        #expect(try render("{{ date \"Mon Jan _2 15:04:05 MST 2006\" now }}", .emptyMap, fixed) == "Tue Nov 14 22:13:20 UTC 2023")
        #expect(try render("{{ date \"03:04PM Z07:00 .000 .999 January 2\" now }}", .emptyMap, fixed) == "10:13PM Z .500 .5 November 14")
        #expect(try render("{{ date \"2006\" 0 }}", .emptyMap, fixed) == "1970")
        var plusTwo = fixed
        plusTwo.timeZone = TimeZone(secondsFromGMT: 7200)!
        #expect(try render("{{ now | date \"2006-01-02T15:04:05Z07:00 -0700\" }}", .emptyMap, plusTwo) == "2023-11-15T00:13:20+02:00 +0200")
        #expect(try render("{{ date \"MST\" now }}", .emptyMap, plusTwo) == "+0200")
    }
}
