import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The error `text` fails with (parse or render), or nil when it renders.
fileprivate func failure(_ text: String, _ data: Value = .emptyMap,
                         _ options: TemplateOptions = .init()) -> TemplateError? {
    do {
        _ = try GoTemplate(text).render(data, options: options)
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        return TemplateError(line: 0, column: 0, message: "unexpected error type: \(error)")
    }
}

fileprivate let vars: Value = .map(["vars": .map(["tenant": .string("acme"), "nothing": .null])])

@Suite struct TemplateParseErrorTests {
    @Test(arguments: [
        ("{{ if .x }}{{ bcrypt .v }}{{ end }}",
         "1:15: function 'bcrypt' is not supported by kit's template engine: kit has no vetted implementation of this cipher or password hash"),
        ("{{ nosuchfunction 1 }}", "1:4: function 'nosuchfunction' is not supported by kit's template engine"),
        ("a: 1\nb: {{ .x | nosuch }}", "2:12: function 'nosuch' is not supported by kit's template engine"),
        ("{{ call .f }}", "1:4: function 'call' is not supported by kit's template engine"),
        ("{{ strings.ToUpper .x }}", "1:4: function 'strings.ToUpper' is not supported by kit's template engine"),
        ("{{ atmos.Store \"ssm\" .stack \"vpc\" \"id\" }}",
         "1:4: function 'atmos.Store' is not supported yet by kit's template engine"),
        ("{{ define \"x\" }}{{ end }}", "1:4: 'define' is not supported by kit's template engine"),
        ("{{ template \"x\" }}", "1:4: 'template' is not supported by kit's template engine"),
        ("{{ block \"x\" . }}{{ end }}", "1:4: 'block' is not supported by kit's template engine"),
        ("line1\nab {{ .x ", "2:4: unclosed action"),
        ("é {{ .x", "1:3: unclosed action"),
        ("{{ .x | 3 }}", "1:9: non executable command in pipeline stage 2"),
        ("{{ \"a\" \"b\" }}", "1:4: can't give argument to non-function \"a\""),
        ("{{ | upper }}", "1:4: empty command"),
        ("{{ .x | }}", "1:7: missing command after '|'"),
        ("{{ .a 1 }}", "1:4: 'a' is not a method but has arguments"),
        ("{{ nil }}", "1:4: nil is not a command"),
        ("{{ \"abc }}", "1:4: unterminated quoted string"),
        ("{{ `abc }}", "1:4: unterminated raw quoted string"),
        ("{{/* abc }}", "1:3: unclosed comment"),
        ("{{ end }}", "1:4: unexpected {{end}}"),
        ("{{ else }}", "1:4: unexpected {{else}}"),
        ("{{ if .x }}a", "1:4: unexpected EOF: {{if}} has no {{end}}"),
        ("{{ break }}", "1:4: {{break}} outside {{range}}"),
        ("{{ $x }}", "1:4: undefined variable \"$x\""),
        ("{{ 1abc }}", "1:4: bad number syntax: '1abc'"),
        ("{{ .x ) }}", "1:7: unexpected right paren"),
        ("{{ (.x }}", "1:8: unclosed left paren"),
        ("{{ # }}", "1:4: unrecognized character in action: '#'"),
    ])
    func parseErrorsNameTheProblemWithLineAndColumn(text: String, expected: String) throws {
        do {
            _ = try GoTemplate(text)
            Issue.record("expected a parse error for \(text)")
        } catch let error as TemplateError {
            #expect(error.description == expected)
        }
    }
}

@Suite struct TemplateRenderErrorTests {
    @Test func missingKeyFailsByDefault() throws {
        let error = try #require(failure("{{ .vars.tenant }}-{{ .vars.missing_key }}", vars))
        #expect(error.line == 1)
        #expect(error.column == 23)
        #expect(error.message == "at <.vars.missing_key>: map has no entry for key \"missing_key\"")
        #expect(error.description == "1:23: at <.vars.missing_key>: map has no entry for key \"missing_key\"")
    }

    @Test func missingKeyRendersNoValueWhenAllowed() throws {
        let lenient = TemplateOptions(missingKey: .noValue)
        let t = try GoTemplate("{{ .vars.tenant }}-{{ .vars.missing_key }}-{{ .vars.missing.deeper }}")
        #expect(try t.render(vars, options: lenient) == "acme-<no value>-<no value>")
    }

    @Test(arguments: [
        ("{{ fail \"boom\" }}", "1:4: at <fail>: error calling fail: boom"),
        ("{{ upper 5 }}", "1:4: at <upper>: wrong type for value; expected string; got int"),
        ("{{ upper \"a\" \"b\" }}", "1:4: at <upper>: wrong number of args for upper: want 1 got 2"),
        ("x\n  {{ .vars.tenant.x }}", "2:6: at <.vars.tenant.x>: can't evaluate field x in type string"),
        ("{{ .vars.nothing.y }}", "1:4: at <.vars.nothing.y>: nil pointer evaluating interface {}.y"),
        ("{{ eq 1 \"1\" }}", "1:4: at <eq>: error calling eq: incompatible types for comparison"),
        ("{{ index .vars 1 }}", "1:4: at <index>: error calling index: value has type int; should be string"),
        ("{{ len 3 }}", "1:4: at <len>: error calling len: len of type int"),
        ("{{ range .vars.tenant }}{{ end }}", "1:10: range can't iterate over acme"),
    ])
    func renderErrorsNameTheProblemWithLineAndColumn(text: String, expected: String) throws {
        let error = try #require(failure(text, vars))
        #expect(error.description == expected)
    }

    @Test func requiredFailsOnMissingValues() throws {
        let error = try #require(failure("{{ required \"tenant is required\" .vars.nope }}", vars, .init(missingKey: .noValue)))
        #expect(error.message == "at <required>: error calling required: tenant is required")
        #expect(failure("{{ required \"x\" .vars.tenant }}", vars) == nil)
    }
}
