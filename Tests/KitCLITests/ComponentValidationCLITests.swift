import Testing

/// `settings.validation` is never ignored (issue 9). Fixture `atmos-validation`: `vpc` has a JSON Schema
/// (2020-12, `$ref` to `$defs`); it is valid in `dev` and breaks four rules in `prod`; `rds` has an OPA policy.
@Suite("settings.validation")
struct ComponentValidationCLITests {
    static let noPlugins = ["KIT_NO_PLUGINS": "1"]

    @Test("validate component passes a valid component")
    func valid() throws {
        let repo = try FixtureRepository("atmos-validation")
        let run = try repo.run(["validate", "component", "vpc", "-s", "dev"], environment: Self.noPlugins)
        #expect(run.exitCode == 0)
        #expect(run.stderr == "note: validated 'vpc' in 'dev' with 1 JSON Schema(s) and no plugins: 0 error(s), 0 other finding(s)\n")
    }

    @Test("validate component lists every violation and exits 1")
    func invalid() throws {
        let repo = try FixtureRepository("atmos-validation")
        let run = try repo.run(["validate", "component", "vpc", "-s", "prod"], environment: Self.noPlugins)
        #expect(run.exitCode == 1)
        #expect(run.errorLines.count == 4)
        Golden.check(Golden.transcript(run, in: repo), named: "atmos-validation-validate-component-vpc-prod")
    }

    @Test("terraform refuses to run a component that fails its validation")
    func terraformRefuses() throws {
        let repo = try FixtureRepository("atmos-validation")
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "prod", "--dry-run"], environment: Self.noPlugins)
        #expect(run.exitCode == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.last == "error: component 'vpc' in stack 'prod' failed its settings.validation (4 problem(s)); terraform was not run — fix the configuration, or set 'disabled: true' on the validation entry")
    }

    @Test("an OPA policy is a warning naming the policy file, never a silent pass")
    func opaWarning() throws {
        let repo = try FixtureRepository("atmos-validation")
        let run = try repo.run(["validate", "component", "rds", "-s", "dev"], environment: Self.noPlugins)
        #expect(run.exitCode == 0)
        #expect(run.stderr.hasPrefix("warning: component 'rds' in stack 'dev': OPA policy 'stacks/schemas/opa/rds/validate-rds-component.rego' (settings.validation.check-rds-component-config-with-opa-policy) is not evaluated"))
        let plan = try repo.run(["terraform", "plan", "rds", "-s", "dev", "--dry-run"], environment: Self.noPlugins)
        #expect(plan.exitCode == 0)
        #expect(plan.stderr.contains("OPA policy 'stacks/schemas/opa/rds/validate-rds-component.rego'"))
    }
}
