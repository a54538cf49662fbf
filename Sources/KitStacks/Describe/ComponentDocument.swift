import KitModel
/// The document `kit describe component` prints (reference §11.1, all keys) and the per-component
/// entry of `kit describe stacks` (§11.2).
public enum ComponentDocument {
    /// The sections shared by both documents, and what templates (`atmos.Component`), plugins and
    /// validation see of a component. `describe stacks` prints them without `component_type` (atmos
    /// keeps the type in `component_info` there; see `stacksEntry`).
    public static func sections(_ c: ResolvedComponent, stackArgument: String? = nil) -> [String: Value] {
        var d: [String: Value] = [
            "atmos_component": .string(c.name),
            "atmos_stack": .string(stackArgument ?? c.stackName),
            "stack": .string(stackArgument ?? c.stackName),
            "atmos_stack_file": .string(c.stackFileID),
            "atmos_manifest": .string(c.stackFileID),
            "component": .string(c.baseComponentName),
            "component_type": .string(c.componentType),
            "component_info": .map(["component_type": .string(c.componentType),
                                    "component_path": .string(Paths.join(c.componentsBasePath, c.folder))]),
            "command": .string(c.command),
            "vars": .map(c.vars),
            "settings": .map(c.settings),
            "env": .map(c.env),
            "metadata": .map(c.metadata),
            "overrides": .map(c.overrides),
            "providers": .map(c.providers),
            "hooks": .map(c.hooks),
            "generate": .map(c.generate),
            "auth": .map(c.auth),
            "backend_type": .string(c.backendType),
            "backend": .map(c.backend),
            "remote_state_backend_type": .string(c.remoteStateBackendType),
            "remote_state_backend": .map(c.remoteStateBackend),
            "required_providers": .map(c.requiredProviders),
            "required_version": c.requiredVersion.map(Value.string) ?? .string(""),
            "inheritance": .list(c.inheritance.map(Value.string)),
            "workspace": .string(c.workspace),
        ]
        if !c.dependencies.isEmpty { d["dependencies"] = .map(c.dependencies) }
        // atmos prints both for these types even when empty (and neither for ansible).
        if AtmosConfigSections.keepsSourceAndProvision(c.componentType) {
            d["source"] = .map(c.source)
            d["provision"] = .map(c.provision)
        }
        if !c.secrets.isEmpty { d["secrets"] = .map(c.secrets) }
        return d
    }

    /// The per-component entry of `describe stacks`: `sections` without `component_type`, as atmos prints it.
    public static func stacksEntry(_ c: ResolvedComponent) -> [String: Value] {
        var d = sections(c)
        d["component_type"] = nil
        return d
    }

    /// The full `describe component` document; `atmos_cli_config` in the shape `encoding` gives it
    /// (the output format: atmos's JSON and YAML encoders print its configuration differently).
    public static func full(_ c: ResolvedComponent, catalog: StackCatalog, stackArgument: String,
                            cliArgs: [String], encoding: AtmosEncoding = .yaml) -> [String: Value] {
        var d = sections(c, stackArgument: stackArgument)
        d["imports"] = .list(c.imports.map(Value.string))
        if let s = c.spaceliftStack { d["spacelift_stack"] = .string(s) }
        if let a = c.atlantisProject { d["atlantis_project"] = .string(a) }
        let deps = Dependencies.compute(c, catalog: catalog)
        d["deps_all"] = .list(deps.all.map(Value.string))
        d["deps"] = .list(deps.final.map(Value.string))
        d["cli_args"] = .list(cliArgs.map(Value.string))
        d["tf_cli_vars"] = .emptyMap
        // atmos's configuration document (what `describe config` prints): base_path, components, stacks, workflows.
        d["atmos_cli_config"] = .map(AtmosConfigurationDocument.cliConfig(catalog.config, encoding: encoding))
        return d
    }
}

/// `deps_all` (every file contributing any value) and `deps` (files providing a final value).
enum Dependencies {
    static let globalSections = ["vars", "settings", "env", "metadata", "hooks", "generate", "dependencies", "auth"]

    static func compute(_ c: ResolvedComponent, catalog: StackCatalog) -> (all: [String], final: [String]) {
        var all: Set<String> = [stripExtension(c.stackFile)]
        let names = [c.name] + c.inheritance
        for layer in Set(c.layers) {
            guard let v = try? catalog.store.manifest(layer) else { continue }
            var contributes = globalSections.contains { v[$0] != nil } || v["terraform"] != nil
            if !contributes, let comps = v.value(at: ["components", "terraform"])?.mapValue {
                contributes = names.contains { comps[$0] != nil }
            }
            if contributes { all.insert(stripExtension(layer)) }
        }
        var final: Set<String> = [stripExtension(c.stackFile)]
        let provenance = Provenance.compute(c, catalog: catalog, withMarks: false)
        for entry in provenance.values {
            if let winner = entry.last { final.insert(stripExtension(winner.file)) }
        }
        return (all.sorted(), final.sorted())
    }
}
