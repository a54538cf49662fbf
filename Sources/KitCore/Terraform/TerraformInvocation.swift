/// `kit terraform <subcommand> <component> -s <stack> [kit flags] [terraform args] [-- terraform args]`,
/// parsed the way atmos does (reference §10.1): kit's own flags are removed, everything else is passed
/// through to terraform verbatim, in order.
public struct TerraformInvocation: Equatable, Sendable {
    /// The terraform subcommand as typed (`plan`, `apply`, `deploy`, `destroy`, `output`, …).
    public var subcommand: String
    /// `workspace list` etc.: the word after `workspace`, or after `generate`.
    public var subSubcommand: String?
    public var component: String
    public var stack: String
    public var dryRun = false
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

    /// Errors in the command line (exit code 64).
    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Parses the arguments after `kit terraform`.
    public static func parse(_ args: [String]) throws -> TerraformInvocation {
        var inv = TerraformInvocation(subcommand: "", component: "", stack: "")
        var positional: [String] = []
        var i = 0
        func value(_ flag: String) throws -> String {
            if let eq = args[i].firstIndex(of: "=") { return String(args[i][args[i].index(after: eq)...]) }
            guard i + 1 < args.count else { throw UsageError(message: "missing value for '\(flag)'") }
            i += 1
            return args[i]
        }
        while i < args.count {
            let a = args[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            switch name {
            case "--":
                inv.passThrough += args[(i + 1)...]
                i = args.count
                continue
            case "-s", "--stack": inv.stack = try value(name)
            case "--dry-run": inv.dryRun = true
            case "--skip-init": inv.skipInit = true
            case "--init": inv.forceInit = true
            case "--skip-planfile": inv.skipPlanfile = true
            case "--from-plan":
                inv.fromPlan = true
                if a.contains("=") { inv.planfile = try value(name) }
            case "--planfile": inv.planfile = try value(name)
            case "--override-guardrails": inv.overrideGuardrails = try value(name)
            case "--plan-json": inv.planJSON = try value(name)
            case "-f", "--file": inv.outputFile = try value(name)
            case "--format": inv.format = try value(name)
            default:
                if a.hasPrefix("-") || !positional.isEmpty && positional.count >= expectedPositionals(positional) {
                    inv.passThrough.append(a)
                } else {
                    positional.append(a)
                }
            }
            i += 1
        }
        guard let sub = positional.first else {
            throw UsageError(message: "missing terraform subcommand — usage: kit terraform <plan|apply|deploy|destroy|output|…> <component> -s <stack>")
        }
        inv.subcommand = sub
        var rest = positional.dropFirst()
        if sub == "workspace" || sub == "generate" || sub == "state" {
            if let next = rest.first, rest.count >= 2 { inv.subSubcommand = next; rest = rest.dropFirst() }
            if sub == "generate" && inv.subSubcommand == nil {
                throw UsageError(message: "missing what to generate — usage: kit terraform generate <varfile|backend> <component> -s <stack>")
            }
        }
        guard let component = rest.first else {
            throw UsageError(message: "missing component — usage: kit terraform \(sub) <component> -s <stack>")
        }
        inv.component = component
        inv.passThrough = Array(rest.dropFirst()) + inv.passThrough
        if inv.stack.isEmpty {
            throw UsageError(message: "missing '-s <stack>' — name the stack to \(sub) '\(component)' in (see 'kit list stacks')")
        }
        return inv
    }

    /// How many positionals a command takes before the rest is passed through.
    static func expectedPositionals(_ p: [String]) -> Int {
        guard let sub = p.first else { return 1 }
        return (sub == "workspace" || sub == "generate" || sub == "state") ? 3 : 2
    }

    /// The subcommand terraform runs (`deploy` runs `apply`).
    public var terraformSubcommand: String { subcommand == "deploy" ? "apply" : subcommand }

    /// True for commands that change state (refused on locked components).
    public var mutates: Bool {
        ["apply", "deploy", "destroy", "import", "state", "taint", "untaint"].contains(subcommand)
    }

    /// True for commands refused on abstract components.
    public var provisions: Bool { ["plan", "apply", "deploy", "workspace"].contains(subcommand) }
}
