import Foundation
import KitCore
import Testing

/// Issue 20 through the real binary: writes never redirected (§4), secrets masked (§5), run records
/// that show runs left `running` (§7).
@Suite("state safety")
struct StateSafetyCLITests {
    /// The acme fixture with the local backend (no cloud needed) for acme-dev.
    static func localRepo(extraVars: String = "", env: String = "") throws -> FixtureRepository {
        let repo = try FixtureRepository("acme")
        let stack = repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml")
        var text = try String(contentsOf: stack, encoding: .utf8) + extraVars
        if !env.isEmpty { text += "      env:\n" + env }
        text += "terraform:\n  backend_type: local\n  backend:\n    local: {}\n"
        try text.write(to: stack, atomically: true, encoding: .utf8)
        return repo
    }

    /// A file outside the repository copy, with known content and mode.
    static func outsideFile(_ repo: FixtureRepository) throws -> URL {
        let outside = repo.parent.appendingPathComponent("outside.txt")
        try "precious\n".write(to: outside, atomically: false, encoding: .utf8)
        chmod(outside.path, 0o644)
        return outside
    }

    @Test("a committed symlink at the planfile path: plan stops before terraform, naming the path; the outside file is untouched")
    func symlinkedPlanfile() throws {
        let repo = try Self.localRepo()
        let outside = try Self.outsideFile(repo)
        let planfile = "components/terraform/vpc/acme-dev-vpc.planfile"
        try FileManager.default.createSymbolicLink(atPath: repo.root.appendingPathComponent(planfile).path, withDestinationPath: outside.path)
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(run.errorLines == ["error: refusing to write '\(planfile)' for component 'vpc' in stack 'acme-dev': it is a symbolic link to '\(outside.path)' — kit and terraform write this path, and a link would send the write (and the secrets in it) elsewhere; remove the link (nothing was run)"],
                "\(run.stderr)")
        #expect(try String(contentsOf: outside, encoding: .utf8) == "precious\n")
        let mode = try (FileManager.default.attributesOfItem(atPath: outside.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o644, "kit must not chmod the link's target")
        #expect(repo.text("components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json") == nil, "nothing may be written")
    }

    @Test("a symlinked varfile and a hard-linked local state file are refused the same way")
    func otherWriteTargets() throws {
        let repo = try Self.localRepo()
        let outside = try Self.outsideFile(repo)
        let varfile = "components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json"
        try FileManager.default.createSymbolicLink(atPath: repo.root.appendingPathComponent(varfile).path, withDestinationPath: outside.path)
        let first = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev"])
        #expect(first.exitCode == 1)
        #expect(first.stderr.contains("error: refusing to write '\(varfile)' for component 'vpc' in stack 'acme-dev': it is a symbolic link"), "\(first.stderr)")
        try FileManager.default.removeItem(atPath: repo.root.appendingPathComponent(varfile).path)
        let state = repo.root.appendingPathComponent(".kit/state/acme-dev/vpc/workspaces/acme-dev")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        #expect(link(outside.path, state.appendingPathComponent("terraform.tfstate").path) == 0)
        let second = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev"])
        #expect(second.exitCode == 1)
        #expect(second.stderr.contains("error: refusing to write '.kit/state/acme-dev/vpc/workspaces/acme-dev/terraform.tfstate' for component 'vpc' in stack 'acme-dev': it is a hard link (2 names share the file)"), "\(second.stderr)")
        #expect(try String(contentsOf: outside, encoding: .utf8) == "precious\n")
    }

    @Test(".kit/runs.db a symlink to a missing file: the run stops before terraform with an error naming it, and nothing is created")
    func symlinkedRunDatabase() throws {
        let repo = try Self.localRepo()
        let target = repo.parent.appendingPathComponent("elsewhere/runs.db")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let kitDir = repo.root.appendingPathComponent(".kit")
        try FileManager.default.createDirectory(at: kitDir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: kitDir.appendingPathComponent("runs.db").path, withDestinationPath: target.path)
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines.first?.hasPrefix("error: refusing to open the run database '\(kitDir.path)/runs.db': it is a symbolic link to '\(target.path)'") == true, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path).isEmpty, "a database was created through the link")
        #expect(repo.text("components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json") == nil, "terraform's files were written")
        let list = try repo.run(["runs", "list"])
        #expect(list.exitCode == 1)
        #expect(list.errorLines.first?.hasPrefix("error: refusing to open the run database '\(kitDir.path)/runs.db': it is a symbolic link") == true, "\(list.stderr)")
    }

    @Test("describe component masks !env of a secret-looking name, secret-looking vars and env; --show-secrets reveals them")
    func describeMasks() throws {
        let repo = try Self.localRepo(extraVars: "        connection: !env DB_PASSWORD\n        api_token: tok-12345\n        region_name: !env AWS_REGION\n",
                                      env: "        MY_SECRET_ENV: s3cr3t-env\n        TF_VAR_db_password: tfvar-pw\n        LOG_LEVEL: debug\n")
        let env = ["DB_PASSWORD": "hunter2-from-env", "AWS_REGION": "eu-west-1"]
        let masked = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--format", "json", "--provenance"], environment: env)
        #expect(masked.exitCode == 0, "\(masked.stderr)")
        for secret in ["hunter2-from-env", "tok-12345", "s3cr3t-env", "tfvar-pw"] { #expect(!masked.stdout.contains(secret), "\(secret) printed") }
        for shown in ["\"connection\": \"***\"", "\"api_token\": \"***\"", "\"MY_SECRET_ENV\": \"***\"", "\"TF_VAR_db_password\": \"***\"",
                      "\"region_name\": \"eu-west-1\"", "\"LOG_LEVEL\": \"debug\""] {
            #expect(masked.stdout.contains(shown), "\(shown) missing")
        }
        let revealed = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--format", "json", "--show-secrets"], environment: env)
        for secret in ["hunter2-from-env", "tok-12345", "s3cr3t-env", "tfvar-pw"] { #expect(revealed.stdout.contains(secret), "\(secret) not revealed") }
    }

    @Test("--dry-run prints env names only, never the values of env: entries")
    func dryRunEnvNamesOnly() throws {
        let repo = try Self.localRepo(env: "        MY_SECRET_ENV: s3cr3t-env\n        TF_VAR_db_password: tfvar-pw\n        LOG_LEVEL: debug-level\n")
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--dry-run"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("# kit: env (values not shown): LOG_LEVEL MY_SECRET_ENV TF_VAR_db_password\n"), "\(run.stdout)")
        for value in ["s3cr3t-env", "tfvar-pw", "debug-level"] { #expect(!run.stdout.contains(value), "\(value) printed") }
        #expect(run.stdout.contains("export KIT_COMPONENT=vpc KIT_STACK=acme-dev"), "\(run.stdout)")
    }

    @Test("kit runs list shows a run left 'running' (its kit was killed) as running (unknown outcome)")
    func runningRow() throws {
        let repo = try FixtureRepository("acme")
        let store = try RunStore(path: repo.root.appendingPathComponent(".kit/runs.db").path)
        let id = try store.insert(RecordedRun(startedAt: Date(timeIntervalSince1970: 1_795_996_800), durationMilliseconds: 0, user: "alice",
                                              stack: "acme-dev", component: "vpc", subcommand: "apply", exitCode: -1, result: "running"))
        let list = try repo.run(["runs", "list"])
        #expect(list.exitCode == 0)
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("\(id) ") }.map(String.init) ?? ""
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).map(String.init) ==
                ["\(id)", "2026-11-30", "00:00:00", "acme-dev", "vpc", "apply", "running", "(unknown", "outcome)", "-", "0ms", "-"], "\(list.stdout)")
        let json = try repo.run(["runs", "list", "--format", "json"])
        #expect(json.stdout.contains("\"result\": \"running\""))
    }
}
