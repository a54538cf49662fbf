import Foundation
import KitCore
import KitPluginSDK

/// `kit terraform review <component> -s <stack> --plan-json plan.json`: plugins review a plan made elsewhere.
enum TerraformReview {
    static func run(_ inv: TerraformInvocation, _ c: ResolvedComponent, catalog: StackCatalog, global: GlobalOptions) throws -> Int32 {
        guard let path = inv.planJSON else {
            throw TerraformInvocation.UsageError(message: "missing '--plan-json <file>' — save a plan with 'terraform show -json <planfile> > plan.json'")
        }
        let bytes = try LocalFileSystem().read(Paths.join(Paths.currentDirectory(), path))
        let plan: JSONValue
        do { plan = try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) } } catch {
            throw TerraformError.invalidPlanJSON("'\(path)': \(error)")
        }
        let hooks = try PluginHookSetup.hooks(global: global, config: catalog.config)
        let operation = plan["resource_changes"]?.arrayValue?.contains { ($0.value(at: ["change", "actions"])?.arrayValue ?? []).contains(.string("delete")) && ($0.value(at: ["change", "actions"])?.arrayValue?.count ?? 0) == 1 } == true ? "destroy" : "apply"
        let findings = try hooks.review(c, operation: inv.format == "destroy" ? "destroy" : operation, plan: plan)
        for f in findings { FindingPrinter.print(f) }
        let summary = PlanSummary.summarize(plan)
        let errors = findings.filter { $0.severity == .error }.count
        Diagnostics.shared.note("reviewed plan for '\(c.name)' in '\(c.stackName)' (\(PlanSummary.line(summary))): \(errors) error(s), \(findings.count - errors) other finding(s)")
        return errors > 0 ? 1 : 0
    }
}
