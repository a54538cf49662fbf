import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Where values come from (`--provenance`, `deps`, `deps_all`, reference §11.1).
@Suite struct ProvenanceTests {
    static let defaults = """
    vars:
      region: us-east-1
      team: platform
    """
    static let mixin = """
    import: [catalog/_defaults]
    terraform:
      vars:
        region: us-east-2
    """
    static let stack = """
    import: [catalog/mixin]
    components:
      terraform:
        vpc:
          vars:
            region: eu-west-1
    """

    static func repo() throws -> FixtureRepo {
        try FixtureRepo([
            "stacks/catalog/_defaults.yaml": defaults,
            "stacks/catalog/mixin.yaml": mixin,
            "stacks/catalog/unused.yaml": "vars: {unused: true}\n",
            "stacks/deploy/dev.yaml": stack,
        ])
    }

    /// The 1-based line of the first line of `text` containing `needle`.
    static func line(of needle: String, in text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test("a var set in three layers: set_by is the last, overrode the others, with lines")
    func threeLayers() throws {
        let repo = try Self.repo()
        let catalog = try repo.catalog()
        let c = try catalog.find(component: "vpc", stack: "deploy/dev")
        #expect(c.vars["region"] == "eu-west-1")
        let entries = Provenance.compute(c, catalog: catalog, withMarks: true)
        let region = try #require(entries["vars.region"])
        #expect(region.map(\.file) == ["catalog/_defaults.yaml", "catalog/mixin.yaml", "deploy/dev.yaml"])
        #expect(region.map(\.section) == ["vars", "terraform.vars", "components.terraform.vpc.vars"])
        #expect(region.map(\.value) == ["us-east-1", "us-east-2", "eu-west-1"])
        #expect(region.map { $0.mark?.line } == [Self.line(of: "region", in: Self.defaults), Self.line(of: "region", in: Self.mixin),
                                                 Self.line(of: "region", in: Self.stack)])

        let document = Provenance.document(entries, catalog: catalog)
        let l = { (needle: String, text: String) in Self.line(of: needle, in: text) }
        #expect(document["vars.region"] == [
            "value": "eu-west-1",
            "set_by": .string("stacks/deploy/dev.yaml:\(l("region", Self.stack)):17 (components.terraform.vpc.vars)"),
            "overrode": [
                ["at": .string("stacks/catalog/mixin.yaml:\(l("region", Self.mixin)):13 (terraform.vars)"), "value": "us-east-2"],
                ["at": .string("stacks/catalog/_defaults.yaml:\(l("region", Self.defaults)):11 (vars)"), "value": "us-east-1"],
            ],
        ])
        #expect(document["vars.team"]?["overrode"] == [])
    }

    @Test("deps lists files giving a final value; deps_all every contributing file; imports every import")
    func dependencies() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/_defaults.yaml": Self.defaults,
            "stacks/catalog/mixin.yaml": Self.mixin,
            "stacks/catalog/other.yaml": "components: {terraform: {rds: {vars: {x: 1}}}}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/mixin, catalog/other]\n" + Self.stack.split(separator: "\n").dropFirst().joined(separator: "\n"),
        ])
        let catalog = try repo.catalog()
        let c = try catalog.find(component: "vpc", stack: "deploy/dev")
        let document = try ComponentDocument.full(c, catalog: catalog, stackArgument: "deploy/dev", cliArgs: ["describe", "component"])
        #expect(document["imports"] == ["catalog/_defaults", "catalog/mixin", "catalog/other"])
        #expect(document["deps_all"] == ["catalog/_defaults", "catalog/mixin", "deploy/dev"])
        #expect(document["deps"] == ["catalog/_defaults", "deploy/dev"])
        #expect(document["atmos_stack_file"] == "deploy/dev")
        #expect(document["cli_args"] == ["describe", "component"])
    }
}
