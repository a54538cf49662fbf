import KitModel
/// A component's value sections, named once. Each phase of the pipeline walks its own subset
/// (`templated`, `evaluated`, `referenced`), and `ResolvedComponent.rewrite` applies `ValueWalk` to
/// exactly those — so the phases cannot disagree on a section's name or silently skip one.
public enum ComponentSection: String, CaseIterable, Sendable {
    case vars, settings, env, metadata, providers, backend
    case remoteStateBackend = "remote_state_backend"
    case hooks, generate, auth, dependencies

    /// The name in the describe document and in error paths (`vars`, `remote_state_backend`).
    public var name: String { rawValue }

    var keyPath: WritableKeyPath<ResolvedComponent, [String: Value]> {
        switch self {
        case .vars: return \.vars
        case .settings: return \.settings
        case .env: return \.env
        case .metadata: return \.metadata
        case .providers: return \.providers
        case .backend: return \.backend
        case .remoteStateBackend: return \.remoteStateBackend
        case .hooks: return \.hooks
        case .generate: return \.generate
        case .auth: return \.auth
        case .dependencies: return \.dependencies
        }
    }

    /// Rendered by the component template pass (`ComponentTemplates`).
    public static let templated: [ComponentSection] = [.vars, .settings, .env, .metadata, .providers, .backend,
                                                       .remoteStateBackend, .hooks, .generate, .dependencies]
    /// Evaluated by the YAML function phase (`YAMLFunctionEvaluator`).
    public static let evaluated: [ComponentSection] = [.vars, .settings, .env, .providers, .backend,
                                                       .remoteStateBackend, .hooks, .generate, .auth]
    /// Where `!terraform.state`/`.output` and deferred `atmos.Component` templates are resolved at run
    /// time (`ReferenceResolver`, `ReferenceScan`): what terraform receives.
    public static let referenced: [ComponentSection] = [.vars, .env, .settings, .providers, .backend]
}

extension ResolvedComponent {
    /// The section's values.
    public subscript(section section: ComponentSection) -> [String: Value] {
        get { self[keyPath: section.keyPath] }
        set { self[keyPath: section.keyPath] = newValue }
    }

    /// Rewrites the leaves of `sections` that `candidate` accepts through `ValueWalk.rewriteLeaves`,
    /// each section from its own root location; a section with none is left untouched (not copied).
    package mutating func rewriteLeaves(_ sections: [ComponentSection], where candidate: (Value) -> Bool,
                                        _ replace: (Value, ValueLocation) throws -> Value?) rethrows {
        for section in sections {
            let values = self[section: section]
            if values.isEmpty { continue }
            guard let out = try ValueWalk.rewriteLeaves(.map(values), at: ValueLocation(section: section.name),
                                                        where: candidate, replace) else { continue }
            self[section: section] = out.mapValue ?? values
        }
    }

    /// Rewrites `sections` through `ValueWalk.rewrite`, each from its own root location.
    package mutating func rewrite(_ sections: [ComponentSection], _ replace: (Value, ValueLocation) throws -> Value?) rethrows {
        for section in sections {
            let values = self[section: section]
            self[section: section] = try ValueWalk.rewrite(.map(values), at: ValueLocation(section: section.name), replace).mapValue ?? values
        }
    }
}
