import Foundation
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// Runs `kit terraform …`: one service for every way of running components. A single component is
/// an estate of one; both go selection → `ComponentPipeline` → `TerraformRunner` → one outcome type
/// (`RunStatus`) → run record → exit code, and differ only in presentation (a single run streams
/// terraform to the terminal and may ask for approval; an estate logs per component and prints a
/// summary). The CLI parses the command line and hands over a `TerraformInvocation`; it holds no run logic.
public struct TerraformRunService: Sendable {
    public let session: KitSession
    public let console: RunConsole

    public init(session: KitSession, console: RunConsole) {
        self.session = session
        self.console = console
    }

    /// Runs the invocation; returns kit's exit code (terraform's own, or 0/1/2 for kit's outcomes).
    public func run(_ inv: TerraformInvocation) throws -> Int32 {
        if let tool = inv.toolArguments { return try terraformItself(tool) }
        if inv.estate != nil { return try EstateRun(service: self).run(inv) }
        let catalog = try session.catalog()
        let found = try catalog.find(component: inv.component, stack: inv.stack)
        switch inv.subcommand {
        case .generate: return try GenerateRun(service: self).run(inv, found)
        case .review: return try ReviewRun(service: self).run(inv, found)
        default: return try single(inv, found)
        }
    }

    /// `kit terraform -version` (or `-help`): the configured terraform command with those arguments,
    /// its output on the terminal and its exit code kit's.
    func terraformItself(_ arguments: [String]) throws -> Int32 {
        let command = try session.processes.resolve(session.config.terraform.command, env: session.environment)
        return try session.processes.run(command, arguments, cwd: session.workingDirectory, env: session.environment, capture: false).status
    }

    /// One component: the pipeline, terraform streaming to the terminal, the run record.
    func single(_ inv: TerraformInvocation, _ found: ResolvedComponent) throws -> Int32 {
        let pipeline = try session.pipeline()
        let resolveStart = DispatchTime.now().uptimeNanoseconds
        // A dry run shows what would run, never reads other components' state (that could run terraform).
        let diagnosticsSink = session.diagnostics
        let c = try pipeline.prepare(found, for: inv, applied: AppliedInputs(config: session.config)) {
            diagnosticsSink.emit(Diagnostic(.note, $0))
        }
        if session.environment["KIT_STATS"] != nil {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - resolveStart) / 1e6
            let reads = pipeline.referenceReads
            console.report("kit-stats: references_ms=\(String(format: "%.2f", ms)) state_reads=\(reads.state) output_reads=\(reads.output)\n")
        }
        let diagnostics = session.diagnostics, console = console
        let runner = TerraformRunner(config: session.config, processes: session.processes, environment: session.environment,
                                     hooks: session.hooks, report: { event in
                                        if case .dryRun(let text) = event { console.output(text); return }
                                        if let d = Diagnostic(event) { diagnostics.emit(d) }
                                     }, approve: console.approve)
        // A run database that cannot be opened (full disk, damaged file) does not stop terraform:
        // the run is reported, then the record failure (see below).
        let recorder = Result { try RunRecords.recorder(session, group: nil, dryRun: inv.dryRun) }
        try RunRecords.refuseLinked(recorder)
        let startedAt = Date()
        // `running` before terraform starts: a kit killed mid-run still leaves its row.
        let runID = inv.dryRun ? nil : try? recorder.get()?.begin(stack: c.component.stackName, component: c.component.name, inv, startedAt: startedAt)
        let signalsAtStart = Interrupts.received
        var outcome: RunOutcome?
        var failure: Error?
        var code: Int32
        do {
            outcome = try runner.execute(c, inv)
            code = outcome!.exitCode
        } catch {
            failure = error
            code = 1
        }
        let status = failure != nil ? RunStatus.failed : RunStatus.classify(outcome!, inv).status
        do {
            let result = RunRecorder.result(status.rawValue, exitCode: code, signals: Interrupts.received - signalsAtStart)
            try recorder.get()?.record(c.component, inv, result: result, exitCode: code, startedAt: startedAt,
                                       outcome: outcome, counts: nil, findings: outcome?.findings ?? [], id: runID)
        } catch {
            if let failure { throw failure }
            session.diagnostics.emit(Diagnostic(.error, "run record not written: \(error)"))
            // terraform's own failure code stays; a success (also -detailed-exitcode's 2) becomes 1.
            if code == 0 || code == 2 { code = 1 }
        }
        if let failure { throw failure }
        return code
    }
}

/// The run store's recorder for a session's repository.
public enum RunRecords {
    /// A run database path that is a link stops the run before terraform starts (unlike a full disk,
    /// which is reported after it): kit never writes through a link.
    public static func refuseLinked(_ recorder: Result<RunRecorder?, Error>) throws {
        if case .failure(let e as RunStoreError) = recorder, case .linked = e { throw e }
    }

    /// A dry run is recorded only into an existing database: `--dry-run` never creates files.
    public static func recorder(_ session: KitSession, group: String?, dryRun: Bool) throws -> RunRecorder? {
        let path = RunStore.path(in: session.config)
        if dryRun && !session.fileSystem.exists(path) { return nil }
        let store = try RunStore(path: path)
        let env = session.environment
        return RunRecorder(store: store, group: group, user: OSAccount.name(),
                           gitCommit: GitCommit.head(in: session.config.basePath, environment: env))
    }
}
