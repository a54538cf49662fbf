/// The subcommand of `kit terraform <subcommand>`: kit's own words (`deploy`, `generate`, `review`) and
/// the terraform subcommands kit treats specially are cases; any other word passes through to
/// terraform as `.other`. What each one may do (run for many components, change state, provision) is
/// said here once, for the parser, its usage errors and the runner.
public enum TerraformSubcommand: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    case plan, apply, deploy, destroy, `init`, validate, output, refresh, workspace, generate, review, providers, state
    case `import`, taint, untaint
    /// A terraform subcommand kit has no rule for (`show`, `console`, `graph`, …), passed through.
    case other(String)

    static let named: [TerraformSubcommand] = [.plan, .apply, .deploy, .destroy, .`init`, .validate, .output, .refresh, .workspace,
                                               .generate, .review, .providers, .state, .`import`, .taint, .untaint]

    /// The subcommand for the word typed.
    public init(_ word: String) {
        self = Self.named.first { $0.word == word } ?? .other(word)
    }

    public init(stringLiteral word: String) { self.init(word) }

    /// The word as typed.
    public var word: String {
        switch self {
        case .plan: return "plan"
        case .apply: return "apply"
        case .deploy: return "deploy"
        case .destroy: return "destroy"
        case .`init`: return "init"
        case .validate: return "validate"
        case .output: return "output"
        case .refresh: return "refresh"
        case .workspace: return "workspace"
        case .generate: return "generate"
        case .review: return "review"
        case .providers: return "providers"
        case .state: return "state"
        case .`import`: return "import"
        case .taint: return "taint"
        case .untaint: return "untaint"
        case .other(let w): return w
        }
    }

    public var description: String { word }

    // Equal when the words are: `.other("plan")` is `.plan`.
    public static func == (a: TerraformSubcommand, b: TerraformSubcommand) -> Bool { a.word == b.word }
    public func hash(into h: inout Hasher) { h.combine(word) }

    /// The subcommands that run for many components (`--all`, `--components`, `--query`, `--affected`).
    public static let estateCapable: [TerraformSubcommand] = [.plan, .apply, .deploy, .destroy, .`init`, .validate, .output, .refresh]

    /// Runs for many components.
    public var runsForMany: Bool { Self.estateCapable.contains(self) }

    /// Runs for many components with this second word: the estate-capable subcommands, and
    /// `providers lock` (a lock file for every selected component, as atmos's `--all`).
    public func runsForMany(second: String?) -> Bool {
        runsForMany || (self == .providers && second == "lock")
    }

    /// Changes state (refused on locked components).
    public var mutates: Bool { [.apply, .deploy, .destroy, .`import`, .state, .taint, .untaint].contains(self) }

    /// Refused on abstract components.
    public var provisions: Bool { [.plan, .apply, .deploy, .workspace].contains(self) }

    /// Writes local state (the state guard's full check: its lock and free space).
    public var writesLocalState: Bool { [.apply, .deploy, .destroy, .`import`, .refresh, .state, .taint, .untaint].contains(self) }

    /// Applies changes (apply, deploy, destroy).
    public var applies: Bool { [.apply, .deploy, .destroy].contains(self) }

    /// What terraform runs (`deploy` runs `apply`).
    public var terraformWord: String { self == .deploy ? "apply" : word }

    /// The estate-capable subcommands as prose (`plan, apply, … and refresh`), for usage errors.
    public static var estateCapableText: String {
        let words = estateCapable.map(\.word) + ["providers lock"]
        return words.dropLast().joined(separator: ", ") + " and " + words.last!
    }
}
