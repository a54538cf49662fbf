import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
@testable import KitCommandLine

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

/// The typed request: the subcommand words kit knows become cases, others pass through, and what each
/// may do is said once.
@Suite struct TerraformSubcommandTests {
    @Test func wordsRoundTripAndUnknownWordsPassThrough() throws {
        for word in ["plan", "apply", "deploy", "destroy", "init", "validate", "output", "refresh", "workspace", "generate",
                     "review", "providers", "state", "import", "taint", "untaint", "show", "console"] {
            #expect(TerraformSubcommand(word).word == word)
        }
        #expect(TerraformSubcommand("show") == .other("show"))
        #expect(TerraformSubcommand.other("plan") == .plan)
        #expect(try TerraformInvocation.parse(["console", "vpc", "-s", "dev"]).subcommand == TerraformSubcommand.other("console"))
        #expect(try TerraformInvocation.parse(["deploy", "vpc", "-s", "dev"]).subcommand == .deploy)
    }

    @Test func whatEachMayDo() {
        #expect(TerraformSubcommand.deploy.terraformWord == "apply")
        #expect(TerraformSubcommand.plan.terraformWord == "plan")
        #expect(TerraformSubcommand.estateCapable.allSatisfy { $0.runsForMany })
        #expect(!TerraformSubcommand.workspace.runsForMany && !TerraformSubcommand.other("show").runsForMany)
        #expect(TerraformSubcommand.destroy.mutates && !TerraformSubcommand.plan.mutates)
        #expect(TerraformSubcommand.refresh.writesLocalState && !TerraformSubcommand.refresh.mutates)
        #expect(TerraformSubcommand.workspace.provisions && !TerraformSubcommand.output.provisions)
    }

    @Test func theEstateUsageErrorListsTheCapableSubcommandsFromTheEnum() {
        let e = #expect(throws: TerraformInvocation.UsageError.self) { try TerraformInvocation.parse(["workspace", "--all", "-s", "dev"]) }
        for s in TerraformSubcommand.estateCapable { #expect(e?.message.contains(s.word) == true, "\(String(describing: e))") }
        #expect(e?.message.hasSuffix("work with plan, apply, deploy, destroy, init, validate, output, refresh and providers lock") == true)
        #expect(TerraformSubcommand.providers.runsForMany(second: "lock") && !TerraformSubcommand.providers.runsForMany(second: "mirror"))
    }
}
