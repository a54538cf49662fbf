import Testing

/// One broken manifest must not take the others down. In the `malformed-yaml` fixture,
/// `orgs/acme/prod.yaml` has a syntax error and `orgs/acme/dev.yaml` is fine.
@Suite("broken manifest isolation")
struct BrokenManifestTests {
    @Test("describe component in a healthy stack succeeds without warnings")
    func describeHealthyStack() throws {
        let repo = try FixtureRepository("malformed-yaml")
        let run = try repo.run(["describe", "component", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        Golden.check(Golden.transcript(run, in: repo), named: "broken-neighbour-describe-component-vpc-acme-dev")
    }

    @Test("list stacks lists the healthy stacks and warns about the broken manifest")
    func listStacksWarns() throws {
        let repo = try FixtureRepository("malformed-yaml")
        let run = try repo.run(["list", "stacks"])
        #expect(run.exitCode == 0)
        #expect(run.stdout == "acme-dev\n")
        #expect(run.errorLines == [])
        #expect(run.stderr.hasPrefix("warning: stacks/orgs/acme/prod.yaml:11:13: "))
        Golden.check(Golden.transcript(run, in: repo), named: "broken-neighbour-list-stacks")
    }

    @Test("generate varfile in a healthy stack succeeds")
    func generateInHealthyStack() throws {
        let repo = try FixtureRepository("malformed-yaml")
        let run = try repo.run(["terraform", "generate", "varfile", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 0)
        #expect(run.errorLines == [])
        #expect(repo.text("components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json") != nil)
    }
}
