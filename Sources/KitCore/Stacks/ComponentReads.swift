import Synchronization

/// A component value whose template reads another component's outputs (`atmos.Component … .outputs`,
/// or a value that is still a `!terraform.*` reference): it cannot be rendered while stacks resolve,
/// so it is kept as the template text, tagged with where it was written, and rendered by
/// `ReferenceResolver` when a run needs it (after the other component has been applied).
///
/// Writers print a tagged value as its inner value, so `describe component` and dry runs show the
/// template as written, the way they show `!terraform.state …`.
public enum DeferredTemplate {
    static let tag = "!kit.deferred-template"

    /// The deferred value for `text`, written at `location`.
    static func make(_ text: String, at location: SourceLocation) -> Value {
        .tagged("\(tag) \(location)", .string(text))
    }

    /// The template text and where it was written, when `v` is a deferred template.
    public static func parse(_ v: Value) -> (text: String, location: SourceLocation)? {
        guard case .tagged(let t, .string(let text)) = v, t.hasPrefix(tag + " ") else { return nil }
        let at = String(t.dropFirst(tag.count + 1))
        // `file:line:column`, or a bare file.
        let parts = at.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) {
            return (text, SourceLocation(file: parts.dropLast(2).joined(separator: ":"), mark: Mark(line: line, column: column)))
        }
        return (text, SourceLocation(file: at))
    }

    /// True for a value that is not final while stacks resolve: a deferred template, or a
    /// `!terraform.state`/`!terraform.output` reference.
    public static func isUnresolved(_ v: Value) -> Bool {
        switch v {
        case .string(let s): return ReferenceScan.parse(s) != nil
        case .tagged: return parse(v) != nil
        default: return false
        }
    }
}

/// Thrown while stacks resolve when a template reaches another component's outputs (or one of its
/// values that is still a reference); the component template pass defers that value.
struct ComponentOutputsDeferred: Error {}

/// `atmos.Component` reads that come back to where they started.
public struct ComponentReadCycle: Error, CustomStringConvertible {
    /// The components in read order; the last one is the first again.
    public var chain: [InstanceID]

    public var description: String {
        "atmos.Component reads form a cycle: "
            + chain.map { "'\($0.component)' in stack '\($0.stack)'" }.joined(separator: " → ")
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
