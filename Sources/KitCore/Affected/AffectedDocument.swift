import KitModel
import KitStacks
import KitTerraform
/// `describe affected` output: atmos's keys plus kit's `reasons`, and the GitHub Actions matrix.
///
/// Each entry: `component`, `component_type` (`terraform`), `component_path` (the folder relative to
/// the base path), `stack`, `stack_slug`, `affected` (the first reason key), `affected_all` (every
/// reason key, atmos's order), `reasons` (one sentence per finding), `deleted`, `deletion_type`
/// (`component`|`stack`, deleted pairs only), `file`/`folder` (the changed dependency, when that is a
/// reason), `enabled`, and with `--include-dependents` `dependents` (direct dependents as
/// `{component, stack, stack_slug}`) and `included_in_dependents`.
public enum AffectedDocument {
    /// The JSON/YAML document: a list sorted by stack then component.
    public static func value(_ report: AffectedReport, terraformBase: String, includeDependents: Bool) -> Value {
        .list(report.instances.map { a in
            var m: [String: Value] = [
                "component": .string(a.id.component),
                "component_type": .string("terraform"),
                "component_path": .string(Paths.join(terraformBase, a.folder)),
                "stack": .string(a.id.stack),
                "stack_slug": .string(a.stackSlug),
                "affected": .string(a.affected),
                "affected_all": .list(a.affectedAll.map(Value.string)),
                "reasons": .list(a.reasons.map(Value.string)),
                "deleted": .bool(a.deleted),
                "enabled": .bool(a.enabled),
            ]
            if let t = a.deletionType { m["deletion_type"] = .string(t) }
            if let f = a.file { m["file"] = .string(f) }
            if let f = a.changedFolder { m["folder"] = .string(f) }
            if includeDependents {
                m["included_in_dependents"] = .bool(a.includedInDependents)
                m["dependents"] = .list(a.dependents.map(entry))
            }
            return .map(m)
        })
    }

    static func entry(_ id: InstanceID) -> Value {
        .map(["component": .string(id.component), "stack": .string(id.stack), "stack_slug": .string(AffectedInstance.slug(id))])
    }

    /// `{"include":[{stack, component, stack_slug, component_path, wave}]}`: the runnable pairs (not
    /// deleted, not disabled), ordered by wave then stack then component; wave k only depends on earlier waves.
    public static func matrix(_ ids: Set<InstanceID>, graph: DependencyGraph, terraformBase: String) -> Value {
        var rows: [Value] = []
        for (wave, members) in graph.waves(of: ids, reverse: false).enumerated() {
            for id in members {
                let folder = graph.instances[id]?.folder ?? id.component
                rows.append(.map(["stack": .string(id.stack), "component": .string(id.component), "wave": .int(wave),
                                  "stack_slug": .string(AffectedInstance.slug(id)),
                                  "component_path": .string(Paths.join(terraformBase, folder))]))
            }
        }
        return .map(["include": .list(rows)])
    }
}
