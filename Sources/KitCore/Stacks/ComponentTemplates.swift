/// The component template pass (reference §12.2 (b)): with `templates.settings.enabled`, every string
/// value of a resolved component that holds a template action is rendered with the component's
/// document as data (`.vars`, `.settings`, `.env`, `.metadata`, `.backend`, `.providers`,
/// `.atmos_component`, `.atmos_stack`, `.stack`, `.atmos_stack_file`, `.component`, `.workspace`).
///
/// kit renders value by value, where atmos renders the section's YAML text once: a template can
/// produce a string but not new YAML structure (use `!template` for that in atmos). Errors name the
/// stack, component and the path of the value.
enum ComponentTemplates {
    /// `locate` finds where a path of the merged stack was set, so errors point at the template itself.
    static func render(_ c: inout ResolvedComponent, templates: TemplateRendering, ignoreMissing: Bool,
                       locate: ([String]) -> SourceLocation? = { _ in nil }) throws {
        var data = ComponentTemplateData.data(for: c).mapValue ?? [:]
        data["atmos_stack"] = .string(c.stackName)
        data["stack"] = .string(c.stackName)
        data["workspace"] = .string(c.workspace)
        let root = Value.map(data)
        func walk(_ v: Value, _ path: [String]) throws -> Value {
            switch v {
            case .string(let s) where containsTemplateAction(s):
                do {
                    return .string(try templates.render(s, name: path.joined(separator: "."), data: root, ignoreMissing: ignoreMissing))
                } catch {
                    let at = locate(["components", "terraform", c.name] + path) ?? locate(path) ?? SourceLocation(file: c.stackFileID)
                    throw TemplateLocation.error(error, file: at.file, start: at.mark,
                                                 context: "\(UserText.quoted(path.joined(separator: "."))) of component \(UserText.quoted(c.name)) in stack \(UserText.quoted(c.stackName))")
                }
            case .map(let m):
                var out = m
                for (k, x) in m { out[k] = try walk(x, path + [k]) }
                return .map(out)
            case .list(let l):
                return .list(try l.enumerated().map { try walk($0.element, path + [String($0.offset)]) })
            default:
                return v
            }
        }
        c.vars = try walk(.map(c.vars), ["vars"]).mapValue ?? c.vars
        c.settings = try walk(.map(c.settings), ["settings"]).mapValue ?? c.settings
        c.env = try walk(.map(c.env), ["env"]).mapValue ?? c.env
        c.metadata = try walk(.map(c.metadata), ["metadata"]).mapValue ?? c.metadata
        c.providers = try walk(.map(c.providers), ["providers"]).mapValue ?? c.providers
        c.backend = try walk(.map(c.backend), ["backend"]).mapValue ?? c.backend
        c.remoteStateBackend = try walk(.map(c.remoteStateBackend), ["remote_state_backend"]).mapValue ?? c.remoteStateBackend
        c.hooks = try walk(.map(c.hooks), ["hooks"]).mapValue ?? c.hooks
        c.dependencies = try walk(.map(c.dependencies), ["dependencies"]).mapValue ?? c.dependencies
    }
}
