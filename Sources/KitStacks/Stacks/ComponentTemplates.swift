import KitModel
/// The component template pass (reference §12.2 (b)): with `templates.settings.enabled`, every string
/// value of a resolved component that holds a template action is rendered with the component's
/// document as data (`.vars`, `.settings`, `.env`, `.metadata`, `.backend`, `.providers`,
/// `.atmos_component`, `.atmos_stack`, `.stack`, `.atmos_stack_file`, `.component`, `.workspace`,
/// and `.spacelift_stack`/`.atlantis_project` where configured — see `IntegrationNames`), and the
/// Gomplate datasources of atmos.yaml and the component's `settings.templates.settings`.
///
/// kit renders value by value, where atmos renders the section's YAML text once: a template can
/// produce a string but not new YAML structure (use `!template` for that in atmos). Errors name the
/// stack, component and the path of the value.
///
/// `atmos.Component` reads other components through the catalog; a value whose template reaches
/// their outputs is deferred to the run (`DeferredTemplate`, rendered by `ReferenceResolver`).
package enum ComponentTemplates {
    /// The sections a value whose template reads another component's outputs may sit in: the ones
    /// `ReferenceResolver` evaluates at run time.
    static let deferrableSections = Set(ComponentSection.referenced.map(\.name))

    /// The data a component's templates see.
    package static func data(for c: ResolvedComponent) -> Value {
        var data = ComponentTemplateData.data(for: c).mapValue ?? [:]
        data["atmos_stack"] = .string(c.stackName)
        data["stack"] = .string(c.stackName)
        data["workspace"] = .string(c.workspace)
        if let s = c.spaceliftStack { data["spacelift_stack"] = .string(s) }
        if let a = c.atlantisProject { data["atlantis_project"] = .string(a) }
        return .map(data)
    }

    /// `locate` finds where a path of the merged stack was set, so errors point at the template itself.
    /// `components` reads another component for `atmos.Component` (nil: the function is an error);
    /// a value whose template reaches that component's outputs is deferred (`DeferredTemplate`).
    static func render(_ c: inout ResolvedComponent, templates: TemplateRendering, ignoreMissing: Bool,
                       datasources: [String: DatasourceDefinition] = [:],
                       locate: ([String]) -> SourceLocation? = { _ in nil },
                       components: CatalogComponentLookup.Read? = nil,
                       sections: [ComponentSection] = ComponentSection.templated) throws {
        let root = data(for: c)
        let lookup = components.map { CatalogComponentLookup(read: $0) }
        let extras = TemplateRenderExtras(datasources: datasources, absentKeys: c.integrationAbsentKeys, components: lookup)
        let me = InstanceID(stack: c.stackName, component: c.name)
        let name = c.name, stackName = c.stackName, stackFileID = c.stackFileID
        func location(_ path: [String]) -> SourceLocation {
            locate(["components", "terraform", name] + path) ?? locate(path) ?? SourceLocation(file: stackFileID)
        }
        var deferred: [String: SourceLocation] = [:]
        // `at.keys` as manifest keys (for `locate`); `at.text` as `ReferenceResolver` names the value (`vars.list[0]`).
        try c.rewrite(sections) { v, at in
            guard case .string(let s) = v, containsTemplateAction(s) else { return nil }
            let path = at.keys
            let context = "\(UserText.quoted(path.joined(separator: "."))) of component \(UserText.quoted(name)) in stack \(UserText.quoted(stackName))"
            do {
                return .string(try templates.render(s, name: path.joined(separator: "."), data: root, ignoreMissing: ignoreMissing,
                                                    extras: extras))
            } catch is ComponentOutputsDeferred {
                let site = location(path)
                guard deferrableSections.contains(path[0]) else {
                    throw StackError.template(site, message: "\(context): another component's outputs can be read in \(deferrableSections.sorted().joined(separator: ", ")) only (they are known at run time)")
                }
                deferred[at.text] = site
                return DeferredTemplate.make(s)
            } catch let cycle as ComponentReadCycle where cycle.chain.first != me {
                throw cycle   // reported once, by the component that started the reads
            } catch {
                let site = location(path)
                throw TemplateLocation.error(error, file: site.file, start: site.mark, context: context)
            }
        }
        c.templateReads = lookup?.components ?? []
        c.deferredTemplateLocations = deferred
    }

    /// The Gomplate datasources in force for `c`: atmos.yaml's `templates.settings.gomplate.datasources`,
    /// each overridden by the same alias in the component's `settings.templates.settings` (atmos merges
    /// the two). Only read when Gomplate is enabled.
    package static func datasources(for c: ResolvedComponent, config: KitConfig) -> [String: DatasourceDefinition] {
        guard config.gomplateEnabled else { return [:] }
        let path = ["templates", "settings", "gomplate", "datasources"]
        var all = DatasourceDefinition.definitions(in: config.rawConfiguration.value(at: path),
                                                   definedIn: config.configFile.map { Paths.relative($0, to: config.basePath) } ?? "the configuration")
        let own = DatasourceDefinition.definitions(in: Value.map(c.settings).value(at: path),
                                                   definedIn: "settings.templates.settings.gomplate.datasources of component \(UserText.quoted(c.name))")
        for (alias, def) in own { all[alias] = def }
        return all
    }
}
