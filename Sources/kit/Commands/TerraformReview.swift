import Foundation
import KitCore
import KitPluginSDK

/// `kit terraform review <component> -s <stack> --plan-json plan.json [--override-guardrails 'reason']`:
/// plugins review a plan made elsewhere.
///
/// As for plan and apply, an `error` finding makes the review fail (exit 1) unless
/// `--override-guardrails` gives a reason: then kit warns that the errors were overridden and exits 0.
/// Every review is recorded in the run store (subcommand `review`, result `succeeded` or `blocked`,
/// the findings and the override reason).
enum TerraformReview {
    static func run(_ inv: TerraformInvocation, _ c: ResolvedComponent, catalog: StackCatalog, context: CLIContext) throws -> Int32 {
        guard let path = inv.planJSON else {
            throw TerraformInvocation.UsageError(message: "missing '--plan-json <file>' — save a plan with 'terraform show -json <planfile> > plan.json'")
        }
        let bytes = try LocalFileSystem().read(Paths.join(Paths.currentDirectory(), path))
        let plan: JSONValue
        do { plan = try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) } } catch {
            throw TerraformError.invalidPlanJSON("'\(path)': \(error)")
        }
        let startedAt = Date()
        let findings: [Finding]
        if catalog.config.pluginsDisabled {
            // Nothing can review the plan: say so rather than pass it.
            findings = []
            context.diagnostics.warning("plugins are off (KIT_NO_PLUGINS=1): no plugin reviewed the plan for '\(c.name)' in '\(c.stackName)'")
        } else {
            let hooks = try PluginHookSetup.hooks(context, config: catalog.config)
            findings = try hooks.review(c, operation: operation(inv, plan), plan: plan)
        }
        for f in findings { FindingPrinter.print(f, to: context.diagnostics) }
        let summary = PlanSummary.summarize(plan)
        let errors = findings.filter { $0.severity == .error }.count
        context.diagnostics.note("reviewed plan for '\(c.name)' in '\(c.stackName)' (\(PlanSummary.line(summary))): \(errors) error(s), \(findings.count - errors) other finding(s)")
        var overridden: String?
        if errors > 0, let reason = inv.overrideGuardrails {
            context.diagnostics.warning("\(errors) guardrail error(s) overridden for '\(c.name)' in '\(c.stackName)': \(reason)")
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
            let recorder = try RunRecords.recorder(context.session(), group: nil, dryRun: false)
            try recorder?.record(c, inv, result: blocked ? "blocked" : "succeeded", exitCode: code, startedAt: startedAt,
                                 outcome: outcome, counts: nil, findings: findings)
        } catch {
            context.diagnostics.error("run record not written: \(error)")
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
