import Synchronization
import KitModel

/// A component value whose template reads another component's outputs (`atmos.Component … .outputs`,
/// or a value that is still a `!terraform.*` reference): it cannot be rendered while stacks resolve,
/// so it is kept as the template text, tagged, and rendered by `ReferenceResolver` when a run needs
/// it (after the other component has been applied). Where it was written is kept beside the value
/// (`ResolvedComponent.deferredTemplateLocations`), so an unrelated edit above it in the file does
/// not change the value (`describe affected` compares values).
///
/// Writers print a tagged value as its inner value, so `describe component` and dry runs show the
/// template as written, the way they show `!terraform.state …`.
public enum DeferredTemplate {
    static let tag = "!kit.deferred-template"

    /// The deferred value for `text`.
    static func make(_ text: String) -> Value { .tagged(tag, .string(text)) }

    /// The template text, when `v` is a deferred template.
    public static func text(of v: Value) -> String? {
        guard case .tagged(tag, .string(let text)) = v else { return nil }
        return text
    }

    /// True for a value that is not final while stacks resolve: a deferred template, or a
    /// `!terraform.state`/`!terraform.output` reference.
    public static func isUnresolved(_ v: Value) -> Bool {
        switch v {
        case .string(let s): return ReferenceScan.parse(s) != nil
        case .tagged: return text(of: v) != nil
        default: return false
        }
    }
}

/// Thrown while stacks resolve when a template reaches another component's outputs (or one of its
/// values that is still a reference); the component template pass defers that value.
struct ComponentOutputsDeferred: Error {}

/// `atmos.Component` reads that come back to where they started, or that nest deeper than
/// `maximumDepth` (each level resolves a component on the same thread: without a bound, a long
/// chain in a hostile or mistaken repository would exhaust the thread's stack).
public struct ComponentReadCycle: Error, CustomStringConvertible {
    /// The components in read order; for a cycle the last one is the first again.
    public var chain: [InstanceID]
    /// True when the chain is too deep rather than circular.
    public var tooDeep = false

    /// How many components may be reading through one another at once.
    public static let maximumDepth = 32

    /// Throws when reading `next` from the end of `chain` would close a cycle or nest too deep.
    package static func check(_ chain: [InstanceID], reading next: InstanceID) throws {
        if chain.contains(next) { throw ComponentReadCycle(chain: chain + [next]) }
        if chain.count >= maximumDepth { throw ComponentReadCycle(chain: chain + [next], tooDeep: true) }
    }

    public var description: String {
        let shown = chain.count <= 12 ? chain : Array(chain.prefix(5)) + Array(chain.suffix(5))
        var path = shown.map { "'\($0.component)' in stack '\($0.stack)'" }
        if chain.count > 12 { path.insert("… (\(chain.count - 10) more)", at: 5) }
        if tooDeep {
            return "atmos.Component reads nest more than \(Self.maximumDepth) components deep: " + path.joined(separator: " → ")
                + " — read the value from the component that defines it instead of through a chain of templates"
        }
        return "atmos.Component reads form a cycle: " + path.joined(separator: " → ")
            + " — a component cannot read itself through other components' templates"
    }
}

/// `atmos.Component` while stacks resolve: the other component as the catalog resolves it, its
/// outputs (and values that are still references) deferred to the run. Records what was read, for
/// the dependency graph.
final class CatalogComponentLookup: TemplateComponentLookup {
    typealias Read = @Sendable (_ component: String, _ stack: String) throws -> ResolvedComponent
    let read: Read
    private let reads = Mutex<[InstanceID]>([])

    init(read: @escaping Read) { self.read = read }

    /// The components read so far, in first-read order.
    var components: [InstanceID] { reads.withLock { $0 } }

    func component(_ name: String, stack: String) throws -> TemplateComponent {
        let c = try read(name, stack)
        let id = InstanceID(stack: c.stackName, component: c.name)
        reads.withLock { if !$0.contains(id) { $0.append(id) } }
        return TemplateComponent(component: c.name, stack: c.stackName, sections: ComponentDocument.sections(c),
                                 outputs: { throw ComponentOutputsDeferred() },
                                 resolvedSections: { throw ComponentOutputsDeferred() },
                                 isUnresolved: DeferredTemplate.isUnresolved)
    }
}
