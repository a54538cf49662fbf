import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `--affected`, `--base`, `--head` and `--drift` on `kit terraform`.
@Suite("pipeline flags")
struct PipelineFlagTests {
    @Test("--affected --base turns on estate mode; --drift adds -detailed-exitcode once")
    func parses() throws {
        let inv = try TerraformInvocation.parse(["plan", "--affected", "--base", "origin/main", "--head=HEAD", "--summary-file", "s.md"])
        #expect(inv.estate?.affected == true)
        #expect(inv.estate?.base == "origin/main")
        #expect(inv.estate?.head == "HEAD")
        #expect(inv.estate?.summaryFile == "s.md")
        let drift = try TerraformInvocation.parse(["plan", "--all", "--drift", "-detailed-exitcode"])
        #expect(drift.estate?.drift == true)
        #expect(drift.passThrough == ["-detailed-exitcode"])
        let deploy = try TerraformInvocation.parse(["deploy", "--affected", "--base", "main"])
        #expect(deploy.estate?.affected == true)
    }

    @Test("usage errors", arguments: [
        (["plan", "--affected"], "--affected needs '--base <ref>'"),
        (["plan", "--all", "--base", "main"], "--base and --head work with --affected"),
        (["plan", "--all", "--affected", "--base", "main"], "--all and --affected both select components"),
        (["apply", "--all", "--drift", "-auto-approve"], "--drift works with 'kit terraform plan'"),
        (["plan", "vpc", "-s", "dev", "--drift"], "--drift works with --all, --components, --query or --affected"),
    ])
    func usage(args: [String], message: String) {
        #expect {
            _ = try TerraformInvocation.parse(args)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
