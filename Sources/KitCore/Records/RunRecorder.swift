import Foundation
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// Turns finished terraform runs into `RecordedRun`s and writes them to the run store. The clock,
/// the user and the git commit are injected; a failed write is reported to the caller, never skipped.
public struct RunRecorder: Sendable {
    public var store: RunStore
    /// One id for every component of a multi-component run (nil for a single run).
    public var group: String?
    public var user: String
    public var gitCommit: String?
    public var now: @Sendable () -> Date

    public init(store: RunStore, group: String?, user: String, gitCommit: String?, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.group = group
        self.user = user
        self.gitCommit = gitCommit
        self.now = now
    }

    /// Records that a run of `component` in `stack` has started (result `running`, exit code -1),
    /// before terraform starts, and returns its id for `record(…, id:)`. A kit killed with SIGKILL
    /// leaves this row, so `kit runs list` shows the run instead of losing it.
    @discardableResult
    public func begin(stack: String, component: String, _ inv: TerraformInvocation, startedAt: Date) throws -> Int64 {
        try store.insert(RecordedRun(group: group, startedAt: startedAt, durationMilliseconds: 0, user: user, gitCommit: gitCommit,
                                     stack: stack, component: component, subcommand: inv.subcommand.word,
                                     arguments: Self.maskedArguments(inv.passThrough), dryRun: inv.dryRun, exitCode: -1,
                                     result: Self.running, overrideReason: inv.overrideGuardrails))
    }

    /// The result of a run that has started and not ended (or whose kit was killed).
    public static let running = "running"
    /// The result of a run stopped by SIGINT/SIGTERM.
    public static let interrupted = "interrupted"

    /// Records how one run ended: updates row `id` (from `begin`) or inserts a new one.
    @discardableResult
    public func record(_ c: ResolvedComponent, _ inv: TerraformInvocation, result: String, exitCode: Int32,
                       startedAt: Date, outcome: RunOutcome?, counts: ChangeCounts?, findings: [Finding], id: Int64? = nil) throws -> Int64 {
        let duration = Int(now().timeIntervalSince(startedAt) * 1000)
        let run = RecordedRun(group: group, startedAt: startedAt, durationMilliseconds: max(0, duration), user: user,
                              gitCommit: gitCommit, stack: c.stackName, component: c.name, subcommand: inv.subcommand.word,
                              arguments: Self.maskedArguments(inv.passThrough), dryRun: inv.dryRun, exitCode: exitCode,
                              result: result, planAdd: counts?.add, planChange: counts?.change, planDestroy: counts?.destroy,
                              changedAddresses: Self.changedAddresses(outcome?.planSummary ?? .null),
                              findings: findings.map(RecordedFinding.init), overrideReason: outcome?.overrideReason ?? inv.overrideGuardrails)
        if let id { return try store.update(id: id, with: run) }
        return try store.insert(run)
    }

    /// The result to record: `interrupted` when kit received SIGINT/SIGTERM during a run that did not
    /// succeed (`signals` counts them from the run's start), else `status`.
    public static func result(_ status: String, exitCode: Int32, signals: Int) -> String {
        signals > 0 && exitCode != 0 && exitCode != 2 ? interrupted : status
    }

    /// Pass-through arguments with every variable value and every `-backend-config` value masked
    /// (they may be secrets), in each spelling terraform accepts: `-var x=v`, `-var=x=v`, `--var x=v`,
    /// `--var=x=v`, and the same for `-backend-config` (`-backend-config=password=***`). The name stays;
    /// a `-backend-config` file path (no `=`) stays too.
    public static func maskedArguments(_ args: [String]) -> [String] {
        let masked: Set<String> = ["-var", "-backend-config"]
        func flag(_ a: String) -> String { a.hasPrefix("--") ? String(a.dropFirst()) : a }
        func mask(_ value: Substring) -> String {
            value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).count == 2
                ? String(value.prefix { $0 != "=" }) + "=***" : String(value)
        }
        func maskVar(_ value: Substring) -> String {
            value.contains("=") ? String(value.prefix { $0 != "=" }) + "=***" : "***"
        }
        var out: [String] = []
        var maskNext: String?
        for a in args {
            if let kind = maskNext {
                out.append(kind == "-var" ? maskVar(Substring(a)) : mask(Substring(a)))
                maskNext = nil
                continue
            }
            let f = flag(a)
            if masked.contains(f) {
                out.append(a)
                maskNext = f
            } else if let eq = f.firstIndex(of: "="), masked.contains(String(f[..<eq])) {
                let name = String(f[..<eq]), value = f[f.index(after: eq)...]
                let prefix = String(a.prefix(a.count - value.count))
                out.append(prefix + (name == "-var" ? maskVar(value) : mask(value)))
            } else {
                out.append(a)
            }
        }
        return out
    }

    static func changedAddresses(_ summary: JSONValue) -> [String] {
        (summary["addresses"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
