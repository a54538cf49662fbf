import KitModel
/// atmos's `atmos.Component "<component>" "<stack>"` template function: another component's
/// `describe component` sections plus `outputs` (its terraform outputs).
///
/// The value it returns is lazy: reading `.vars.x` needs only the component's configuration, so it
/// works for a component that has never been applied; `.outputs` is read only when a template reaches
/// it. Where the values come from is the caller's business (`TemplateComponentLookup`): the stack
/// catalog while components resolve, the reference resolver when a run needs the outputs.
public protocol TemplateComponentLookup: Sendable {
    /// The component `name` in the stack named `stack`; throws when there is no such component or
    /// reading it would close a cycle.
    func component(_ name: String, stack: String) throws -> TemplateComponent
}

/// What `atmos.Component` returns: a component's sections, with its outputs and any values that
/// are still references (`!terraform.state …`) read on demand.
public struct TemplateComponent: Sendable {
    /// The component's name.
    public var component: String
    /// The stack it was read from.
    public var stack: String
    /// The `describe component` sections as resolved; values that depend on other components'
    /// state are still unevaluated (see `isUnresolved`).
    public var sections: [String: Value]
    /// The component's terraform outputs (output name → value).
    public var outputs: @Sendable () throws -> [String: Value]
    /// `sections` with every unevaluated value evaluated.
    public var resolvedSections: @Sendable () throws -> [String: Value]
    /// True for a value that is not final yet (a `!terraform.*` reference or a deferred template).
    public var isUnresolved: @Sendable (Value) -> Bool

    /// A component value over the given readers.
    public init(component: String, stack: String, sections: [String: Value],
                outputs: @escaping @Sendable () throws -> [String: Value],
                resolvedSections: @escaping @Sendable () throws -> [String: Value],
                isUnresolved: @escaping @Sendable (Value) -> Bool) {
        self.component = component
        self.stack = stack
        self.sections = sections
        self.outputs = outputs
        self.resolvedSections = resolvedSections
        self.isUnresolved = isUnresolved
    }

    /// True when the value at `path` of the sections (or a value on the way to it) is not final.
    func needsResolution(at path: ArraySlice<String>) -> Bool {
        var current = Value.map(sections)
        for name in path {
            if isUnresolved(current) { return true }
            guard case .map(let m) = current.untaggedForTemplate, let next = m[name] else { return false }
            current = next
        }
        return containsUnresolved(current)
    }

    func containsUnresolved(_ v: Value) -> Bool {
        var work = [v]
        while let x = work.popLast() {
            if isUnresolved(x) { return true }
            switch x {
            case .map(let m): work.append(contentsOf: m.values)
            case .list(let l): work.append(contentsOf: l)
            case .tagged(_, let inner): work.append(inner)
            default: break
            }
        }
        return false
    }

    /// Every section and `outputs`, everything evaluated (printing the whole value, or handing it
    /// to a function, needs all of it).
    func materialized() throws -> Value {
        var all = containsUnresolved(.map(sections)) ? try resolvedSections() : sections
        all["outputs"] = .map(try outputs())
        return .map(all)
    }
}

extension TemplateFunction {
    /// `atmos.Component component stack`.
    func callAtmosComponent(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue {
        try args.expect(2)
        let name = try args.string(0)
        let stack = try args.string(1)
        guard let lookup = context.options.components else {
            throw TemplateFunctionFailure(message: "only available in component templates (not in imported manifest templates, stack names or workspace templates)")
        }
        do {
            return .component(try lookup.component(name, stack: stack))
        } catch let failure as TemplateFunctionFailure {
            throw failure
        } catch let cycle as ComponentReadCycle {
            throw cycle   // the component that started the reads reports it, with where
        } catch {
            throw TemplateFunctionFailure(message: "\(error)")
        }
    }
}
