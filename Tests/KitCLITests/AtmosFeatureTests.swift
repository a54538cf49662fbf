import Testing

/// kit works like atmos on the features atmos example repositories use (issue 9). Fixture
/// `atmos-features`: `orgs/acme/dev.yaml` has `locals`, imports `catalog/services/svc-*.*` (a `.yaml`, a
/// `.yml` and a `.md` that must be ignored) and a three-level `metadata.inherits` chain with
/// `list_merge_strategy: append`; `vpc` vars come from `!include` of a `.tfvars` file; `svc/api` uses
/// Gomplate namespaces and `expandenv`; `orgs/shared.yaml` has no tenant or stage.
@Suite("atmos features")
struct AtmosFeatureTests {
    static let environment = ["KIT_FEATURES_HOME": "/srv"]

    @Test("describe stacks: every feature resolved, the stack without name tokens named by its file")
    func describeStacks() throws {
        let repo = try FixtureRepository("atmos-features")
        let run = try repo.run(["describe", "stacks", "--sections", "vars"], environment: Self.environment)
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        Golden.check(Golden.transcript(run, in: repo), named: "atmos-features-describe-stacks")
    }

    @Test("a component's append strategy keeps every level of a multi-level metadata.inherits chain")
    func appendAcrossLevels() throws {
        let repo = try FixtureRepository("atmos-features")
        let run = try repo.run(["describe", "component", "svc/stack-strategy", "-s", "acme-dev", "--query", ".vars.allowed", "--format", "json"])
        #expect(run.stdout == "[\n  \"from-level0\",\n  \"from-level1\",\n  \"from-component\"\n]\n")
    }

    @Test("list stacks names a stack whose name_pattern tokens are missing by its file, as atmos does")
    func listStacks() throws {
        let repo = try FixtureRepository("atmos-features")
        let run = try repo.run(["list", "stacks"])
        #expect(run.stdout == "acme-dev\norgs/shared\n")
        #expect(run.stderr.isEmpty)
    }

    @Test("import globs ending in '.*' match .yaml and .yml manifests only")
    func globImports() throws {
        let repo = try FixtureRepository("atmos-features")
        let run = try repo.run(["list", "components", "-s", "acme-dev"])
        #expect(run.stdout.contains("svc/api\tterraform\t1\n") && run.stdout.contains("svc/web\tterraform\t1\n"))
    }

    @Test("!include of a .tfvars file yields data, heredocs and quoted keys included")
    func includeTFVars() throws {
        let repo = try FixtureRepository("atmos-features")
        let run = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--format", "json"])
        #expect(run.exitCode == 0)
        #expect(run.stdout.contains("\"cost-center\": \"1234\""))
        #expect(run.stdout.contains("\"notes\": \"created by terraform\\nkept by kit\\n\""))
        #expect(run.stdout.contains("\"subnets\": 4"))
    }

    @Test("a .tfvars file with an expression is an error naming its line and column")
    func includeTFVarsExpression() throws {
        let repo = try FixtureRepository("atmos-features")
        try "cidr = var.base_cidr\n".write(to: repo.root.appendingPathComponent("components/terraform/vpc/envs/dev.tfvars"), atomically: true, encoding: .utf8)
        let run = try repo.run(["describe", "component", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines.first?.contains("in !include 'components/terraform/vpc/envs/dev.tfvars' at 1:8: 'var.base_cidr' is an expression") == true)
    }

    @Test("Gomplate functions are unknown unless templates.settings.gomplate.enabled")
    func gomplateDisabled() throws {
        let repo = try FixtureRepository("atmos-features")
        let config = repo.root.appendingPathComponent("atmos.yaml")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "    gomplate:\n      enabled: true\n", with: "")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let run = try repo.run(["describe", "component", "svc/api", "-s", "acme-dev"])
        #expect(run.exitCode == 1)
        // The first template rendered fails; which one depends on map order, so any Gomplate function.
        let line = run.errorLines.first ?? ""
        #expect(line.contains("is not supported by kit's template engine"))
        #expect(["'strings.ToUpper'", "'math.Add'", "'file.Read'", "'env.Getenv'"].contains(where: line.contains))
    }
}
