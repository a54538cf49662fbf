import Foundation
import Testing

/// One error case: a fixture repository, how to break it further (if at all), and the command.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    /// Extra damage done to the fixture copy before kit runs.
    enum Preparation: Sendable {
        case none
        /// Replace this file with a symlink to a file that does not exist (see `unreadableFile`).
        case danglingSymlink(String)
    }

    var golden: String
    var fixture: String
    var arguments: [String]
    var preparation: Preparation = .none
    var testDescription: String { golden }
}

/// Error-message tests: every case exits 1 with nothing on stdout and exactly one `error:` line
/// (a trailing `note:` summary is allowed), and the whole transcript matches its golden file, so the
/// message itself — location, quoted names, the hint — is pinned.
///
/// Unreadable files: the tests run as root, where `chmod 000` does not stop reads, so the unreadable
/// file is a dangling symlink instead: the directory entry exists (`ls` shows `vpc.yaml`) but opening
/// it fails with ENOENT. kit should say it cannot read that file rather than that the import does not
/// exist. (A FIFO would make a naive reader block forever, so it is not used.)
@Suite("error messages")
struct ErrorMessageTests {
    static let cases: [ErrorCase] = [
        // Malformed YAML: file:line:col and libyaml's own message.
        ErrorCase(golden: "error-malformed-yaml", fixture: "malformed-yaml",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/prod"]),
        ErrorCase(golden: "error-malformed-yaml-validate", fixture: "malformed-yaml",
                  arguments: ["validate", "stacks"]),
        // A missing import, with "did you mean".
        ErrorCase(golden: "error-missing-import", fixture: "missing-import",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
        // An import cycle: the chain.
        ErrorCase(golden: "error-import-cycle", fixture: "import-cycle",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
        // An inheritance cycle through metadata.inherits (vpc → vpc/base → vpc/defaults → vpc).
        ErrorCase(golden: "error-inheritance-cycle", fixture: "inheritance-cycle",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
        // An inheritance cycle through the `component:` attribute (a → b → a).
        ErrorCase(golden: "error-component-cycle", fixture: "component-cycle",
                  arguments: ["describe", "component", "a", "-s", "orgs/acme/dev"]),
        // `inherits` naming an unknown component, with the closest name.
        ErrorCase(golden: "error-unknown-base", fixture: "unknown-base",
                  arguments: ["describe", "component", "vpc/private", "-s", "orgs/acme/dev"]),
        // An unknown stack / component, with the closest names.
        ErrorCase(golden: "error-unknown-stack", fixture: "acme",
                  arguments: ["describe", "component", "vpc", "-s", "acme-dve"]),
        ErrorCase(golden: "error-unknown-stack-plan", fixture: "acme",
                  arguments: ["terraform", "plan", "vpc", "-s", "acme-prd", "--dry-run"]),
        ErrorCase(golden: "error-unknown-stack-describe-stacks", fixture: "acme",
                  arguments: ["describe", "stacks", "-s", "acme-dve"]),
        ErrorCase(golden: "error-unknown-component", fixture: "acme",
                  arguments: ["describe", "component", "vpcc", "-s", "acme-dev"]),
        ErrorCase(golden: "error-unknown-component-no-suggestion", fixture: "acme",
                  arguments: ["describe", "component", "database", "-s", "acme-dev"]),
        // A section of the wrong type.
        ErrorCase(golden: "error-wrong-type", fixture: "wrong-type",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
        // Two manifests claiming one stack name.
        ErrorCase(golden: "error-duplicate-stack", fixture: "duplicate-stack",
                  arguments: ["describe", "component", "vpc", "-s", "acme-dev"]),
        ErrorCase(golden: "error-duplicate-stack-validate", fixture: "duplicate-stack",
                  arguments: ["validate", "stacks"]),
        // An empty repository (no kit.yaml, no stacks), and a configured one without manifests.
        ErrorCase(golden: "error-empty-repository", fixture: "empty-repo",
                  arguments: ["list", "stacks"]),
        ErrorCase(golden: "error-no-manifests", fixture: "no-manifests",
                  arguments: ["list", "stacks"]),
        // An unreadable file (a dangling symlink; see the suite comment).
        ErrorCase(golden: "error-unreadable-file", fixture: "unreadable-file",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/dev"],
                  preparation: .danglingSymlink("stacks/catalog/vpc.yaml")),
        // A component folder that would escape the components directory.
        ErrorCase(golden: "error-component-escape", fixture: "component-escape",
                  arguments: ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
        ErrorCase(golden: "error-component-escape-generate", fixture: "component-escape",
                  arguments: ["terraform", "generate", "varfile", "vpc", "-s", "orgs/acme/dev"]),
    ]

    @Test("each error exits 1 with one actionable message", arguments: cases)
    func error(_ c: ErrorCase) throws {
        let repo = try FixtureRepository(c.fixture)
        switch c.preparation {
        case .none: break
        case .danglingSymlink(let path): try repo.replaceWithDanglingSymlink(path)
        }
        let before = repo.files()
        let run = try repo.run(c.arguments)
        #expect(run.exitCode == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.count == 1, "expected exactly one 'error:' line, got:\n\(run.stderr)")
        #expect(!run.stderr.contains(repo.root.path), "messages use repository-relative paths")
        #expect(repo.files() == before, "a failing command must not write files (inside or outside the repository)")
        Golden.check(Golden.transcript(run, in: repo), named: c.golden)
    }

    @Test("usage errors exit 64", arguments: [
        ["describe", "component", "vpc"],
        ["describe", "component", "vpc", "-s", "acme-dev", "--format", "xml"],
        ["terraform", "plan", "vpc"],
        ["terraform", "generate", "varfile"],
        ["terraform", "generate", "tfvars", "vpc", "-s", "acme-dev"],
        // An atmos custom command with a flag kit also has: not kit's version and exit 0.
        ["install", "--version", "1.2.3"],
        ["deploy-all", "--help"],
        // atmos's own terraform words: refused before terraform (or init) runs.
        ["terraform", "clean", "vpc", "-s", "acme-dev", "--force"],
        ["terraform", "planfile", "list"],
        ["terraform", "shell", "vpc", "-s", "acme-dev"],
        // atmos's own terraform flags: refused too (after `--` they would go to terraform unchanged).
        ["terraform", "plan", "vpc", "-s", "acme-dev", "--identity", "admin"],
        ["terraform", "apply", "vpc", "-s", "acme-dev", "--init-pass-vars=maybe"],
        ["terraform", "plan", "vpc", "-s", "acme-dev", "--process-templates=false"],
    ])
    func usageError(arguments: [String]) throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 64, "stderr:\n\(run.stderr)")
        #expect(run.stdout.isEmpty)
        // ArgumentParser's own usage errors start with "Error:"; kit's start with "error:".
        #expect(run.stderr.lowercased().hasPrefix("error: "), "usage errors go to stderr as 'error: …', got:\n\(run.stderr)")
    }

    @Test("an atmos-only terraform flag kit cannot honour names itself and what to do; nothing is written")
    func atmosOnlyFlag() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--identity=admin"])
        #expect(run.exitCode == 64)
        #expect(run.stderr == "error: '--identity' is an atmos flag kit does not have — kit has no atmos auth: configure credentials in the environment (AWS_PROFILE, …)\n", "\(run.stderr)")
        #expect(repo.text("components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json") == nil)
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".kit").path))
    }

    @Test("an unknown command is named, whatever flags follow it")
    func unknownCommand() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["install", "--version", "1.2.3"])
        #expect(run.exitCode == 64)
        #expect(run.stderr == "error: 'kit install' is not a kit command, nor a custom command of the configuration — see 'kit --help'\n", "\(run.stderr)")
    }
}
