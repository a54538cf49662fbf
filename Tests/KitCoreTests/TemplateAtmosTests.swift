import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The atmos cases from the semantics reference (§6.1, §7, §3.2, §12.2, edge cases 10 and 30).
@Suite struct TemplateAtmosTests {
    let component: Value = .map([
        "vars": .map(["tenant": .string("acme"), "environment": .string("ue2"), "stage": .string("dev"),
                      "x": .map(["cidr": .string("10.0.0.0/16"), "azs": .list([.string("a"), .string("b")]), "n": .int(2)])]),
        "settings": .map(["enabled": .bool(true)]),
        "atmos_component": .string("vpc"),
    ])

    @Test func nameTemplate() throws {
        let t = try GoTemplate("{{.vars.tenant}}-{{.vars.environment}}-{{.vars.stage}}", name: "name_template")
        #expect(try t.render(component) == "acme-ue2-dev")
    }

    @Test func nameTemplateWithMissingKey() throws {
        let t = try GoTemplate("{{ .vars.tenant }}-{{ .vars.missing_key }}")
        #expect(throws: TemplateError.self) { try t.render(component) }
        #expect(try t.render(component, options: .init(missingKey: .noValue)) == "acme-<no value>")
    }

    @Test func importPathWithContext() throws {
        let t = try GoTemplate("catalog/{{ .flavor }}/vpc")
        #expect(try t.render(.map(["flavor": .string("blue")])) == "catalog/blue/vpc")
    }

    @Test func templatedManifestText() throws {
        let text = """
        vars:
          calculated: {{ add 5 10 }}
          generated: "{{ now | date "2006-01-02" }}"
          {{- range $i, $az := .vars.x.azs }}
          az_{{ $i }}: {{ $az | upper }}
          {{- end }}
        """
        let options = TemplateOptions(now: { Date(timeIntervalSince1970: 1_700_000_000) }, timeZone: TimeZone(identifier: "UTC")!)
        let rendered = try GoTemplate(text, name: "catalog/eks.yaml.tmpl").render(component, options: options)
        #expect(rendered == "vars:\n  calculated: 15\n  generated: \"2023-11-14\"\n  az_0: A\n  az_1: B")
    }

    @Test func escapedActionRendersLiterally() throws {
        #expect(try GoTemplate("name: {{`{{ .atmos_component }}`}}").render(component) == "name: {{ .atmos_component }}")
    }

    @Test func toJsonIsCompactWithSortedKeys() throws {
        #expect(try GoTemplate("{{ toJson .vars.x }}").render(component)
                == #"{"azs":["a","b"],"cidr":"10.0.0.0/16","n":2}"#)
    }

    @Test func workspaceTemplateUsesSettings() throws {
        let t = try GoTemplate("{{ if .settings.enabled }}{{ .vars.environment }}-{{ .vars.stage }}{{ else }}off{{ end }}")
        #expect(try t.render(component) == "ue2-dev")
    }

    /// One parsed template rendered many times gives the same text every time (no state leaks between
    /// renders). Its speed is not asserted here: timed assertions flake on a shared machine.
    @Test func repeatedRendersAreStable() throws {
        let t = try GoTemplate("{{.vars.tenant}}-{{.vars.stage}}")
        let iterations = 20_000
        var length = 0
        for _ in 0..<iterations { length &+= try t.render(component).utf8.count }
        #expect(length == iterations * "acme-dev".utf8.count)
    }
}
