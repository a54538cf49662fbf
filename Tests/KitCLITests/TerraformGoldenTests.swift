import Foundation
import Testing

/// Golden tests for `kit terraform generate varfile|backend` and `kit terraform plan --dry-run`.
@Suite("terraform goldens")
struct TerraformGoldenTests {
    static let varfile = "components/terraform/vpc/acme-dev-vpc.terraform.tfvars.json"
    static let backendFile = "components/terraform/vpc/backend.tf.json"

    @Test("generate varfile writes a 0600 file holding exactly the component's vars")
    func generateVarfile() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["terraform", "generate", "varfile", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 0)
        let content = try #require(repo.text(Self.varfile), "kit did not write '\(Self.varfile)'")
        let mode = try repo.mode(Self.varfile)
        #expect(mode == 0o600)
        #expect(JSONKeyOrder.problems(in: content) == [])

        let described = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(described.stdout.utf8)) as? NSDictionary
        let written = try JSONSerialization.jsonObject(with: Data(content.utf8)) as? NSDictionary
        #expect(written != nil && written == document?["vars"] as? NSDictionary,
                "the varfile holds the vars that describe component shows")

        let files = [Golden.File(path: Self.varfile, mode: mode, content: content)]
        Golden.check(Golden.transcript(run, in: repo, files: files), named: "generate-varfile-vpc-acme-dev")
    }

    @Test("kit terraform <word> … skips the argument parser; the parser's path (global options first) gives the same result")
    func directPathMatchesParser() throws {
        let repo = try FixtureRepository("acme")
        let direct = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--dry-run"])
        let parsed = try repo.run(["terraform", "--diagnostics", "text", "plan", "vpc", "-s", "acme-dev", "--dry-run"])
        #expect(direct.exitCode == 0 && parsed.exitCode == 0, "\(direct.stderr)\(parsed.stderr)")
        #expect(direct.stdout == parsed.stdout && direct.stderr == parsed.stderr)
        // Usage errors and exit codes are the same on both paths.
        let badDirect = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--all"])
        let badParsed = try repo.run(["terraform", "--no-color", "plan", "vpc", "-s", "acme-dev", "--all"])
        #expect(badDirect.exitCode == 64 && badParsed.exitCode == 64)
        #expect(badDirect.stderr == badParsed.stderr, "\(badDirect.stderr) vs \(badParsed.stderr)")
        let missing = try repo.run(["terraform", "plan", "nope", "-s", "acme-dev", "--dry-run"])
        #expect(missing.exitCode == 1 && missing.stderr.contains("nope"), "\(missing.stderr)")
    }

    @Test("atmos's setting flags (--init-pass-vars, --init-run-reconfigure=false, …) override components.terraform for the run")
    func settingFlags() throws {
        let repo = try FixtureRepository("acme")
        func initLine(_ extra: [String]) throws -> String {
            let run = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--dry-run"] + extra)
            #expect(run.exitCode == 0, "\(run.stderr)")
            return run.stdout.split(separator: "\n").first { $0.hasPrefix("terraform init") }.map(String.init) ?? ""
        }
        let plain = try initLine([])
        #expect(plain.contains(" -reconfigure") && !plain.contains("-var-file"), "\(plain)")
        let flagged = try initLine(["--init-pass-vars", "--init-run-reconfigure=false"])
        #expect(!flagged.contains(" -reconfigure") && flagged.contains("-var-file acme-dev-vpc.terraform.tfvars.json"), "\(flagged)")
        // The flag wins over the configuration whichever way it points; estate runs read it too.
        let estate = try repo.run(["terraform", "plan", "--all", "-s", "acme-dev", "--dry-run", "--init-pass-vars=true"])
        #expect(estate.exitCode == 0 && estate.stdout.contains("-var-file acme-dev-vpc.terraform.tfvars.json  # initialize"), "\(estate.stdout)\(estate.stderr)")
        let noBackend = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--dry-run", "--auto-generate-backend-file=false"])
        #expect(noBackend.exitCode == 0 && !noBackend.stdout.contains("backend.tf.json"), "\(noBackend.stdout)")
        #expect(try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--dry-run"]).stdout.contains("backend.tf.json"))
    }

    @Test("generate varfile -f writes to the given path, relative to the working directory")
    func generateVarfileToPath() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["terraform", "generate", "varfile", "app", "-s", "acme-prod", "-f", "out/app.tfvars.json"])
        #expect(run.exitCode == 0)
        let content = try #require(repo.text("out/app.tfvars.json"), "kit did not write 'out/app.tfvars.json'")
        #expect(try repo.mode("out/app.tfvars.json") == 0o600)
        #expect(repo.text("components/terraform/app/acme-prod-app.terraform.tfvars.json") == nil)
        let files = [Golden.File(path: "out/app.tfvars.json", mode: try repo.mode("out/app.tfvars.json"), content: content)]
        Golden.check(Golden.transcript(run, in: repo, files: files), named: "generate-varfile-app-acme-prod-to-path")
    }

    @Test("generate varfile --dry-run prints the file and writes nothing")
    func generateVarfileDryRun() throws {
        let repo = try FixtureRepository("acme")
        let before = repo.files()
        let run = try repo.run(["terraform", "generate", "varfile", "vpc", "-s", "acme-dev", "--dry-run"])
        #expect(run.exitCode == 0)
        #expect(repo.files() == before)
        Golden.check(Golden.transcript(run, in: repo), named: "generate-varfile-vpc-acme-dev-dry-run")
    }

    @Test("generate backend writes the atmos-shaped backend.tf.json (terraform.backend.<type>), 0600")
    func generateBackend() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["terraform", "generate", "backend", "vpc", "-s", "acme-dev"])
        #expect(run.exitCode == 0)
        let content = try #require(repo.text(Self.backendFile), "kit did not write '\(Self.backendFile)'")
        let mode = try repo.mode(Self.backendFile)
        #expect(mode == 0o600)
        #expect(JSONKeyOrder.problems(in: content) == [])
        let document = try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any]
        let s3 = ((document?["terraform"] as? [String: Any])?["backend"] as? [String: Any])?["s3"] as? [String: Any]
        #expect(s3?["bucket"] as? String == "acme-tfstate")
        #expect(s3?["workspace_key_prefix"] as? String == "vpc", "default prefix: the terraform folder of the abstract base")
        let files = [Golden.File(path: Self.backendFile, mode: mode, content: content)]
        Golden.check(Golden.transcript(run, in: repo, files: files), named: "generate-backend-vpc-acme-dev")
    }

    @Test("terraform plan --dry-run prints the whole sequence and writes nothing")
    func planDryRun() throws {
        let repo = try FixtureRepository("acme")
        let before = repo.files()
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "acme-dev", "--dry-run"])
        #expect(run.exitCode == 0)
        #expect(repo.files() == before, "--dry-run must not write the varfile or backend file")
        Golden.check(Golden.transcript(run, in: repo), named: "terraform-plan-vpc-acme-dev-dry-run")
    }
}
