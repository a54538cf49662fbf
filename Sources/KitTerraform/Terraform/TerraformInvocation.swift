import KitModel
import KitStacks
/// `kit terraform <subcommand> <component> -s <stack> [kit flags] [terraform args] [-- terraform args]`,
/// parsed the way atmos does (reference §10.1): kit's own flags are removed, everything else is passed
/// through to terraform verbatim, in order.
public struct TerraformInvocation: Equatable, Sendable {
    /// The subcommand (`plan`, `apply`, `deploy`, `destroy`, `output`, …; others pass through).
    public var subcommand: TerraformSubcommand
    /// `workspace list` etc.: the word after `workspace`, or after `generate`.
    public var subSubcommand: String?
    public var component: String
    public var stack: String
    public var dryRun = false
    /// `components.terraform` settings given as atmos's flags (`--init-pass-vars`, …): applied to the
    /// configuration the run loads, so single and estate runs see them alike.
    public var settingOverrides = TerraformSettingOverrides()
    public var skipInit = false
    /// `--init`: run init even when the fingerprint says it is not needed.
    public var forceInit = false
    /// `--from-plan` given (with or without a path).
    public var fromPlan = false
    /// A planfile path from `--from-plan=<p>` / `--planfile <p>`.
    public var planfile: String?
    /// `--skip-planfile`.
    public var skipPlanfile = false
    /// `--override-guardrails "<reason>"`: go on despite error findings (recorded).
    public var overrideGuardrails: String?
    /// `--plan-json <file>` for `review`.
    public var planJSON: String?
    /// `-f/--file` for `generate`.
    public var outputFile: String?
    /// `--format` for `generate`/`review`.
    public var format: String?
    /// Arguments for terraform, verbatim.
    public var passThrough: [String] = []
    /// terraform prints no colour codes (`-no-color`): set by the CLI when stdout is not a terminal,
    /// `NO_COLOR` is set, or `--no-color` is given.
    public var noColor = false
    /// `--untrusted` anywhere before `--` (the CLI's global flag, which the pass-through capture would
    /// otherwise hand to terraform).
    public var untrusted = false
    /// `kit terraform -version` / `-v` / `version` / `-help`: terraform itself with these arguments, for
    /// no component (as atmos passes them through); nil for every other invocation.
    public var toolArguments: [String]?
    /// What a multi-component run selects and how it runs (`--all`, `--components`, `--query`, …);
    /// nil for a single component.
    public var estate: EstateFlags?

    /// The flags of a multi-component run.
    public struct EstateFlags: Equatable, Sendable {
        /// `--all`: every component (of the `-s` stack, or of every stack).
        public var all = false
        /// `--components a,b`.
        public var components: [String] = []
        /// `--query <expression>`: keep the pairs it matches.
        public var query: String?
        /// `--include-dependents`: add everything that depends on the selection.
        public var includeDependents = false
        public var maxConcurrency = 1
        public var failureMode: FailureMode = .failFast
        /// nil: grouped unless stdout is a terminal.
        public var logOrder: LogOrder?
        /// `--summary-file <path>` (`.json` or `.md`).
        public var summaryFile: String?
        // Pipelines (issue 8).
        /// `--affected`: the pairs `describe affected` reports between `base` and `head`.
        public var affected = false
        /// `--base <ref>` for `--affected`.
        public var base: String?
        /// `--head <ref>` for `--affected` (nil: the work tree).
        public var head: String?
        /// `--drift`: plan with `-detailed-exitcode`; changes are reported as drift.
        public var drift = false
        public init() {}
    }

    /// An invocation of `subcommand` for one component, with no flags.
    public init(subcommand: TerraformSubcommand, component: String, stack: String) {
        self.subcommand = subcommand
        self.component = component
        self.stack = stack
    }

    /// Errors in the command line (exit code 64).
    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// The command's words as typed (`plan`, `providers lock`, `workspace list`), for notes and summaries.
    public var commandWords: String { subSubcommand.map { "\(subcommand.word) \($0)" } ?? subcommand.word }

    /// The subcommand terraform runs (`deploy` runs `apply`).
    public var terraformSubcommand: String { subcommand.terraformWord }

    /// True for commands that change state (refused on locked components).
    public var mutates: Bool { subcommand.mutates }

    /// Whether the pipeline checks `settings.validation` first: before every terraform run, as in
    /// atmos; not for `generate` and `review`, which run nothing.
    public var validation: ComponentPipeline.Validation {
        subcommand == .generate || subcommand == .review ? .skip : .check
    }

    /// True for commands refused on abstract components.
    public var provisions: Bool { subcommand.provisions }
}
