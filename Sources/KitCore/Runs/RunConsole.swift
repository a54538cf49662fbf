import KitModel
import KitStacks
import KitTerraform
/// Where a run's presentation goes: the only effects of `TerraformRunService` besides the session's.
/// The CLI fills it with stdout, stderr and a terminal prompt; tests collect.
public struct RunConsole: Sendable {
    /// Command output (dry-run text, `generate --dry-run`), in one piece.
    public var output: @Sendable (String) -> Void
    /// Text for a person that is not a diagnostic (the estate summary table, `kit-stats:` lines).
    public var report: @Sendable (String) -> Void
    /// Asks before applying a reviewed plan; nil when there is no terminal to ask.
    public var approve: (@Sendable () -> Bool)?
    /// True when stdout is a terminal (estate logs stream then, else they are grouped).
    public var outputIsTerminal: Bool
    /// The descriptor estate logs are written to (stdout).
    public var estateOutput: EstateOutput

    public init(output: @escaping @Sendable (String) -> Void, report: @escaping @Sendable (String) -> Void,
                approve: (@Sendable () -> Bool)?, outputIsTerminal: Bool, estateOutput: EstateOutput) {
        self.output = output
        self.report = report
        self.approve = approve
        self.outputIsTerminal = outputIsTerminal
        self.estateOutput = estateOutput
    }
}
