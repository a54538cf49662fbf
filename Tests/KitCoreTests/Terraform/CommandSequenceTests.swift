import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
@testable import KitCommandLine

/// Argument building for terraform runs (reference §10, edge cases 38–41), without running anything.
@Suite struct CommandSequenceTests {
    static func config(_ tweak: (inout TerraformSettings) -> Void = { _ in }) throws -> KitConfig {
        var c = try ConfigLoader(fileSystem: LocalFileSystem(), environment: ["HOME": "/home/u"], workingDirectory: "/repo")
            .load()
        tweak(&c.terraform)
        return c
    }

    static func component(name: String = "vpc", folder: String = "vpc", backendType: String = "local",
                          vars: [String: Value] = ["a": .int(1)], metadata: [String: Value] = [:]) -> ResolvedComponent {
        ResolvedComponent(
            name: name, stackFile: "orgs/dev.yaml", stackFileID: "orgs/dev", stackName: "ue1-dev",
            baseComponentName: folder, folder: folder, vars: vars, settings: [:], env: ["FOO": .string("bar"), "GONE": .null],
            metadata: metadata, providers: [:], overrides: [:], hooks: [:], generate: [:], auth: [:], dependencies: [:],
            command: "terraform", backendType: backendType, backend: [:], remoteStateBackendType: backendType,
            remoteStateBackend: [:], requiredVersion: nil, requiredProviders: [:], inheritance: [],
            workspace: "ue1-dev", imports: [], layers: [], listMergeStrategy: .replace)
    }

    static func runs(_ seq: CommandSequence) -> [[String]] {
        seq.steps.compactMap { if case .run(let args, _) = $0 { return args }; return nil }
    }

    static func build(_ args: [String], config: KitConfig? = nil, component: ResolvedComponent = component(),
                      adaptation: RunAdaptation = RunAdaptation(), env: [String: String] = [:], fresh: Bool = false) throws -> CommandSequence {
        let cfg = try config ?? Self.config()
        let inv = try TerraformInvocation.parse(args)
        return CommandSequence.build(component, inv, config: cfg, files: WorkingFiles(component: component, config: cfg),
                                     adaptation: adaptation, processEnv: env, initFresh: fresh)
    }

