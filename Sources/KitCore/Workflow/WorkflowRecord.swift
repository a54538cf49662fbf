import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Writes a finished workflow into the run database: one row for the workflow (`subcommand` `workflow`,
/// `component` the workflow's name) and one per step that ran (`workflow-step`, `component` the step's
/// name), all with the same `group` (`workflow:<name>:<start>`), so `kit runs list` shows the workflow
/// with its steps. The `terraform` runs the steps make are recorded by those kit processes themselves.
public enum WorkflowRecord {
    /// The rows for `outcome` (not yet stored).
    public static func rows(_ outcome: WorkflowOutcome, user: String, gitCommit: String?, dryRun: Bool) -> [RecordedRun] {
        let group = "workflow:\(outcome.workflow.name):\(Int(outcome.startedAt.timeIntervalSince1970 * 1000))"
        let stack = outcome.steps.compactMap { $0.step.stack }.first ?? outcome.workflow.stack ?? ""
        let summary = outcome.steps.map { "\($0.step.name)=\($0.result.rawValue)" }
        var rows = [RecordedRun(group: group, startedAt: outcome.startedAt, durationMilliseconds: outcome.milliseconds, user: user,
                                gitCommit: gitCommit, stack: stack, component: outcome.workflow.name, subcommand: "workflow",
                                arguments: [outcome.workflow.file] + summary, dryRun: dryRun, exitCode: outcome.exitCode,
                                result: dryRun ? "dry-run" : outcome.failed == nil ? "succeeded" : "failed")]
        var at = outcome.startedAt
        for s in outcome.steps where s.result == .succeeded || s.result == .failed {
            rows.append(RecordedRun(group: group, startedAt: at, durationMilliseconds: s.milliseconds, user: user, gitCommit: gitCommit,
                                    stack: s.step.stack ?? outcome.workflow.stack ?? "", component: s.step.name, subcommand: "workflow-step",
                                    arguments: [s.step.type.rawValue, s.step.command], dryRun: false, exitCode: s.exitCode,
                                    result: s.result.rawValue))
            at = at.addingTimeInterval(Double(s.milliseconds) / 1000)
        }
        return rows
    }
}
