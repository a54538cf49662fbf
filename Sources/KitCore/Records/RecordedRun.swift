import Foundation
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// One terraform run as kept in the run store (`<repo>/.kit/runs.db`): who ran what, when, and how it ended.
///
/// Every field maps to one column of the `runs` table (see docs/runs.md); findings live in the
/// `findings` table. `startedAt` is stored in whole milliseconds.
public struct RecordedRun: Equatable, Sendable {
    /// The store's id, assigned on insert; nil for a run not stored yet.
    public var id: Int64?
    /// One id shared by every component of one multi-component run (`--all`); nil for a single run.
    public var group: String?
    /// When the run started.
    public var startedAt: Date
    /// How long the run took, in milliseconds.
    public var durationMilliseconds: Int
    /// Who ran it (`$USER`, or the CI actor).
    public var user: String
    /// The repository's commit at the time, when known.
    public var gitCommit: String?
    /// The stack name.
    public var stack: String
    /// The component name.
    public var component: String
    /// The terraform subcommand: `plan`, `apply`, `destroy`, …
    public var subcommand: String
    /// The command-line arguments, already secret-masked by the caller.
    public var arguments: [String]
    /// True for `--dry-run` (nothing executed).
    public var dryRun: Bool
    /// terraform's (or kit's) exit code.
    public var exitCode: Int32
    /// How the run ended: `succeeded`, `failed`, `blocked`, `skipped`, `interrupted`, `drifted`, …
    public var result: String
    /// Resources the plan adds, when a plan was made.
    public var planAdd: Int?
    /// Resources the plan changes in place, when a plan was made.
    public var planChange: Int?
    /// Resources the plan destroys, when a plan was made.
    public var planDestroy: Int?
    /// Addresses of the resources the plan changes, in plan order.
    public var changedAddresses: [String]
    /// Guardrail findings from the plugins, in the order they were reported.
    public var findings: [RecordedFinding]
    /// The reason given for overriding blocking findings, when they were overridden.
    public var overrideReason: String?

    /// A run with every field given; `id` is nil until the store assigns one.
    public init(id: Int64? = nil, group: String? = nil, startedAt: Date, durationMilliseconds: Int, user: String,
                gitCommit: String? = nil, stack: String, component: String, subcommand: String,
                arguments: [String] = [], dryRun: Bool = false, exitCode: Int32, result: String,
                planAdd: Int? = nil, planChange: Int? = nil, planDestroy: Int? = nil,
                changedAddresses: [String] = [], findings: [RecordedFinding] = [], overrideReason: String? = nil) {
        self.id = id
        self.group = group
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.user = user
        self.gitCommit = gitCommit
        self.stack = stack
        self.component = component
        self.subcommand = subcommand
        self.arguments = arguments
        self.dryRun = dryRun
        self.exitCode = exitCode
        self.result = result
        self.planAdd = planAdd
        self.planChange = planChange
        self.planDestroy = planDestroy
        self.changedAddresses = changedAddresses
        self.findings = findings
        self.overrideReason = overrideReason
    }
}

/// One guardrail finding attached to a recorded run.
public struct RecordedFinding: Equatable, Sendable {
    /// `error`, `warning` or `info`.
    public var severity: String
    /// The policy id, e.g. `aws.tags.required`.
    public var policy: String
    /// What is wrong, in one sentence.
    public var message: String
    /// The configuration path or resource address it is about, when there is one.
    public var path: String?

    /// A finding with every field given.
    public init(severity: String, policy: String, message: String, path: String? = nil) {
        self.severity = severity
        self.policy = policy
        self.message = message
        self.path = path
    }

    /// The recorded form of a plugin's finding (its hint is not kept).
    public init(_ finding: Finding) {
        self.init(severity: finding.severity.rawValue, policy: finding.policy, message: finding.message, path: finding.path)
    }
}
