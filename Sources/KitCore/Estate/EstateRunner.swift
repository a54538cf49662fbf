import Foundation
import KitPluginSDK
import Synchronization

/// What `--failure-mode` says happens after a component fails.
public enum FailureMode: String, Sendable, CaseIterable {
    /// Start nothing new; components already running finish.
    case failFast = "fail-fast"
    /// Go on with everything that does not depend on the failure; its dependents are skipped.
    case keepGoing = "keep-going"
}

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
        var failed = false
    }

    /// Runs every job and returns the results in run order. `job` runs on a worker thread.
    public func run(subcommand: String, detailedExitCode: Bool,
                    job: @escaping @Sendable (InstanceID) -> JobOutcome) -> EstateSummary {
        Interrupts.install()
        let signalsAtStart = Interrupts.received
        let start = DispatchTime.now()
        func elapsed() -> Int { Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000) }
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
        var pending = order

        while true {
            let interrupted = Interrupts.received > signalsAtStart
            // Decide what can start, what must be skipped, under the lock.
            let (toStart, runningCount) = state.withLock { s -> ([InstanceID], Int) in
                var starts: [InstanceID] = []
                var keep: [InstanceID] = []
                for id in pending {
                    if interrupted {
                        s.results[id] = EstateResult(id: id, status: .notRun, wave: wave[id]!, message: "kit was interrupted before it started")
                        continue
                    }
                    if s.failed && options.failureMode == .failFast {
                        s.results[id] = EstateResult(id: id, status: .notRun, wave: wave[id]!, message: "not started: an earlier component failed (--failure-mode fail-fast)")
                        continue
                    }
                    let pre = prerequisites[id] ?? []
                    if let blocker = pre.sorted().first(where: { s.results[$0].map { !$0.status.unblocksDependents } ?? false }) {
                        let b = s.results[blocker]!
                        let status: EstateStatus = b.status == .waiting ? .waiting : .skipped
                        let why = b.status == .waiting
                            ? "waiting on '\(blocker.component)' in '\(blocker.stack)', which has no state yet (\(b.message ?? "apply it first"))"
                            : "dependency '\(blocker.component)' in '\(blocker.stack)' \(b.status == .failed ? "failed" : "did not run")"
                        s.results[id] = EstateResult(id: id, status: status, wave: wave[id]!, message: why)
                        continue
                    }
                    if pre.allSatisfy({ s.results[$0] != nil }) && s.running.count + starts.count < options.maxConcurrency {
                        starts.append(id)
                    } else {
                        keep.append(id)
                    }
                }
                pending = keep
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
                        if outcome.status == .failed { s.failed = true }
                    }
                    wake.signal()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            if pending.isEmpty && runningCount == 0 { break }
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
