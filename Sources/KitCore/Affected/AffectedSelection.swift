import KitModel
import KitStacks
import KitTerraform
/// The pairs `kit terraform <plan|apply|deploy> --affected --base <ref>` runs.
public enum AffectedSelection {
    /// The affected, runnable pairs of `graph` (not deleted, not disabled), narrowed by `-s`,
    /// `--components` and `--query` like any estate run, plus every dependent with
    /// `--include-dependents`. Empty when nothing is affected. Also returns the report (warnings, deleted pairs).
    public static func select(_ graph: DependencyGraph, stack: String?, flags: TerraformInvocation.EstateFlags,
                              analysis: AffectedAnalysis) throws -> (selection: Set<InstanceID>, report: AffectedReport) {
        let report = try analysis.run(.init(base: flags.base ?? "", head: flags.head))
        var narrowing = flags
        narrowing.includeDependents = false
        narrowing.affected = false
        let candidates = try EstateSelection.select(graph, stack: stack, flags: narrowing)
        var selection = candidates.intersection(report.runnable)
        if flags.includeDependents {
            for d in graph.closure(from: Array(selection), edges: graph.dependents) { selection.insert(d) }
        }
        return (selection, report)
    }
}