    /// Unit test of argument building (no terraform runs): terraform's two-word `providers` subcommands.
    @Test("providers lock|mirror|schema take the component after the second word; bare providers still works")
    func providersTwoWords() throws {
        let lock = try TerraformInvocation.parse(["providers", "lock", "vpc", "-s", "ue1-dev", "-platform=linux_amd64"])
        #expect(lock.subcommand == "providers" && lock.subSubcommand == "lock" && lock.component == "vpc")
        #expect(Self.runs(try Self.build(["providers", "lock", "vpc", "-s", "ue1-dev", "-platform=linux_amd64"])).last
                == ["providers", "lock", "-platform=linux_amd64"])
        #expect(Self.runs(try Self.build(["providers", "mirror", "vpc", "-s", "ue1-dev", "/tmp/mirror"])).last
                == ["providers", "mirror", "/tmp/mirror"])
        let bare = try TerraformInvocation.parse(["providers", "vpc", "-s", "ue1-dev"])
        #expect(bare.subSubcommand == nil && bare.component == "vpc")
        #expect(Self.runs(try Self.build(["providers", "vpc", "-s", "ue1-dev"])).last == ["providers"])
        // Many components: `providers lock` runs for each (atmos's --all); `providers mirror` is a usage
        // error naming the two words, not "the component 'mirror'".
        let many = try TerraformInvocation.parse(["providers", "lock", "--all", "--dry-run"])
        #expect(many.subSubcommand == "lock" && many.estate?.all == true && many.commandWords == "providers lock")
        #expect(throws: TerraformInvocation.UsageError.self) { try TerraformInvocation.parse(["providers", "mirror", "--all", "--dry-run"]) }
        do { _ = try TerraformInvocation.parse(["providers", "mirror", "--all", "--dry-run"]) } catch let e as TerraformInvocation.UsageError {
            #expect(e.message.hasPrefix("'kit terraform providers mirror' runs one component"), "\(e.message)")
        }
    }

    @Test func planRunsInitWorkspaceAndPlanWithPlanfile() throws {
        let seq = try Self.build(["plan", "vpc", "-s", "ue1-dev"])
        #expect(Self.runs(seq) == [
            ["init", "-reconfigure", "-backend-config=/repo/.kit/terraform/ue1-dev/vpc/backend.tfbackend"],
            ["workspace", "select", "-or-create", "ue1-dev"],
            ["plan", "-var-file", "ue1-dev-vpc.terraform.tfvars.json", "-out", "ue1-dev-vpc.planfile"],
        ])
        // terraform runs in the pair's own mirror of the module folder (generated files are per pair).
        #expect(seq.workingDirectory == "/repo/.kit/terraform/ue1-dev/vpc/root/vpc")
        #expect(seq.moduleDirectory == "/repo/components/terraform/vpc")
        #expect(seq.env["TF_DATA_DIR"] == "/repo/.kit/terraform/ue1-dev/vpc/data")
        #expect(seq.env["FOO"] == "bar")
        #expect(seq.env["GONE"] == nil)
    }

    @Test func freshFingerprintSkipsInitButForceInitRunsIt() throws {
        #expect(Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev"], fresh: true)).first?.first == "workspace")
        #expect(Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev", "--init"], fresh: true)).first?.first == "init")
        #expect(Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev", "--skip-init"])).first?.first == "workspace")
    }

    @Test func initArgumentsFollowSettings() throws {
        // Edge case 38: reconfigure and pass_vars.
        let cfg = try Self.config { $0.initRunReconfigure = false; $0.initPassVars = true }
        let first = Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev"], config: cfg)).first
        #expect(first == ["init", "-backend-config=/repo/.kit/terraform/ue1-dev/vpc/backend.tfbackend", "-var-file", "ue1-dev-vpc.terraform.tfvars.json"])
    }

    @Test func deployAddsAutoApproveOnceAndNotWithFromPlan() throws {
        // Edge case 39.
        let deploy = Self.runs(try Self.build(["deploy", "vpc", "-s", "ue1-dev", "-auto-approve"])).last
        #expect(deploy == ["apply", "-var-file", "ue1-dev-vpc.terraform.tfvars.json", "-auto-approve"])
        let fromPlan = Self.runs(try Self.build(["deploy", "vpc", "-s", "ue1-dev", "--from-plan"])).last
        #expect(fromPlan == ["apply", "ue1-dev-vpc.planfile"])
        let cfg = try Self.config { $0.applyAutoApprove = true }
        #expect(Self.runs(try Self.build(["apply", "vpc", "-s", "ue1-dev"], config: cfg)).last?.last == "-auto-approve")
    }

    @Test func deployWithoutDeployRunInitSkipsInit() throws {
        // Edge case 40.
        let cfg = try Self.config { $0.deployRunInit = false }
        #expect(Self.runs(try Self.build(["deploy", "vpc", "-s", "ue1-dev"], config: cfg)).first?.first == "workspace")
    }

    @Test func deployWithoutDeployRunInitStillInitialisesANeverInitialisedPair() throws {
        let cfg = try Self.config { $0.deployRunInit = false }
        let seq = CommandSequence.build(Self.component(), try TerraformInvocation.parse(["deploy", "vpc", "-s", "ue1-dev"]), config: cfg,
                                        files: WorkingFiles(component: Self.component(), config: cfg),
                                        processEnv: [:], initFresh: false, initializedBefore: false)
        #expect(Self.runs(seq).first?.first == "init", "terraform would fail with 'Backend initialization required'")
    }

    @Test func applyFromPlanPutsPlanfileLastAndWritesNoVarfile() throws {
        let seq = try Self.build(["apply", "vpc", "-s", "ue1-dev", "--planfile", "custom.plan", "-lock-timeout=5s"])
        #expect(Self.runs(seq).last == ["apply", "-lock-timeout=5s", "custom.plan"])
        #expect(!seq.steps.contains { if case .write(let p, _, _) = $0 { return p.hasSuffix(".tfvars.json") }; return false })
    }

    @Test func cleanupRemovesPlanfileAndVarfileAfterApplyOnly() throws {
        func removed(_ seq: CommandSequence) -> [String] {
            seq.steps.compactMap { if case .remove(let p) = $0 { return Paths.basename(p) }; return nil }
        }
        #expect(removed(try Self.build(["plan", "vpc", "-s", "ue1-dev"])) == [])
        #expect(removed(try Self.build(["apply", "vpc", "-s", "ue1-dev", "--from-plan"])) == ["ue1-dev-vpc.planfile", "ue1-dev-vpc.terraform.tfvars.json"])
        #expect(removed(try Self.build(["destroy", "vpc", "-s", "ue1-dev"])) == ["ue1-dev-vpc.planfile"])
    }

    @Test func userOutAndSkipPlanfileSuppressKitsOut() throws {
        #expect(Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev", "-out=x.plan"])).last == ["plan", "-var-file", "ue1-dev-vpc.terraform.tfvars.json", "-out=x.plan"])
        #expect(Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev", "--skip-planfile"])).last == ["plan", "-var-file", "ue1-dev-vpc.terraform.tfvars.json"])
    }

    @Test func workspaceIsSkippedForHTTPBackendAndWhenTFWorkspaceIsSet() throws {
        let http = Self.component(backendType: "http")
        #expect(!Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev"], component: http)).contains { $0.first == "workspace" })
        #expect(!Self.runs(try Self.build(["plan", "vpc", "-s", "ue1-dev"], env: ["TF_WORKSPACE": "x"])).contains { $0.first == "workspace" })
    }

    @Test func reviewingPluginsMakeApplyPlanShowAndApplyThePlan() throws {
        var adaptation = RunAdaptation()
        adaptation.reviewsPlans = true
        adaptation.args = ["-var", "permissions_boundary=arn:x"]
        let seq = try Self.build(["destroy", "vpc", "-s", "ue1-dev", "-auto-approve"], adaptation: adaptation)
        let runs = Self.runs(seq)
        #expect(runs.suffix(3) == [
            ["plan", "-var-file", "ue1-dev-vpc.terraform.tfvars.json", "-destroy", "-var", "permissions_boundary=arn:x", "-out", "ue1-dev-vpc.reviewed.planfile"],
            ["show", "-json", "ue1-dev-vpc.reviewed.planfile"],
            ["apply", "ue1-dev-vpc.reviewed.planfile"],
        ])
        #expect(!seq.needsApproval)
        #expect(try Self.build(["apply", "vpc", "-s", "ue1-dev"], adaptation: adaptation).needsApproval)
    }

    @Test func applyWithoutASavedPlanPlansWithThePluginVariables() throws {
        var adaptation = RunAdaptation()
        adaptation.reviewsPlans = true
        adaptation.args = ["-var", "permissions_boundary=arn:x"]
        let deploy = Self.runs(try Self.build(["deploy", "vpc", "-s", "ue1-dev"], adaptation: adaptation))
        #expect(deploy.contains(["plan", "-var-file", "ue1-dev-vpc.terraform.tfvars.json", "-var", "permissions_boundary=arn:x", "-out", "ue1-dev-vpc.reviewed.planfile"]))
        // A saved planfile carries its variables: terraform refuses -var with it, so kit leaves them out.
        let fromPlan = Self.runs(try Self.build(["apply", "vpc", "-s", "ue1-dev", "--from-plan"], adaptation: adaptation))
        #expect(fromPlan.last == ["apply", "ue1-dev-vpc.planfile"])
        #expect(CommandSequence.withoutVariables(["-var", "a=b", "-var=c=d", "-var-file", "f", "-var-file=g", "-parallelism=2"]) == ["-parallelism=2"])
    }

    @Test func backendFileHoldsOnlyTheTypeAndValuesGoToTheBackendConfig() throws {
        var c = Self.component(backendType: "s3")
        c.backend = ["bucket": .string("b"), "key": .string("terraform.tfstate"), "assume_role": .map(["role_arn": .string("arn:${x}")])]
        let seq = try Self.build(["plan", "vpc", "-s", "ue1-dev"], component: c)
        var written: [String: String] = [:]
        for case .write(let p, let content, _) in seq.steps { written[Paths.basename(p)] = content }
        #expect(written["backend.tf.json"] == "{\n  \"terraform\": {\n    \"backend\": {\n      \"s3\": {}\n    }\n  }\n}\n")
        #expect(written["backend.tfbackend"] == "assume_role = { \"role_arn\" = \"arn:$${x}\" }\nbucket = \"b\"\nkey = \"terraform.tfstate\"\n")
    }

    @Test func localBackendStateDefaultsToThePairsOwnDirectory() throws {
        let seq = try Self.build(["plan", "vpc", "-s", "ue1-dev"])
        let hcl = seq.steps.compactMap { step -> String? in
            if case .write(let p, let content, _) = step, p.hasSuffix(".tfbackend") { return content }
            return nil
        }.first
        #expect(hcl == "path = \"/repo/.kit/state/ue1-dev/vpc/terraform.tfstate\"\nworkspace_dir = \"/repo/.kit/state/ue1-dev/vpc/workspaces\"\n")
    }

    @Test func providerKeysWithAliasesAreGrouped() {
        let doc = WorkingFiles.providersDocument(["aws": .map(["region": .string("us-east-1")]),
                                                  "aws.use2": .map(["region": .string("us-east-2")])])
        #expect(JSONWriter.compact(doc) == #"{"provider":{"aws":[{"region":"us-east-1"},{"alias":"use2","region":"us-east-2"}]}}"#)
    }

    @Test func invocationParsingSeparatesKitFlagsFromTerraformArguments() throws {
        let inv = try TerraformInvocation.parse(["plan", "vpc", "-s", "dev", "-var", "a=b", "--dry-run", "-detailed-exitcode", "--", "-lock=false", "--dry-run"])
        #expect(inv.component == "vpc")
        #expect(inv.stack == "dev")
        #expect(inv.dryRun)
        #expect(inv.passThrough == ["-var", "a=b", "-detailed-exitcode", "-lock=false", "--dry-run"])
        #expect(throws: TerraformInvocation.UsageError.self) { try TerraformInvocation.parse(["plan", "vpc"]) }
        #expect(throws: TerraformInvocation.UsageError.self) { try TerraformInvocation.parse(["plan"]) }
    }
}
