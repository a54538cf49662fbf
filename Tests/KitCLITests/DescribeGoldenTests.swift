import Foundation
import Testing

/// Golden tests for `kit describe component` and `kit describe stacks` on the `acme` fixture:
/// two stacks (`acme-dev`, `acme-prod`) built from `orgs/acme/_defaults` (s3 backend, tenant) and
/// catalog files, with an abstract base component (`vpc/defaults`) that `vpc` inherits from.
@Suite("describe goldens")
struct DescribeGoldenTests {
    @Test("describe component (yaml): every key, inherited and overridden vars, s3 backend defaults")
    func describeComponentYAML() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "component", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-component-vpc-acme-dev")
    }

    @Test("describe component --format json")
    func describeComponentJSON() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--format", "json"])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-component-app-acme-prod-json")
    }

    @Test("describe component with -s as a stack file path")
    func describeComponentByFilePath() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "component", "vpc", "-s", "orgs/acme/prod", "--format", "json"])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-component-vpc-by-file-path-json")
    }

    @Test("describe component --provenance names the file:line:col that set each value")
    func describeComponentProvenance() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--provenance"])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-component-vpc-acme-dev-provenance")
    }

    @Test("describe component gives the same vars in yaml and json")
    func describeComponentFormatsAgree() throws {
        let repo = try FixtureRepository("acme")
        let json = try repo.run(["describe", "component", "vpc", "-s", "acme-prod", "--format", "json"])
        let yaml = try repo.run(["describe", "component", "vpc", "-s", "acme-prod"])
        #expect(json.exitCode == 0 && yaml.exitCode == 0)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let vars = document?["vars"] as? [String: Any]
        #expect(vars?["cidr"] as? String == "10.1.0.0/16", "prod overrides the catalog cidr")
        #expect(vars?["nat_gateways"] as? Int == 1, "prod keeps the abstract base's nat_gateways")
        #expect(vars?["stage"] as? String == "prod")
        #expect(yaml.stdout.contains("  cidr: 10.1.0.0/16\n"))
        #expect(yaml.stdout.contains("  nat_gateways: 1\n"))
    }

    @Test("describe stacks (yaml): every stack and component, including the abstract one")
    func describeStacks() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "stacks"])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-stacks")
    }

    @Test("describe stacks -s --components --sections --format json")
    func describeStacksFiltered() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "stacks", "-s", "acme-prod", "--components", "app,vpc",
                                "--sections", "vars,backend", "--format", "json"])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-stacks-filtered-json")
    }
}
