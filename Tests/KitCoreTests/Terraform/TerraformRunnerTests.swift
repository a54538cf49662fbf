import Foundation
import KitPluginSDK
import Synchronization
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
@testable import KitCommandLine

/// `TerraformRunner`'s gating logic with fake effects: no disk, no terraform. The process runner here
/// is a scripted fake (it records argument vectors and answers `show -json` with a plan document) —
/// these are unit tests of what the runner decides to run; the real terraform runs in KitIntegrationTests.
@Suite struct TerraformRunnerTests {
    /// In-memory files, writes, removals and locks.
    final class FakeEffects: RunEffects, FileSystem, @unchecked Sendable {
        // @unchecked: the tests drive one runner on one thread; the lock guards the maps anyway.
        let lock = NSLock()
        var files: [String: String] = [:]
        var removed: [String] = []
        var locks: [String] = []
        var interruptCount = 0

        func write(_ text: String, to path: String, mode: mode_t) throws { lock.withLock { files[path] = text } }
        func remove(_ path: String) { lock.withLock { removed.append(path); files[path] = nil } }
        func makeDirectories(_ path: String) throws {}
        func sync(_ mirror: ModuleMirror) throws {}
        func lockPair(_ directory: String, waiting: () -> Void) throws -> HeldLock { lock.withLock { locks.append(directory) }; return NoLock() }
        func lockInit(cache: String) throws -> HeldLock { NoLock() }
        func restrictStateFiles(in directory: String) {}
        func restrict(_ path: String) {}
        var interrupts: Int { lock.withLock { interruptCount } }

        func read(_ path: String) throws -> [UInt8] {
            guard let text = lock.withLock({ files[path] }) else { throw POSIXFailure(errno: ENOENT, path: path) }
            return Array(text.utf8)
        }
        func exists(_ path: String) -> Bool { lock.withLock { files[path] != nil } || path.hasSuffix("/vpc") }
        func isDirectory(_ path: String) -> Bool { path.hasSuffix("/vpc") || path.hasSuffix("/data") }
        func walk(_ root: String) -> [String] { [] }
    }

    struct NoLock: HeldLock {
        var descriptor: Int32 { -1 }
        func release() {}
    }

