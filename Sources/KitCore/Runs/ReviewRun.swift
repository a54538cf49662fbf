import Foundation
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// `kit terraform review <component> -s <stack> --plan-json plan.json [--override-guardrails 'reason']`:
/// the plugins review a plan made elsewhere, for the component as the pipeline prepares it (YAML
/// functions evaluated, as for a run; other components' state is not read).
///
/// As for plan and apply, an `error` finding makes the review fail (exit 1) unless
/// `--override-guardrails` gives a reason: then kit warns that the errors were overridden and exits 0.
/// Every review is recorded in the run store (subcommand `review`, result `succeeded` or `blocked`,
/// the findings and the override reason).
struct ReviewRun {
    let service: TerraformRunService
    var session: KitSession { service.session }

    func run(_ inv: TerraformInvocation, _ found: ResolvedComponent) throws -> Int32 {
        guard let path = inv.planJSON else {
            throw TerraformInvocation.UsageError(message: "missing '--plan-json <file>' — save a plan with 'terraform show -json <planfile> > plan.json'")
        }
        let bytes = try session.fileSystem.read(Paths.join(session.workingDirectory, path))
        let plan: JSONValue
        do { plan = try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) } } catch {
            throw TerraformError.invalidPlanJSON("'\(path)': \(error)")
        }
        let c = try session.pipeline().prepare(found, validation: inv.validation, readReferences: false).component
        let diagnostics = session.diagnostics
        let startedAt = Date()
        let findings: [Finding]
        if session.config.pluginsDisabled {
            // Nothing can review the plan: say so rather than pass it.
            findings = []
            diagnostics.emit(Diagnostic(.warning, "plugins are off (KIT_NO_PLUGINS=1): no plugin reviewed the plan for '\(c.name)' in '\(c.stackName)'"))
        } else {
            findings = try session.hooks.review(c, operation: Self.operation(inv, plan), plan: plan)
        }
        for f in findings { diagnostics.emit(Diagnostic(f)) }
        let summary = PlanSummary.summarize(plan)
        let errors = findings.filter { $0.severity == .error }.count
        diagnostics.emit(Diagnostic(.note, "reviewed plan for '\(c.name)' in '\(c.stackName)' (\(PlanSummary.line(summary))): \(errors) error(s), \(findings.count - errors) other finding(s)"))
        var overridden: String?
        if errors > 0, let reason = inv.overrideGuardrails {
            diagnostics.emit(Diagnostic(.warning, "\(errors) guardrail error(s) overridden for '\(c.name)' in '\(c.stackName)': \(reason)"))
            overridden = reason
        }
        let blocked = errors > 0 && overridden == nil
        let code: Int32 = blocked ? 1 : 0
        var outcome = RunOutcome()
        outcome.exitCode = code
        outcome.planSummary = summary
        outcome.overrideReason = overridden
        outcome.findings = findings
        do {
            let recorder = try RunRecords.recorder(session, group: nil, dryRun: false)
            try recorder?.record(c, inv, result: blocked ? "blocked" : "succeeded", exitCode: code, startedAt: startedAt,
                                 outcome: outcome, counts: nil, findings: findings)
        } catch {
            diagnostics.emit(Diagnostic(.error, "run record not written: \(error)"))
            return 1
        }
        return code
    }

    /// The operation the plan is for: `destroy` when asked (`--format destroy`) or when a change of the
    /// plan only deletes; else `apply`.
    static func operation(_ inv: TerraformInvocation, _ plan: JSONValue) -> String {
        if inv.format == "destroy" { return "destroy" }
        let deletesOnly = plan["resource_changes"]?.arrayValue?.contains {
            let actions = $0.value(at: ["change", "actions"])?.arrayValue ?? []
            return actions.contains(.string("delete")) && actions.count == 1
        } == true
        return deletesOnly ? "destroy" : "apply"
    }
}
