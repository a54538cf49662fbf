import Foundation
import Testing

/// Secrets and hostile input through the real binary (docs/hostile-input.md).
@Suite("hostile input and secrets")
struct HostileInputCLITests {
    /// The acme fixture with a `sensitive = true` variable set in acme-dev.
    func repoWithSecret() throws -> FixtureRepository {
        let repo = try FixtureRepository("acme")
        let tf = repo.root.appendingPathComponent("components/terraform/vpc/secrets.tf")
        try "variable \"db_password\" {\n  type      = string\n  sensitive = true # never print\n}\nvariable \"plain\" { sensitive = false }\n"
            .write(to: tf, atomically: true, encoding: .utf8)
        let stack = repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml")
        let text = try String(contentsOf: stack, encoding: .utf8) + "        db_password: hunter2\n        plain: visible\n"
        try text.write(to: stack, atomically: true, encoding: .utf8)
        return repo
    }

    @Test("describe component masks variables the root module declares sensitive, unless --show-secrets")
    func describeComponentMasks() throws {
        let repo = try repoWithSecret()
        let masked = try repo.run(["describe", "component", "vpc", "-s", "acme-dev"])
        #expect(masked.exitCode == 0)
        #expect(masked.stdout.contains("  db_password: \"***\"\n"))
        #expect(masked.stdout.contains("  plain: visible\n"))
        #expect(!masked.stdout.contains("hunter2"))
        let json = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--format", "json", "--provenance"])
        #expect(json.stdout.contains("\"db_password\": \"***\""))
        #expect(!json.stdout.contains("hunter2"))
        let shown = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--show-secrets"])
        #expect(shown.stdout.contains("  db_password: hunter2\n"))
    }

    @Test("describe stacks masks them too")
    func describeStacksMasks() throws {
        let repo = try repoWithSecret()
        let masked = try repo.run(["describe", "stacks", "--format", "json"])
        #expect(masked.exitCode == 0)
        #expect(masked.stdout.contains("\"db_password\": \"***\""))
        #expect(!masked.stdout.contains("hunter2"))
        #expect(try repo.run(["describe", "stacks", "--show-secrets"]).stdout.contains("db_password: hunter2"))
    }

    @Test("40,000 chained aliases: describe and generate varfile fail with one located line, no output file")
    func aliasChain() throws {
        let repo = try FixtureRepository("acme")
        var lines = ["        a0: &a0 [x]"]
        for i in 1..<40_000 { lines.append("        a\(i): &a\(i) [*a\(i - 1)]") }
        let stack = repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml")
        try (try String(contentsOf: stack, encoding: .utf8) + lines.joined(separator: "\n") + "\n").write(to: stack, atomically: true, encoding: .utf8)
        for args in [["describe", "component", "vpc", "-s", "acme-dev"], ["validate", "stacks"],
                     ["terraform", "generate", "varfile", "vpc", "-s", "acme-dev"]] {
            let run = try repo.run(args)
            #expect(run.exitCode == 1, "\(args)")
            #expect(run.errorLines.count == 1, "\(args): \(run.stderr.prefix(400))")
            #expect(run.stderr.contains("stacks/orgs/acme/dev.yaml:264:22: "), "\(args): \(run.stderr.prefix(400))")
            #expect(run.stderr.contains("nesting is deeper than 256 levels"))
        }
        #expect(repo.text("components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json") == nil)
    }

    @Test("an import holding terminal escapes prints them escaped, on one line")
    func escapes() throws {
        let repo = try FixtureRepository("acme")
        let stack = repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml")
        let text = try String(contentsOf: stack, encoding: .utf8).replacingOccurrences(of: "  - catalog/vpc\n", with: "  - \"catalog/\\e[31mRED\\ttab\"\n")
        try text.write(to: stack, atomically: true, encoding: .utf8)
        let run = try repo.run(["describe", "component", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 1)
        #expect(!run.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\t" })
        #expect(run.stderr.contains(#"import 'catalog/\u{1B}[31mRED\ttab' not found"#))
    }
}
