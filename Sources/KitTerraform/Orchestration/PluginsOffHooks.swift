import KitPluginSDK
import KitModel
import KitStacks

/// The hooks of a run with `KIT_NO_PLUGINS=1`: no plugin is loaded or asked, and every run that plans
/// or changes infrastructure says so.
///
/// `adapt` answers one `warning` finding with policy `kit.plugins-off` for `plan`, `apply` and
/// `destroy`: the runner prints it before terraform starts (loudly: an apply then goes ahead with no
/// guardrail review) and keeps it in the run's findings, so the run record and the estate summary
/// show that plugins were off. Reads (`output`, `show`, `state`, …) stay quiet.
public struct PluginsOffHooks: TerraformHooks {
    /// The policy id of the finding.
    public static let policy = "kit.plugins-off"

    public init() {}

    /// The finding for `operation`, or nil for an operation that neither plans nor changes anything.
    public static func finding(operation: String) -> Finding? {
        switch operation {
        case "apply", "destroy":
            return Finding(severity: .warning, policy: policy,
                           message: "plugins are off (KIT_NO_PLUGINS=1): this \(operation) runs with no plugin guardrails and no plan review",
                           hint: "unset KIT_NO_PLUGINS to have the plugins check the configuration and review the plan")
        case "plan":
            return Finding(severity: .warning, policy: policy,
                           message: "plugins are off (KIT_NO_PLUGINS=1): no plugin checked this configuration")
        default:
            return nil
        }
    }

    public func adapt(_ c: ResolvedComponent, operation: String) throws -> (RunAdaptation, [Finding]) {
        (RunAdaptation(), Self.finding(operation: operation).map { [$0] } ?? [])
    }

    public func review(_ c: ResolvedComponent, operation: String, plan: JSONValue) throws -> [Finding] { [] }

    public func after(_ c: ResolvedComponent, operation: String, exitCode: Int32, planSummary: JSONValue) -> [Finding] { [] }
}
