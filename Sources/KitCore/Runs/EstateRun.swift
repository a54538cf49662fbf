import Foundation
import Synchronization
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// `kit terraform <subcommand> --all|--components|--query|--affected`: the selection, the dependency
/// graph, one `EstateTerraformJob` per component (the same pipeline as a single run), the summary.
struct EstateRun {
    let service: TerraformRunService
    var session: KitSession { service.session }
    var console: RunConsole { service.console }

    func run(_ inv: TerraformInvocation) throws -> Int32 {
        let flags = inv.estate!
        let config = session.config
        let catalog = try session.catalog()
        let graph = try catalog.dependencyGraph()
        let selection: Set<InstanceID>
        if flags.affected {
            // Pipelines (issue 8): exactly the pairs changed since --base, resolved with this session's settings.
            let analysis = AffectedAnalysis(session: session, workTreeCatalog: catalog)
            let found = try AffectedSelection.select(graph, stack: inv.stack.isEmpty ? nil : inv.stack, flags: flags, analysis: analysis)
            for w in found.report.warnings { session.diagnostics.emit(w) }
            for d in found.report.instances where d.deleted {
                session.diagnostics.emit(Diagnostic(.warning, "'\(d.id.component)' in '\(d.id.stack)' exists only at '\(flags.base!)' (\(d.reasons.joined(separator: "; "))) — destroy it from that ref, or remove its state"))
            }
            if found.selection.isEmpty {
                session.diagnostics.emit(Diagnostic(.note, "no component is affected between '\(flags.base!)' and \(flags.head.map { "'\($0)'" } ?? "the work tree")"))
                return 0
            }
            selection = found.selection
        } else {
            do {
                selection = try EstateSelection.select(graph, stack: inv.stack.isEmpty ? nil : inv.stack, flags: flags)
            } catch EstateError.emptySelection(let what) where flags.query != nil {
                // As atmos: a query that matches nothing is not a failure (issue 21).
                session.diagnostics.emit(Diagnostic(.note, "nothing to \(inv.commandWords): \(what)"))
                return 0
            }
        }
        let runner = EstateRunner(graph: graph, selection: selection,
                                  options: .init(maxConcurrency: flags.maxConcurrency,
                                                 failureMode: flags.failureMode,
                                                 reverse: inv.subcommand == .destroy))
        let logOrder = flags.logOrder ?? (console.outputIsTerminal ? .stream : .grouped)
        let pipeline = try session.pipeline(graph: graph)
        // As for one component: a run database that cannot be opened does not stop the runs.
        let recorder = Result { try RunRecords.recorder(session, group: RunGroup.make(), dryRun: inv.dryRun) }
        try RunRecords.refuseLinked(recorder)
        let recordErrors = RecordErrors()
        let starts = StartTimes()
        let job = EstateTerraformJob(
            graph: graph, invocation: inv, config: config, environment: session.environment, hooks: session.hooks,
            pipeline: pipeline, processes: session.processes, output: console.estateOutput, logOrder: logOrder, drift: flags.drift,
            finished: { c, inv, result, outcome in
                do {
                    let start = starts.take(InstanceID(stack: c.stackName, component: c.name))
                    try recorder.get()?.record(c, inv, result: RunRecorder.result(result.status.rawValue, exitCode: result.exitCode, signals: start.signals),
                                               exitCode: result.exitCode, startedAt: start.date,
                                               outcome: outcome, counts: result.counts, findings: result.findings, id: start.row)
                } catch {
                    recordErrors.add("\(error)")
                }
            })
        let waves = runner.plannedOrder.isEmpty ? 0 : (runner.waves.values.max() ?? 0) + 1
        session.diagnostics.emit(Diagnostic(.note, "\(inv.commandWords) \(selection.count) component(s) in \(waves) wave(s), at most \(flags.maxConcurrency) at once"))
        let summary = runner.run(subcommand: inv.commandWords, detailedExitCode: inv.passThrough.contains("-detailed-exitcode")) { id in
            // `running` before terraform starts: a kit killed mid-run still leaves its row.
            let date = Date()
            starts.mark(id, date: date, row: inv.dryRun ? nil : try? recorder.get()?.begin(stack: id.stack, component: id.component, inv, startedAt: date))
            return job.run(id)
        }
        console.report("\n" + EstateSummaryFormat.table(summary))
        if let file = flags.summaryFile {
            let path = Paths.join(session.workingDirectory, file)
            let text = file.hasSuffix(".md") ? EstateSummaryFormat.markdown(summary) : JSONWriter.pretty(EstateSummaryFormat.value(summary))
            do { try AtomicFile.write(text, to: path, mode: 0o644) } catch {
                session.diagnostics.emit(Diagnostic(.error, "cannot write the summary file '\(file)': \(error) — check the folder exists and is writable"))
                return 1
            }
        }
        if session.environment["KIT_STATS"] != nil {
            let reads = pipeline.referenceReads
            let children = session.processes.elapsed
            console.report("kit-stats: components=\(summary.results.count) state_reads=\(reads.state) output_reads=\(reads.output) " +
                "terraform_runs=\(children.count) terraform_ms=\(String(format: "%.1f", children.milliseconds))\n")
        }
        // One line per distinct failure (a database that cannot be opened fails every component the same way).
        var reported: Set<String> = []
        for e in recordErrors.all where reported.insert(e).inserted {
            session.diagnostics.emit(Diagnostic(.error, "run record not written: \(e)"))
        }
        if !recordErrors.all.isEmpty { return 1 }
        return summary.exitCode
    }
}

/// The start of each job, for its run record: the time, the `running` row, the signals count then.
final class StartTimes: Sendable {
    struct Start { var date: Date; var row: Int64?; var signals: Int }
    private let times = Mutex<[InstanceID: (date: Date, row: Int64?, signals: Int)]>([:])
    func mark(_ id: InstanceID, date: Date, row: Int64?) { times.withLock { $0[id] = (date, row, Interrupts.received) } }
    func take(_ id: InstanceID) -> Start {
        let s = times.withLock { $0[id] }
        return Start(date: s?.date ?? Date(), row: s?.row, signals: Interrupts.received - (s?.signals ?? Interrupts.received))
    }
}

/// Run-record write failures collected from worker threads.
final class RecordErrors: Sendable {
    private let errors = Mutex<[String]>([])
    func add(_ e: String) { errors.withLock { $0.append(e) } }
    var all: [String] { errors.withLock { $0 } }
}

/// One id for all components of a multi-component run: time and process id, sortable.
enum RunGroup {
    static func make() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return String(format: "%d-%09d-%d", t.tv_sec, t.tv_nsec, getpid())
    }
}
