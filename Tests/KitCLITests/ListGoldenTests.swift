import Testing

/// Golden tests for `kit list stacks`, `kit list components` and `kit validate stacks` on `acme`.
@Suite("list and validate goldens")
struct ListGoldenTests {
    @Test("list stacks / list components", arguments: [
        (["list", "stacks"], "list-stacks"),
        (["list", "stacks", "--format", "json"], "list-stacks-json"),
        (["list", "stacks", "--format", "yaml"], "list-stacks-yaml"),
        (["list", "stacks", "-c", "app"], "list-stacks-component-app"),
        (["list", "components"], "list-components"),
        (["list", "components", "-s", "acme-prod"], "list-components-acme-prod"),
        (["list", "components", "-s", "acme-dev", "--format", "json"], "list-components-acme-dev-json"),
        (["validate", "stacks"], "validate-stacks-clean"),
    ])
    func golden(arguments: [String], golden: String) throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        Golden.check(Golden.transcript(run, in: repo), named: golden)
    }
}
