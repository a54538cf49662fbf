import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// File-scoped `overrides` (reference §2.4, edge cases 13–15; atmos fixture `atmos-overrides-section`).
@Suite struct OverridesTests {
    /// `catalog/c1` defines `vars.test {a,b,c,d}`; team1 and team2 import it with their overrides.
    static let files: [String: String] = [
        "stacks/catalog/c1.yaml": """
        components:
          terraform:
            c1:
              vars:
                test: {a: a, b: b, c: c, d: d}
        """,
        "stacks/teams/team1.yaml": """
        import: [catalog/c1]
        terraform:
          overrides:
            vars:
              test: {a: a-team1, b: b-team1, c: c-team1}
        """,
        "stacks/teams/team2.yaml": """
        import: [catalog/c1]
        terraform:
          overrides:
            vars:
              test: {a: a-team2, b: b-team2}
        """,
        "stacks/deploy/sandbox.yaml": "import: [teams/team1, teams/team2]\n",
        "stacks/deploy/staging.yaml": """
        import: [teams/team1, teams/team2]
        terraform:
          overrides:
            vars:
              test: {a: a-staging}
        """,
        "stacks/deploy/test.yaml": """
        import: [teams/team1]
        overrides:
          vars:
            test: {a: a-test, b: b-test}
        terraform:
          overrides:
            vars:
              test: {a: a-test-2}
        """,
    ]

    static let expectations: [(String, Value)] = [
        ("deploy/sandbox", ["a": "a-team2", "b": "b-team2", "c": "c-team1", "d": "d"]),
        ("deploy/staging", ["a": "a-staging", "b": "b-team2", "c": "c-team1", "d": "d"]),
        ("deploy/test", ["a": "a-test-2", "b": "b-test", "c": "c-team1", "d": "d"]),
    ]

    @Test("13–15: overrides apply to the importing file's subtree; the importer wins", arguments: expectations)
    func overridesSection(_ stack: String, _ expected: Value) throws {
        let c = try FixtureRepo(Self.files).component("c1", stack)
        #expect(c.vars["test"] == expected)
    }

    /// atmos passes the overrides collected from earlier imports down into later imports
    /// (`parentTerraformOverridesImports`), so an import listed after an overriding file is affected
    /// and one listed before it is not; the importer's own components are affected too.
    @Test("overrides reach the importer and later imports, never earlier ones (atmos code)")
    func overridesAndImportOrder() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/vpc.yaml": "components: {terraform: {vpc: {vars: {size: small}}}}\n",
            "stacks/catalog/rds.yaml": "components: {terraform: {rds: {vars: {size: small}}}}\n",
            "stacks/catalog/eks.yaml": "components: {terraform: {eks: {vars: {size: small}}}}\n",
            "stacks/teams/network.yaml": "import: [catalog/vpc]\noverrides: {vars: {size: large}}\n",
            "stacks/deploy/dev.yaml": """
            import: [catalog/rds, teams/network, catalog/eks]
            components: {terraform: {app: {vars: {size: small}}}}
            """,
        ])
        let catalog = try repo.catalog()
        let size = { (name: String) in try catalog.find(component: name, stack: "deploy/dev").vars["size"] }
        #expect(try size("vpc") == "large")
        #expect(try size("rds") == "small")
        #expect(try size("eks") == "large")
        #expect(try size("app") == "large")
    }

    @Test("overrides in a stack file do not reach a different stack file importing the same catalog")
    func overridesStayInTheirStack() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/vpc.yaml": "components: {terraform: {vpc: {vars: {size: small}}}}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/vpc]\noverrides: {vars: {size: large}}\n",
            "stacks/deploy/prod.yaml": "import: [catalog/vpc]\n",
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "vpc", stack: "deploy/dev").vars["size"] == "large")
        #expect(try catalog.find(component: "vpc", stack: "deploy/prod").vars["size"] == "small")
    }

    @Test("overrides outrank the component's own vars and the component sees them in its overrides section")
    func overridesAreTheHighestLayer() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/dev.yaml": """
            overrides: {vars: {size: large}, env: {TF_LOG: DEBUG}}
            components: {terraform: {vpc: {vars: {size: small}, env: {TF_LOG: INFO}}}}
            """,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["size"] == "large")
        #expect(c.env["TF_LOG"] == "DEBUG")
        #expect(c.overrides == ["vars": ["size": "large"], "env": ["TF_LOG": "DEBUG"]])
    }
}
