import Foundation
import KitPluginSDK

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

    /// Records one run. `secretNames` are variable names whose values must not be stored.
    @discardableResult
    public func record(_ c: ResolvedComponent, _ inv: TerraformInvocation, result: String, exitCode: Int32,
                       startedAt: Date, outcome: RunOutcome?, counts: ChangeCounts?, findings: [Finding]) throws -> Int64 {
        let duration = Int(now().timeIntervalSince(startedAt) * 1000)
        let run = RecordedRun(group: group, startedAt: startedAt, durationMilliseconds: max(0, duration), user: user,
                              gitCommit: gitCommit, stack: c.stackName, component: c.name, subcommand: inv.subcommand,
                              arguments: Self.maskedArguments(inv.passThrough), dryRun: inv.dryRun, exitCode: exitCode,
                              result: result, planAdd: counts?.add, planChange: counts?.change, planDestroy: counts?.destroy,
                              changedAddresses: Self.changedAddresses(outcome?.planSummary ?? .null),
                              findings: findings.map(RecordedFinding.init), overrideReason: outcome?.overrideReason ?? inv.overrideGuardrails)
        return try store.insert(run)
    }

    /// Pass-through arguments with `-var name=value` values masked (they may be secrets).
    public static func maskedArguments(_ args: [String]) -> [String] {
        var out: [String] = []
        var maskNext = false
        for a in args {
            if maskNext {
                out.append(a.split(separator: "=", maxSplits: 1).first.map { "\($0)=***" } ?? "***")
                maskNext = false
            } else if a == "-var" {
                out.append(a)
                maskNext = true
            } else if a.hasPrefix("-var=") {
                let rest = a.dropFirst(5)
                out.append("-var=" + (rest.split(separator: "=", maxSplits: 1).first.map { "\($0)=***" } ?? "***"))
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
