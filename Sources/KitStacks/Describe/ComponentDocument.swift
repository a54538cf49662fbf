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
    ///
    /// Only this document (never `describe stacks`) reads the component's terraform module for
    /// `component_info.terraform_config` (through `modules`, which caches each folder for the run)
    /// and traces atmos's `sources`; one walk over the stack's files (`Provenance.layers`) gives both
    /// `sources` and `deps`.
    public static func full(_ c: ResolvedComponent, catalog: StackCatalog, stackArgument: String,
                            cliArgs: [String], encoding: AtmosEncoding = .yaml,
                            modules: TerraformModules = TerraformModules()) throws -> [String: Value] {
        var d = sections(c, stackArgument: stackArgument)
        d["component_info"] = .map(try componentInfo(c, catalog: catalog, stackArgument: stackArgument, encoding: encoding, modules: modules))
        d["imports"] = .list(c.imports.map(Value.string))
        if let s = c.spaceliftStack { d["spacelift_stack"] = .string(s) }
        if let a = c.atlantisProject { d["atlantis_project"] = .string(a) }
        let layers = Provenance.layers(c, catalog: catalog)
        let deps = Dependencies.compute(c, catalog: catalog, layers: layers)
        d["deps_all"] = .list(deps.all.map(Value.string))
        d["deps"] = .list(deps.final.map(Value.string))
        d["sources"] = ConfigSources.document(c, layers: layers)
        d["cli_args"] = .list(cliArgs.map(Value.string))
        d["tf_cli_vars"] = .emptyMap
        // atmos's configuration document (what `describe config` prints): base_path, components, stacks, workflows.
        d["atmos_cli_config"] = .map(AtmosConfigurationDocument.cliConfig(catalog.config, encoding: encoding))
        return d
    }

    /// The absolute folder of a component (atmos's `component_info.component_path` in `describe component`).
    public static func absolutePath(_ c: ResolvedComponent, catalog: StackCatalog) -> String {
        Paths.join(Paths.join(catalog.config.basePath, c.componentsBasePath), c.folder)
    }

    /// `component_info` as atmos's `describe component` prints it: the type; for terraform, helmfile
    /// and packer the absolute folder; for terraform its module (`terraform_config`, null when the
    /// folder does not exist). A module whose files are not well-formed HCL is an error, as in atmos.
    static func componentInfo(_ c: ResolvedComponent, catalog: StackCatalog, stackArgument: String, encoding: AtmosEncoding,
                              modules: TerraformModules) throws -> [String: Value] {
        var info: [String: Value] = ["component_type": .string(c.componentType)]
        guard ["terraform", "helmfile", "packer"].contains(c.componentType) else { return info }
        let path = absolutePath(c, catalog: catalog)
        info["component_path"] = .string(path)
        guard c.componentType == "terraform" else { return info }
        guard let module = modules.module(at: path) else {
            info["terraform_config"] = .null
            return info
        }
        if let error = module.diagnostics.first(where: { $0.severity == .error }) {
            let problem = error.detail.isEmpty ? error.summary : error.detail
            guard let position = error.position else {
                throw TerraformConfigError.unreadableModule(folder: catalog.store.display(path), problem: problem, component: c.name)
            }
            throw TerraformConfigError.invalidModule(file: catalog.store.display(position.filename), line: position.line,
                                                     problem: problem, component: c.name, stack: stackArgument)
        }
        info["terraform_config"] = TerraformConfigDocument.value(module, encoding)
        return info
    }
}

/// `deps_all` (every file contributing any value) and `deps` (files providing a final value).
enum Dependencies {
    static let globalSections = ["vars", "settings", "env", "metadata", "hooks", "generate", "dependencies", "auth"]

    static func compute(_ c: ResolvedComponent, catalog: StackCatalog, layers: [String: [SectionLayer]]) -> (all: [String], final: [String]) {
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
        let provenance = Provenance.compute(c, layers: layers, catalog: catalog, withMarks: false)
        for entry in provenance.values {
            if let winner = entry.last { final.insert(stripExtension(winner.file)) }
        }
        return (all.sorted(), final.sorted())
    }
}

/// A component's terraform module cannot be read for `describe component`.
public enum TerraformConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration file is not well-formed HCL (atmos fails the same way).
    case invalidModule(file: String, line: Int, problem: String, component: String, stack: String)
    /// A configuration file of the module's folder could not be read.
    case unreadableModule(folder: String, problem: String, component: String)

    public var description: String {
        switch self {
        case .invalidModule(let file, let line, let problem, let component, let stack):
            return UserText.line("\(file):\(line): the terraform component \(UserText.quoted(component)) contains invalid HCL code: \(problem) — fix it (run 'kit terraform validate \(component) -s \(stack)' for terraform's own message)")
        case .unreadableModule(let folder, let problem, let component):
            return UserText.line("\(folder): the module of terraform component \(UserText.quoted(component)) cannot be read: \(problem) — make its files readable")
        }
    }
}
