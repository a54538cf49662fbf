import KitModel
import KitStacks
import KitTerraform
/// One (stack, component) pair `describe affected` reports, with why.
public struct AffectedInstance: Sendable, Equatable {
    public var id: InstanceID
    /// The terraform folder, relative to the terraform base path (at head; at base for deleted ones).
    public var folder: String
    /// The first reason key in atmos's order (`stack.metadata`, `component.module`, `component`,
    /// `stack.vars`, …, `stack.settings`, `file`, `folder`, `dependency`, `deleted`, `deleted.stack`).
    public var affected: String { affectedAll.first ?? "" }
    /// Every reason key that applies, in atmos's order.
    public var affectedAll: [String]
    /// Human-readable reasons, one per finding (`vars.cidr changed`, `components/terraform/vpc/main.tf changed`).
    public var reasons: [String]
    /// The changed dependency file, when `file` is a reason.
    public var file: String?
    /// The changed dependency folder, when `folder` is a reason.
    public var changedFolder: String?
    /// Deleted at head: `component` (the stack remains) or `stack` (the whole stack is gone).
    public var deletionType: String?
    /// The components that depend on this one directly (with `--include-dependents`).
    public var dependents: [InstanceID]
    /// True when it is reported only because something it depends on is affected.
    public var includedInDependents: Bool
    /// `metadata.enabled` at head.
    public var enabled: Bool

    public init(id: InstanceID, folder: String, affectedAll: [String], reasons: [String], file: String? = nil,
                changedFolder: String? = nil, deletionType: String? = nil, dependents: [InstanceID] = [],
                includedInDependents: Bool = false, enabled: Bool = true) {
        self.id = id
        self.folder = folder
        self.affectedAll = affectedAll
        self.reasons = reasons
        self.file = file
        self.changedFolder = changedFolder
        self.deletionType = deletionType
        self.dependents = dependents
        self.includedInDependents = includedInDependents
        self.enabled = enabled
    }

    /// True for a pair that exists only at the base ref.
    public var deleted: Bool { deletionType != nil }

    /// `<stack>-<component with "/" → "-">` (atmos's `stack_slug`).
    public var stackSlug: String { Self.slug(id) }

    static func slug(_ id: InstanceID) -> String { id.stack + "-" + id.component.replacingAll("/", with: "-") }
}

/// What `describe affected` found.
public struct AffectedReport: Sendable {
    /// Affected and deleted pairs, sorted by stack then component.
    public var instances: [AffectedInstance]
    /// The head's dependency graph, when it was built (dependents, matrix waves).
    public var graph: DependencyGraph?
    /// Problems that did not stop the comparison (a manifest broken at both refs, a missing folder).
    public var warnings: [Diagnostic]
    /// The commits compared (`head` nil: the work tree).
    public var baseCommit: String
    public var headCommit: String?
    /// Top-level manifests resolved at each ref (the rest were provably unchanged).
    public var resolvedFiles: (base: Int, head: Int)

    /// The pairs a run should plan or apply: neither deleted nor disabled.
    public var runnable: Set<InstanceID> {
        Set(instances.filter { !$0.deleted && $0.enabled }.map(\.id))
    }
}
