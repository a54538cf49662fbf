import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The component template pass (reference §12.2 (b)): string values with template actions are
/// rendered with the component's document when `templates.settings.enabled`.
@Suite struct ComponentTemplateTests {
    static let stack = """
        vars:
          tenant: plat
          stage: dev
        components:
          terraform:
            vpc:
              vars:
                name: "{{ .vars.tenant }}-{{ .vars.stage }}-{{ .atmos_component }}"
                tags:
                  Workspace: "{{ .workspace }}"
                  Stack: "{{ .atmos_stack }}"
                plain: no actions here
              settings:
                label: "{{ .settings.kind | upper }}"
                kind: network
        """

    @Test func valuesAreRenderedWithTheComponentDocument() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": Self.stack])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["name"] == "plat-dev-vpc")
        #expect(c.vars[path: "tags.Workspace"] == .string(c.workspace))
        #expect(c.vars[path: "tags.Stack"] == "deploy/dev")
        #expect(c.vars["plain"] == "no actions here")
        #expect(c.settings["label"] == "NETWORK")
    }

    @Test func disabledTemplatesLeaveValuesAsWritten() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": Self.stack],
                                   kitYAML: FixtureRepo.kitYAML(extra: "templates:\n  settings:\n    enabled: false"))
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["name"] == "{{ .vars.tenant }}-{{ .vars.stage }}-{{ .atmos_component }}")
    }

    @Test func aMissingKeyIsAnErrorNamingTheStackComponentAndValue() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": """
            components:
              terraform:
                vpc:
                  vars:
                    name: "{{ .vars.nope }}"
            """])
        let message = "\(caught { _ = try repo.component("vpc", "deploy/dev") }.map { "\($0)" } ?? "no error")"
        #expect(message.contains("'vars.name' of component 'vpc' in stack 'deploy/dev'"), "\(message)")
        #expect(message.contains("map has no entry for key \"nope\""), "\(message)")
    }

    @Test func anUnsupportedFunctionIsAnErrorNotAPassThrough() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": """
            components:
              terraform:
                vpc:
                  vars:
                    id: '{{ atmos.Store "ssm" "y" "x" "id" }}'
            """])
        #expect(caught { _ = try repo.component("vpc", "deploy/dev") } != nil)
    }
}
