import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// How one component's run ended: the one outcome type of single runs, estate jobs, run records and
/// summaries.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// terraform succeeded (plan: no changes, or changes without `-detailed-exitcode`).
    case succeeded
    /// A plan with `-detailed-exitcode` found changes (terraform's exit 2).
    case changes
    /// `--drift`: the plan found differences between the configuration and the real infrastructure.
    case drifted
    /// terraform or kit failed for this component.
    case failed
    /// Not run: a dependency failed, was skipped, or was not run.
    case skipped
    /// Not run: a reference needs a dependency's state, and it has none yet (plan before the first apply).
    case waiting
    /// Not run: `--failure-mode fail-fast` stopped the run, or kit was interrupted.
    case notRun = "not-run"
    /// `metadata.enabled: false`.
    case disabled
    /// A dry run: the sequence was printed, nothing ran.
    case dryRun = "dry-run"

    /// True when dependents may go on.
    public var unblocksDependents: Bool { [.succeeded, .changes, .drifted, .disabled, .dryRun].contains(self) }

    /// How a finished terraform run ended (`drift`: a plan's changes are drift).
    public static func classify(_ o: RunOutcome, _ inv: TerraformInvocation, drift: Bool = false) -> JobOutcome {
        if o.skippedDisabled { return JobOutcome(status: .disabled, message: "metadata.enabled is false") }
        if o.dryRunText != nil { return JobOutcome(status: .dryRun, findings: o.findings) }
        switch o.exitCode {
        case 0: return JobOutcome(status: .succeeded, findings: o.findings)
        case 2 where inv.passThrough.contains("-detailed-exitcode"):
            return JobOutcome(status: drift ? .drifted : .changes, exitCode: 2, findings: o.findings)
        default:
            return JobOutcome(status: .failed, exitCode: o.exitCode, findings: o.findings, message: "terraform exited with \(o.exitCode)")
        }
    }
}

/// The name estate code used for `RunStatus`.
public typealias EstateStatus = RunStatus

/// One component's line in the summary.
public struct EstateResult: Sendable {
    public var id: InstanceID
    public var status: EstateStatus
    /// The wave (dependency level within the selection), from 0.
    public var wave: Int
    /// Milliseconds from the start of the estate run to this component's start, and its duration.
    public var startedAfterMilliseconds: Int
    public var durationMilliseconds: Int
    public var exitCode: Int32
    /// What terraform reported (nil when it printed no summary line).
    public var counts: ChangeCounts?
    public var findings: [Finding]
    /// Why it failed, was skipped or is waiting.
    public var message: String?
    /// terraform's plan text (bounded, secrets masked) with the addresses it replaces or destroys.
    public var plan: PlanText?

    public init(id: InstanceID, status: EstateStatus, wave: Int, startedAfterMilliseconds: Int = 0, durationMilliseconds: Int = 0,
                exitCode: Int32 = 0, counts: ChangeCounts? = nil, findings: [Finding] = [], message: String? = nil, plan: PlanText? = nil) {
        self.id = id
        self.status = status
        self.wave = wave
        self.startedAfterMilliseconds = startedAfterMilliseconds
        self.durationMilliseconds = durationMilliseconds
        self.exitCode = exitCode
        self.counts = counts
        self.findings = findings
        self.message = message
        self.plan = plan
    }
}

/// The end of a multi-component run: every selected component's result, in run order.
public struct EstateSummary: Sendable {
    /// The terraform subcommand (`plan`, `apply`, `deploy`, `destroy`, …).
    public var subcommand: String
    public var results: [EstateResult]
    /// True when kit received SIGINT/SIGTERM during the run.
    public var interrupted: Bool
    public var durationMilliseconds: Int
    /// `-detailed-exitcode` was given.
    public var detailedExitCode: Bool

    public init(subcommand: String, results: [EstateResult], interrupted: Bool, durationMilliseconds: Int, detailedExitCode: Bool) {
        self.subcommand = subcommand
        self.results = results
        self.interrupted = interrupted
        self.durationMilliseconds = durationMilliseconds
        self.detailedExitCode = detailedExitCode
    }

    /// 0 all succeeded; 1 any failed, was skipped or not run (or kit was interrupted); 2 when any
    /// drifted, or with `-detailed-exitcode` when any has changes (or waits for a dependency's first
    /// apply) and none failed.
    public var exitCode: Int32 {
        if interrupted { return 1 }
        if results.contains(where: { [.failed, .skipped, .notRun].contains($0.status) }) { return 1 }
        if results.contains(where: { $0.status == .drifted }) { return 2 }
        if detailedExitCode && results.contains(where: { $0.status == .changes || $0.status == .waiting || ($0.counts?.any ?? false) }) {
            return 2
        }
        return 0
    }

    /// How many components ended with each status.
    public var tally: [EstateStatus: Int] {
        var t: [EstateStatus: Int] = [:]
        for r in results { t[r.status, default: 0] += 1 }
        return t
    }
}
