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
    ])
    func golden(arguments: [String], golden: String) throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        Golden.check(Golden.transcript(run, in: repo), named: golden)
    }

    @Test("validate stacks passes the fixture and warns about its deprecated settings.depends_on, with file:line")
    func validateStacks() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["validate", "stacks"])
        #expect(run.exitCode == 0)
        #expect(run.stderr.hasPrefix("warning: stacks/catalog/app.yaml:9:11: 'settings.depends_on' is deprecated"), "\(run.stderr)")
        Golden.check(Golden.transcript(run, in: repo), named: "validate-stacks-clean")
    }
}
