import Foundation
import KitPluginSDK
import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// What one component's job reports back to the scheduler.
public struct JobOutcome: Sendable {
    public var status: EstateStatus
    public var exitCode: Int32
    public var counts: ChangeCounts?
    public var findings: [Finding]
    public var message: String?
    /// terraform's text for the summary (plans), bounded and masked.
    public var plan: PlanText?

    public init(status: EstateStatus, exitCode: Int32 = 0, counts: ChangeCounts? = nil, findings: [Finding] = [], message: String? = nil) {
        self.status = status
        self.exitCode = exitCode
        self.counts = counts
        self.findings = findings
        self.message = message
    }
}

/// Runs a selection of (stack, component) pairs in dependency order: up to `maxConcurrency` jobs at
/// once, each on its own thread (terraform runs block in `waitpid`), a component starting when every
/// selected prerequisite has finished well. Dependents of a failure are skipped; with `fail-fast`
/// nothing new starts after a failure; after SIGINT/SIGTERM nothing new starts and the running
/// components get the signal (the process layer forwards it). `reverse` runs dependents first (destroy).
public final class EstateRunner: Sendable {
    public struct Options: Sendable {
        public var maxConcurrency: Int
        public var failureMode: FailureMode
        public var reverse: Bool
        public init(maxConcurrency: Int = 1, failureMode: FailureMode = .failFast, reverse: Bool = false) {
            self.maxConcurrency = max(1, maxConcurrency)
            self.failureMode = failureMode
            self.reverse = reverse
        }
    }

    let order: [InstanceID]
    let wave: [InstanceID: Int]
    let prerequisites: [InstanceID: Set<InstanceID>]
    let options: Options

    /// Plans the run: waves over `selection` in `graph`.
    public init(graph: DependencyGraph, selection: Set<InstanceID>, options: Options) {
        let waves = graph.waves(of: selection, reverse: options.reverse)
        var w: [InstanceID: Int] = [:]
        for (i, ids) in waves.enumerated() { for id in ids { w[id] = i } }
        self.wave = w
        self.order = waves.flatMap { $0 }
        self.prerequisites = graph.prerequisites(within: selection, reverse: options.reverse)
        self.options = options
    }

    /// The run order (wave by wave).
    public var plannedOrder: [InstanceID] { order }
    /// The wave of each selected component.
    public var waves: [InstanceID: Int] { wave }

    private struct State {
        var results: [InstanceID: EstateResult] = [:]
        var running: Set<InstanceID> = []
        /// Jobs that finished since the scheduler last looked (their results are in `results`).
        var finished: [InstanceID] = []
        var failed = false
    }

    /// Runs every job and returns the results in run order. `job` runs on a worker thread.
    ///
    /// The scheduler is event-driven and linear in components and edges: each component counts its
    /// unfinished prerequisites, a finished job updates only its dependents, and the ready ones wait in
    /// a heap by run order (so at `--max-concurrency 1` jobs start exactly in `plannedOrder`).
    public func run(subcommand: String, detailedExitCode: Bool,
                    job: @escaping @Sendable (InstanceID) -> JobOutcome) -> EstateSummary {
        Interrupts.install()
        let signalsAtStart = Interrupts.received
        let start = DispatchTime.now()
        func elapsed() -> Int { Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000) }
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
        var schedule = Schedule(order: order, prerequisites: prerequisites)

        while true {
            let interrupted = Interrupts.received > signalsAtStart
            // Decide what can start, what must be skipped, under the lock.
            let (toStart, runningCount) = state.withLock { s -> ([InstanceID], Int) in
                let finished = s.finished
                s.finished = []
                let stopAll: String? = interrupted ? "kit was interrupted before it started"
                    : (s.failed && options.failureMode == .failFast) ? "not started: an earlier component failed (--failure-mode fail-fast)" : nil
                if let stopAll {
                    for id in schedule.drain() {
                        s.results[id] = EstateResult(id: id, status: .notRun, wave: wave[id]!, message: stopAll)
                    }
                    return ([], s.running.count)
                }
                for id in finished.sorted(by: { schedule.position[$0]! < schedule.position[$1]! }) {
                    let result = s.results[id]!
                    if result.status.unblocksDependents {
                        schedule.unblock(after: id)
                        continue
                    }
                    // Everything downstream of a blocked job is skipped (or waits, behind a waiting one).
                    for (blocked, blocker) in schedule.block(after: id) {
                        let b = s.results[blocker]!
                        let status: EstateStatus = b.status == .waiting ? .waiting : .skipped
                        let why = b.status == .waiting
                            ? "waiting on '\(blocker.component)' in '\(blocker.stack)', which has no state yet (\(b.message ?? "apply it first"))"
                            : "dependency '\(blocker.component)' in '\(blocker.stack)' \(b.status == .failed ? "failed" : "did not run")"
                        s.results[blocked] = EstateResult(id: blocked, status: status, wave: wave[blocked]!, message: why)
                    }
                }
                var starts: [InstanceID] = []
                while s.running.count + starts.count < options.maxConcurrency, let id = schedule.nextReady() {
                    starts.append(id)
                }
                for id in starts { s.running.insert(id) }
                return (starts, s.running.count)
            }
            for id in toStart {
                let startedAfter = elapsed()
                let thread = Thread { [wave] in
                    let t0 = DispatchTime.now()
                    let outcome = job(id)
                    let ms = Int((DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1_000_000)
                    state.withLock { s in
                        s.running.remove(id)
                        s.results[id] = EstateResult(id: id, status: outcome.status, wave: wave[id]!, startedAfterMilliseconds: startedAfter,
                                                     durationMilliseconds: ms, exitCode: outcome.exitCode, counts: outcome.counts,
                                                     findings: outcome.findings, message: outcome.message, plan: outcome.plan)
                        s.finished.append(id)
                        if outcome.status == .failed { s.failed = true }
                    }
                    wake.signal()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            if schedule.isDone && runningCount == 0 && state.withLock({ $0.finished.isEmpty }) { break }
            if toStart.isEmpty {
                // Wait for a job to finish; wake up now and then to notice an interrupt between jobs.
                _ = wake.wait(timeout: .now() + .milliseconds(200))
            }
        }
        let results = state.withLock { s in order.compactMap { s.results[$0] } }
        return EstateSummary(subcommand: subcommand, results: results, interrupted: Interrupts.received > signalsAtStart,
                             durationMilliseconds: elapsed(), detailedExitCode: detailedExitCode)
    }
}
