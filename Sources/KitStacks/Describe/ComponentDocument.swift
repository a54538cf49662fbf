import KitModel
/// The document `kit describe component` prints (reference §11.1, all keys) and the per-component
/// entry of `kit describe stacks` (§11.2).
public enum ComponentDocument {
    /// The sections shared by both documents, and what templates (`atmos.Component`), plugins and
    /// validation see of a component. `describe stacks` prints them without `component_type` (atmos
    /// keeps the type in `component_info` there; see `stacksEntry`).
    public static func sections(_ c: ResolvedComponent, stackArgument: String? = nil) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: entries(c, stackArgument: stackArgument, componentType: true).lazy.map { ($0.key, $0.value) })
    }

    /// The sections as entries in key order (`String`'s `<`): what `sections` holds, built without
    /// a dictionary, so that `describe stacks` writes each component's document without hashing
    /// and sorting its thirty keys again (`JSONWriter.write(entries:)`). The appends below are in
    /// key order; `ComponentDocumentTests` checks it with every optional section present.
    public static func entries(_ c: ResolvedComponent, stackArgument: String? = nil, componentType: Bool) -> [(key: String, value: Value)] {
        let stack = Value.string(stackArgument ?? c.stackName)
        let keepsSourceAndProvision = AtmosConfigSections.keepsSourceAndProvision(c.componentType)
        var d: [(key: String, value: Value)] = []
        d.reserveCapacity(32)
        d.append(("atmos_component", .string(c.name)))
        d.append(("atmos_manifest", .string(c.stackFileID)))
        d.append(("atmos_stack", stack))
        d.append(("atmos_stack_file", .string(c.stackFileID)))
        d.append(("auth", .map(c.auth)))
        d.append(("backend", .map(c.backend)))
        d.append(("backend_type", .string(c.backendType)))
        d.append(("command", .string(c.command)))
        d.append(("component", .string(c.baseComponentName)))
        d.append(("component_info", .map(["component_type": .string(c.componentType),
                                          "component_path": .string(Paths.join(c.componentsBasePath, c.folder))])))
        if componentType { d.append(("component_type", .string(c.componentType))) }
        if !c.dependencies.isEmpty { d.append(("dependencies", .map(c.dependencies))) }
        d.append(("env", .map(c.env)))
        d.append(("generate", .map(c.generate)))
        d.append(("hooks", .map(c.hooks)))
        d.append(("inheritance", .list(c.inheritance.map(Value.string))))
        d.append(("metadata", .map(c.metadata)))
        d.append(("overrides", .map(c.overrides)))
        d.append(("providers", .map(c.providers)))
        // atmos prints both for these types even when empty (and neither for ansible).
        if keepsSourceAndProvision { d.append(("provision", .map(c.provision))) }
        d.append(("remote_state_backend", .map(c.remoteStateBackend)))
        d.append(("remote_state_backend_type", .string(c.remoteStateBackendType)))
        d.append(("required_providers", .map(c.requiredProviders)))
        d.append(("required_version", c.requiredVersion.map(Value.string) ?? .string("")))
        if !c.secrets.isEmpty { d.append(("secrets", .map(c.secrets))) }
        d.append(("settings", .map(c.settings)))
        if keepsSourceAndProvision { d.append(("source", .map(c.source))) }
        d.append(("stack", stack))
        d.append(("vars", .map(c.vars)))
        d.append(("workspace", .string(c.workspace)))
        return d
    }

    /// The per-component entry of `describe stacks`: `sections` without `component_type`, as atmos prints it.
    public static func stacksEntry(_ c: ResolvedComponent) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: entries(c, componentType: false).lazy.map { ($0.key, $0.value) })
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
