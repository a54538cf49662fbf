import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// atmos's `provision` section: the type-level one, the base chain's and the component's own, merged
/// in that order (no stack-wide layer, no `overrides`), kept for the types atmos keeps it for.
@Suite struct ProvisionSectionTests {
    @Test func mergesTypeLevelBaseChainAndOwn() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": """
            provision: {ignored: stack-wide}
            terraform:
              provision: {workdir: {enabled: false, root: type}, from_type: 1}
            components:
              terraform:
                base:
                  metadata: {type: abstract}
                  provision: {workdir: {root: base}, from_base: 2}
                app:
                  metadata: {inherits: [base]}
                  provision: {workdir: {enabled: true}}
                  overrides: {provision: {ignored: overrides}}
            """])
        let c = try repo.component("app", "deploy/dev")
        #expect(c.provision == ["workdir": ["enabled": true, "root": "base"], "from_type": 1, "from_base": 2])
        let doc = ComponentDocument.sections(c)
        #expect(doc["provision"] == .map(c.provision))
        #expect(doc["source"] == .map([:]))
        #expect(doc["component_info"] == ["component_type": "terraform", "component_path": "components/terraform/app"])
        // Templates, plugins and validation still see the type; describe stacks' entry does not print it.
        #expect(doc["component_type"] == "terraform")
        #expect(ComponentDocument.stacksEntry(c)["component_type"] == nil)
        #expect(ComponentDocument.stacksEntry(c)["component_info"] == doc["component_info"])
    }

    @Test func componentPathWalksUpLikeAtmos() {
        #expect(ShellText.relativePath(from: "/r/tests/fixtures/scenarios/relative-paths", to: "/r/tests/fixtures/components/terraform") == "../../components/terraform")
        #expect(ShellText.relativePath(from: "/r", to: "/r/components/terraform") == "components/terraform")
        #expect(ShellText.relativePath(from: "/r", to: "/r") == ".")
        #expect(ShellText.relativePath(from: "/r/a", to: "/other/x") == "../../other/x")
    }
}
