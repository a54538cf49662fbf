import Testing
@testable import KitCore

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

    @Test("overrides never reach components of a sibling import")
    func overridesDoNotLeakToSiblings() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/vpc.yaml": "components: {terraform: {vpc: {vars: {size: small}}}}\n",
            "stacks/catalog/rds.yaml": "components: {terraform: {rds: {vars: {size: small}}}}\n",
            "stacks/teams/network.yaml": "import: [catalog/vpc]\noverrides: {vars: {size: large}}\n",
            "stacks/deploy/dev.yaml": "import: [teams/network, catalog/rds]\n",
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "vpc", stack: "deploy/dev").vars["size"] == "large")
        #expect(try catalog.find(component: "rds", stack: "deploy/dev").vars["size"] == "small")
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