    /// A scripted fake of terraform for runner unit tests: records each argument vector; `show -json`
    /// prints `plan`; every command exits 0.
    final class ScriptedTerraform: ProcessRunning, @unchecked Sendable {
        let lock = NSLock()
        var calls: [[String]] = []
        var onCall: (([String]) -> Void)?
        let plan: String
        init(plan: String = #"{"resource_changes":[{"address":"aws_s3_bucket.b","change":{"actions":["delete"]}}]}"#) { self.plan = plan }

        func run(_ executable: String, _ args: [String], cwd: String, env: [String: String], stdout: ProcessOutput,
                 stderr: ProcessOutput, nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult {
            lock.withLock { calls.append(args) }
            onCall?(args)
            let out = args.first == "show" ? Array(plan.utf8) : []
            return ProcessResult(termination: .exited(0), stdout: out)
        }
        var subcommands: [String] { lock.withLock { calls.map { $0.first ?? "" } } }
        func resolve(_ name: String, env: [String: String]) throws -> String { name }
    }

    /// Hooks that review plans and return the given findings.
    struct FakeHooks: TerraformHooks {
        var adaptFindings: [Finding] = []
        var reviewFindings: [Finding] = []
        func adapt(_ c: ResolvedComponent, operation: String) throws -> (RunAdaptation, [Finding]) {
            var a = RunAdaptation()
            a.reviewsPlans = true
            return (a, adaptFindings)
        }
        func review(_ c: ResolvedComponent, operation: String, plan: JSONValue) throws -> [Finding] { reviewFindings }
        func after(_ c: ResolvedComponent, operation: String, exitCode: Int32, planSummary: JSONValue) -> [Finding] { [] }
    }

    static let blocking = Finding(severity: .error, policy: "aws.destroy.tagged-only", message: "not tagged", path: "aws_s3_bucket.b")

    func runner(_ fx: FakeEffects, _ tf: ScriptedTerraform, hooks: TerraformHooks, approve: (() -> Bool)? = nil) throws -> TerraformRunner {
        var config = try CommandSequenceTests.config()
        config.terraform.pluginCacheDir = nil
        return TerraformRunner(config: config, fileSystem: fx, effects: fx, processes: tf,
                               environment: ["PATH": "/usr/bin:/bin", "HOME": "/home/u"], hooks: hooks, report: { _ in }, approve: approve)
    }

    static func inv(_ args: [String]) throws -> TerraformInvocation {
        var i = try TerraformInvocation.parse(args)
        i.noColor = false
        return i
    }

    @Test func configurationFindingBlocksBeforeAnythingRuns() throws {
        let fx = FakeEffects(), tf = ScriptedTerraform()
        let r = try runner(fx, tf, hooks: FakeHooks(adaptFindings: [Self.blocking]))
        let e = caught { _ = try r.execute(CommandSequenceTests.component(), try Self.inv(["plan", "vpc", "-s", "ue1-dev"])) }
        #expect(e as? TerraformError == .blockedByGuardrails(component: "vpc", stack: "ue1-dev", count: 1))
        #expect(tf.calls.isEmpty, "terraform ran although the configuration was blocked")
        #expect(fx.files.isEmpty, "files were written although the configuration was blocked")
    }

    @Test func blockedPlanLosesItsPlanfile() throws {
        let fx = FakeEffects(), tf = ScriptedTerraform()
        let r = try runner(fx, tf, hooks: FakeHooks(reviewFindings: [Self.blocking]))
        let e = caught { _ = try r.execute(CommandSequenceTests.component(), try Self.inv(["plan", "vpc", "-s", "ue1-dev"])) }
        #expect(e as? TerraformError == .blockedByGuardrails(component: "vpc", stack: "ue1-dev", count: 1))
        #expect(fx.removed.contains("/repo/components/terraform/vpc/ue1-dev-vpc.planfile"), "\(fx.removed)")
        #expect(tf.subcommands == ["init", "workspace", "plan", "show"])
    }

    @Test func overrideGoesOnAndIsReturnedForTheRecord() throws {
        let fx = FakeEffects(), tf = ScriptedTerraform()
        let r = try runner(fx, tf, hooks: FakeHooks(reviewFindings: [Self.blocking]))
        let outcome = try r.execute(CommandSequenceTests.component(),
                                    try Self.inv(["destroy", "vpc", "-s", "ue1-dev", "-auto-approve", "--override-guardrails", "cleanup"]))
        #expect(outcome.overrideReason == "cleanup")
        #expect(outcome.findings.map(\.policy) == ["aws.destroy.tagged-only"])
        #expect(tf.subcommands == ["init", "workspace", "plan", "show", "apply"], "the reviewed plan must be applied")
    }

    @Test func reviewedApplyNeedsApproval() throws {
        let component = CommandSequenceTests.component()
        let applyArgs = ["apply", "vpc", "-s", "ue1-dev"]
        // No terminal: refused before applying.
        let fx1 = FakeEffects(), tf1 = ScriptedTerraform()
        let noTerminal = caught { _ = try runner(fx1, tf1, hooks: FakeHooks()).execute(component, try Self.inv(applyArgs)) }
        #expect(noTerminal as? TerraformError == .approvalRequired(component: "vpc", stack: "ue1-dev"))
        #expect(!tf1.subcommands.contains("apply"))
        #expect(fx1.removed.contains { $0.hasSuffix(".reviewed.planfile") }, "the reviewed planfile must be removed when the run stops")
        // Declined.
        let fx2 = FakeEffects(), tf2 = ScriptedTerraform()
        let declined = caught { _ = try runner(fx2, tf2, hooks: FakeHooks(), approve: { false }).execute(component, try Self.inv(applyArgs)) }
        #expect(declined as? TerraformError == .notApproved)
        #expect(!tf2.subcommands.contains("apply"))
        // Approved.
        let fx3 = FakeEffects(), tf3 = ScriptedTerraform()
        _ = try runner(fx3, tf3, hooks: FakeHooks(), approve: { true }).execute(component, try Self.inv(applyArgs))
        #expect(tf3.subcommands.last == "apply")
    }

    @Test func unchangedFingerprintSkipsInitAndSelectedWorkspaceSkipsSelect() throws {
        let fx = FakeEffects(), tf = ScriptedTerraform()
        let component = CommandSequenceTests.component()
        let r = try runner(fx, tf, hooks: NoHooks())
        let inv = try Self.inv(["plan", "vpc", "-s", "ue1-dev"])
        _ = try r.execute(component, inv)
        #expect(tf.subcommands == ["init", "workspace", "plan"])
        let files = WorkingFiles(component: component, config: r.config)
        #expect(fx.files[InitFingerprint.file(files)] != nil, "a successful init must store its fingerprint")
        try fx.write(component.workspace, to: files.dataDirectory + "/environment", mode: 0o600)
        tf.lock.withLock { tf.calls = [] }
        _ = try r.execute(component, inv)
        #expect(tf.subcommands == ["plan"], "init and workspace select must be skipped: \(tf.calls)")
    }

    @Test("the implicit init starts from `default`: a workspace an earlier run selected is forgotten first (atmos §10.2 step 7)")
    func implicitInitForgetsTheSelectedWorkspace() throws {
        let fx = FakeEffects(), tf = ScriptedTerraform()
        let component = CommandSequenceTests.component()
        let r = try runner(fx, tf, hooks: NoHooks())
        let environment = WorkingFiles(component: component, config: r.config).dataDirectory + "/environment"
        try fx.write("a-workspace-the-backend-lost", to: environment, mode: 0o600)
        final class Seen: @unchecked Sendable { var value: String? = "init not called" }  // one runner, one thread
        let seenAtInit = Seen()
        tf.onCall = { args in if args.first == "init" { seenAtInit.value = fx.lock.withLock { fx.files[environment] } } }
        _ = try r.execute(component, try Self.inv(["plan", "vpc", "-s", "ue1-dev"]))
        #expect(tf.subcommands == ["init", "workspace", "plan"])
        #expect(seenAtInit.value == nil, "init ran with the stale workspace still selected")
    }

    @Test func interruptStopsBeforeTheNextCommand() throws {
        let fx = FakeEffects(), tf = ScriptedTerraform()
        tf.onCall = { args in if args.first == "init" { fx.lock.withLock { fx.interruptCount += 1 } } }
        let r = try runner(fx, tf, hooks: NoHooks())
        let e = caught { _ = try r.execute(CommandSequenceTests.component(), try Self.inv(["plan", "vpc", "-s", "ue1-dev"])) }
        #expect(e is RunInterrupted, "\(String(describing: e))")
        #expect(tf.subcommands == ["init"], "nothing may start after SIGINT")
    }
}
