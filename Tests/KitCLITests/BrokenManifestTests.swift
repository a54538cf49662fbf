import Foundation
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

/// `--diagnostics json`: one JSON object per line, the location, stack and component as fields.
@Suite("diagnostics as JSON")
struct DiagnosticsJSONTests {
    static func lines(_ stderr: String) throws -> [[String: Any]] {
        try stderr.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    @Test("a broken manifest in list stacks is a warning with file, line, column and stack")
    func brokenManifestWarning() throws {
        let repo = try FixtureRepository("malformed-yaml")
        let run = try repo.run(["list", "stacks", "--diagnostics", "json"])
        #expect(run.exitCode == 0)
        #expect(run.stdout == "acme-dev\n")
        let lines = try Self.lines(run.stderr)
        #expect(lines.count == 1, "\(run.stderr)")
        let d = try #require(lines.first)
        #expect(d["severity"] as? String == "warning")
        #expect(d["file"] as? String == "stacks/orgs/acme/prod.yaml")
        #expect(d["line"] as? Int == 11)
        #expect(d["column"] as? Int == 13)
        #expect(d["stack"] as? String != nil, "\(d)")
        #expect((d["message"] as? String)?.hasPrefix("malformed YAML: ") == true, "\(d)")
    }

    @Test("an error kit stops on names its component and stack as fields; text mode renders the same line as before")
    func stoppingError() throws {
        let repo = try FixtureRepository("malformed-yaml")
        let json = try repo.run(["describe", "component", "nope", "-s", "acme-dev", "--diagnostics", "json"])
        #expect(json.exitCode == 1)
        let d = try #require(try Self.lines(json.stderr).first)
        #expect(d["severity"] as? String == "error")
        #expect(d["component"] as? String == "nope", "\(d)")
        #expect(d["stack"] as? String == "acme-dev", "\(d)")
        let text = try repo.run(["describe", "component", "nope", "-s", "acme-dev"])
        #expect(text.stderr == "error: \(d["message"] as? String ?? "")\n")
    }
}
