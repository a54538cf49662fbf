import Foundation
import Synchronization
import KitCore
import KitPluginSDK

/// `kit terraform <subcommand> --all|--components|--query …`: many components in dependency order.
enum TerraformEstate {
    static func run(_ inv: TerraformInvocation, catalog: StackCatalog, global: GlobalOptions) throws -> Int32 {
        let flags = inv.estate!
        let config = catalog.config
        let graph = try catalog.dependencyGraph()
        let selection: Set<InstanceID>
        if flags.affected {
            // Pipelines (issue 8): exactly the pairs changed since --base.
            let analysis = AffectedAnalysis(config: config, environment: CLIContext.environment,
                                            templates: GoTemplateRendering(environment: CLIContext.environment), workTreeCatalog: catalog)
            let found = try AffectedSelection.select(graph, stack: inv.stack.isEmpty ? nil : inv.stack, flags: flags, analysis: analysis)
            for w in found.report.warnings { Diagnostics.shared.emit(w) }
            for d in found.report.instances where d.deleted {
                Diagnostics.shared.warning("'\(d.id.component)' in '\(d.id.stack)' exists only at '\(flags.base!)' (\(d.reasons.joined(separator: "; "))) — destroy it from that ref, or remove its state")
            }
            if found.selection.isEmpty {
                Diagnostics.shared.note("no component is affected between '\(flags.base!)' and \(flags.head.map { "'\($0)'" } ?? "the work tree")")
                return 0
            }
            selection = found.selection
        } else {
            selection = try EstateSelection.select(graph, stack: inv.stack.isEmpty ? nil : inv.stack, flags: flags)
        }
        let reverse = inv.subcommand == "destroy"
        let runner = EstateRunner(graph: graph, selection: selection,
                                  options: .init(maxConcurrency: flags.maxConcurrency,
                                                 failureMode: FailureMode(rawValue: flags.failureMode) ?? .failFast, reverse: reverse))
        let environment = CLIContext.environment
        let hooks = TerraformCommand.hooks(global: global, config: config)
        let logOrder = flags.logOrder.flatMap(LogOrder.init(rawValue:)) ?? (isatty(1) == 1 ? .stream : .grouped)
        let processes = TimedProcessRunner()
        let references = TerraformCommand.referenceResolver(config: config, environment: environment, hooks: hooks, processes: processes,
                                                            templates: catalog.templates) { component, stack in
            if let c = graph.instances[InstanceID(stack: stack, component: component)] { return c }
            return try catalog.find(component: component, stack: stack)
        }
        // As for one component: a run database that cannot be opened does not stop the runs.
        let recorder = Result { try TerraformCommand.recorder(config: config, group: RunGroup.make(), environment: environment, dryRun: inv.dryRun) }
        let recordErrors = RecordErrors()
        let starts = StartTimes()
        var estateJob = EstateTerraformJob(
            graph: graph, invocation: inv, config: config, environment: environment, hooks: { hooks },
            references: references, processes: processes, output: EstateOutput(fd: 1), logOrder: logOrder,
            finished: { c, inv, result, outcome in
                do {
                    try recorder.get()?.record(c, inv, result: result.status.rawValue, exitCode: result.exitCode,
                                        startedAt: starts.take(InstanceID(stack: c.stackName, component: c.name)),
                                        outcome: outcome, counts: result.counts, findings: result.findings)
                } catch {
                    recordErrors.add("\(error)")
                }
            })
        estateJob.check = catalog.componentCheck
        estateJob.drift = flags.drift
        let job = estateJob
        Diagnostics.shared.note("\(inv.subcommand) \(selection.count) component(s) in \(runner.plannedOrder.isEmpty ? 0 : (runner.waves.values.max() ?? 0) + 1) wave(s), at most \(flags.maxConcurrency) at once")
        let summary = runner.run(subcommand: inv.subcommand, detailedExitCode: inv.passThrough.contains("-detailed-exitcode")) { id in
            starts.mark(id)
            return job.run(id)
        }
        FileHandle.standardError.write(Data(("\n" + EstateSummaryFormat.table(summary)).utf8))
        if let file = flags.summaryFile {
            let path = Paths.join(Paths.currentDirectory(), file)
            let text = file.hasSuffix(".md") ? EstateSummaryFormat.markdown(summary) : JSONWriter.pretty(EstateSummaryFormat.value(summary))
            do { try AtomicFile.write(text, to: path, mode: 0o644) } catch {
                Diagnostics.shared.error("cannot write the summary file '\(file)': \(error) — check the folder exists and is writable")
                return 1
            }
        }
        let statistics = references.reads
        if environment["KIT_STATS"] != nil {
            let children = processes.elapsed
            FileHandle.standardError.write(Data(("kit-stats: components=\(summary.results.count) state_reads=\(statistics.state) output_reads=\(statistics.output) " +
                "terraform_runs=\(children.count) terraform_ms=\(String(format: "%.1f", children.milliseconds))\n").utf8))
        }
        // One line per distinct failure (a database that cannot be opened fails every component the same way).
        var reported: Set<String> = []
        for e in recordErrors.all where reported.insert(e).inserted { Diagnostics.shared.error("run record not written: \(e)") }
        if !recordErrors.all.isEmpty { return 1 }
        return summary.exitCode
    }
}

/// The start time of each job, for its run record.
final class StartTimes: Sendable {
    private let times = Mutex<[InstanceID: Date]>([:])
    func mark(_ id: InstanceID) { times.withLock { $0[id] = Date() } }
    func take(_ id: InstanceID) -> Date { times.withLock { $0[id] ?? Date() } }
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
