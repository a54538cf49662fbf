import KitModel
/// Resolves components of one merged stack: scopes and precedence (§2.3), inheritance (§5,
/// ComponentInheritance.swift), backend (§8, ComponentBackend.swift), naming and workspace (§6–§7,
/// ComponentNaming.swift).
package struct ComponentResolver {
    let config: KitConfig
    let manifest: MergedManifest
    let stackFile: String
    let templates: TemplateRendering
    /// Locates a path of the merged stack in the file that set it last, for error messages.
    let locate: ([String]) -> SourceLocation?
    /// True when one of the stack's layers holds a template action (the component template pass is needed).
    var layersHaveTemplateActions = true
    /// When the name pattern's tokens are missing, name the stack by its file id (atmos's
    /// `describe stacks` fallback) instead of failing; `-s` lookups keep failing.
    var fileIDWhenNameTokensMissing = false
    /// The component type this resolver reads: `terraform`, or `helmfile`/`packer` (kept in describe
    /// and list output like atmos; kit runs terraform only).
    var componentType = "terraform" {
        didSet { stackLayers = StackLayers(manifest.config, componentType: componentType, config: config) }
    }
    /// The type's components folder relative to the base path (`components/terraform`), set once per stack.
    var componentsBasePath = "components/terraform"
    /// Skip the component template pass (when only the stack name is wanted).
    var skipComponentTemplates = false
    /// Reads another component for `atmos.Component`: (component, stack, the components being read
    /// on the way here, this one last). Nil: `atmos.Component` is an error.
    var readComponent: (@Sendable (_ component: String, _ stack: String, _ chain: [InstanceID]) throws -> ResolvedComponent)?
    /// The components whose templates are reading this resolver's component (cycle detection).
    var readChain: [InstanceID] = []
    /// True when neither the configuration nor any layer of the stack can spell a YAML function
    /// (`FunctionText`): the components it resolves are marked so, and the function phase skips them.
    var cannotHoldFunctionText = false
    /// Base chains already walked (shared by copies of this resolver; one stack, one type, one `raw`).
    let baseChains = BaseChainMemo()
    /// Walks shared with the catalog's other stacks (the catalog gives its own; a lone resolver keeps its own).
    var sharedBaseChains = SharedBaseChains()

    /// The stack file without its extension (computed once: it is read several times per component).
    let stackFileID: String
    /// Names the stack of each component (built once: it holds a copy of the configuration).
    let naming: StackNaming
    /// What every component of the stack reads from the stack-wide layers: computed once per stack.
    private(set) var stackLayers: StackLayers

    init(config: KitConfig, manifest: MergedManifest, stackFile: String, templates: TemplateRendering,
         locate: @escaping ([String]) -> SourceLocation?) {
        self.config = config
        self.manifest = manifest
        self.stackFile = stackFile
        self.templates = templates
        self.locate = locate
        stackFileID = stripExtension(stackFile)
        naming = StackNaming(config: config, templates: templates, locate: locate)
        stackLayers = StackLayers(manifest.config, componentType: "terraform", config: config)
    }

    /// The stack-wide values each component's sections start from, looked up once per stack instead
    /// of once per component (twelve sections, two layers each); recomputed when the component type is set.
    struct StackLayers {
        /// `manifest.config[name]` for each of `sectionNames`, in that order.
        let global: [Value?]
        /// `manifest.config[componentType][name]` for each of `sectionNames` (nil when that layer is not a map:
        /// `sections` reports it).
        let typeLevel: [Value?]
        /// The version lock of the stack, when its `version.track` is a string or absent (otherwise
        /// `sections` computes it and reports the error).
        let versionLock: (track: String, file: String)?

        static let sectionNames = ["vars", "settings", "env", "auth", "hooks", "generate", "dependencies", "providers",
                                   "required_providers", "provision", "secrets"]

        init(_ g: [String: Value], componentType: String, config: KitConfig) {
            global = g.isEmpty ? Array(repeating: nil, count: Self.sectionNames.count) : Self.sectionNames.map { g[$0] }
            if case .map(let tf)? = g[componentType], !tf.isEmpty {
                typeLevel = Self.sectionNames.map { tf[$0] }
            } else {
                typeLevel = Array(repeating: nil, count: Self.sectionNames.count)
            }
            switch g["version"]?["track"] {
            case nil, .null?: versionLock = AtmosConfigSections.versionLock(stackTrack: "", config: config)
            case .string(let s)?: versionLock = AtmosConfigSections.versionLock(stackTrack: s, config: config)
            default: versionLock = nil
            }
        }

        /// The position of `name` in `sectionNames`.
        static func index(_ name: String) -> Int? { sectionNames.firstIndex(of: name) }
    }

    /// The raw components of the stack (`components.terraform`).
    package func rawComponents() throws -> [String: Value] {
        guard let comps = manifest.config["components"] else { return [:] }
        guard case .map(let m) = comps else { throw sectionError(["components"], "map", comps) }
        guard let tf = m[componentType] else { return [:] }
        if case .null = tf { return [:] }
        guard case .map(let t) = tf else { throw sectionError(["components", componentType], "map", tf) }
        return t
    }

    func sectionError(_ path: [String], _ expected: String, _ found: Value, component: String? = nil) -> StackError {
        .invalidSection(locate(path), path: path.joined(separator: "."), expected: expected, found: found.typeName,
                        stack: stackFileID, component: component)
    }

    /// A map section, or an error naming it.
    /// The path is built only for the error: this runs for every section of every base of every component.
    func map(_ v: Value?, _ path: @autoclosure () -> [String], component: String? = nil) throws -> [String: Value] {
        guard let v else { return [:] }
        switch v {
        case .map(let m): return m
        case .null: return [:]
        default: throw sectionError(path(), "map", v, component: component)
        }
    }

    func string(_ v: Value?, _ path: [String], component: String? = nil) throws -> String {
        guard let v else { return "" }
        switch v {
        case .string(let s): return s
        case .null: return ""
        default: throw sectionError(path, "string", v, component: component)
        }
    }

    static let mapSections = ["vars", "settings", "env", "auth", "hooks", "generate", "dependencies", "providers",
                              "backend", "remote_state_backend", "required_providers", "locals", "secrets", "metadata",
                              "provision"]
    /// True when `key` is one of `mapSections` (a switch: cheaper than hashing the key into a set).
    static func isMapSection(_ key: String) -> Bool {
        switch key {
        case "vars", "settings", "env", "auth", "hooks", "generate", "dependencies", "providers", "backend",
             "remote_state_backend", "required_providers", "locals", "secrets", "metadata", "provision": return true
        default: return false
        }
    }

    static let globalMetadataKeys: Set<String> = ["labels", "tags", "custom", "enabled", "locked", "terraform_workspace_pattern"]

    /// Resolves one component; `raw` is the stack's `components.<type>` map. Four stages: the
    /// component's layers and its inheritance chain, the merged sections, the backend (terraform only),
    /// and the naming (stack name, workspace, component templates).
    package func resolve(_ name: String, raw: [String: Value]) throws -> ResolvedComponent {
        let layers = try self.layers(of: name, raw: raw)
        let (chain, strategy) = try inheritance(of: layers, raw: raw)
        var resolved = try sections(of: layers, chain: chain, strategy: strategy)
        if componentType == "terraform" {
            try resolveBackend(&resolved, layers: layers, chain: chain)
        }
        try finishNaming(&resolved)
        resolved.cannotHoldFunctionText = cannotHoldFunctionText
        return resolved
    }

    /// What a component merges over, outermost first: the stack-wide sections, the type-level ones
    /// (`terraform:`), the component's own entry and its `overrides`.
    struct ComponentLayers {
        var name: String
        /// `components.<type>.<name>`, for error messages.
        var path: [String]
        /// The merged stack's top level.
        var global: [String: Value]
        /// The type-level section (`terraform:`).
        var typeLevel: [String: Value]
        var globalMetadata: [String: Value]
        /// The component's own entry.
        var own: [String: Value]
        var ownMetadata: [String: Value]
    }

    /// The component's entry and the stack-wide layers, each checked to be a map.
    func layers(of name: String, raw: [String: Value]) throws -> ComponentLayers {
        let cPath = ["components", componentType, name]
        guard let cValue = raw[name] else {
            throw StackError.unknownComponent(component: name, stack: stackFileID, suggestions: [])
        }
        let c = try map(cValue, cPath, component: name)
        let cMeta = try map(c["metadata"], cPath + ["metadata"], component: name)
        let g = manifest.config
        let tf = try map(g[componentType], [componentType])
        let globalMeta = try map(g["metadata"], ["metadata"])
        for key in globalMeta.keys where !Self.globalMetadataKeys.contains(key) {
            throw StackError.globalMetadataField(locate(["metadata", key]) ?? SourceLocation(file: stackFile), key: key)
        }
        return ComponentLayers(name: name, path: cPath, global: g, typeLevel: tf, globalMetadata: globalMeta, own: c, ownMetadata: cMeta)
    }

    /// Stage 2: merges each section over its layers (reference §2.3) and derives command, version and folder (§5.3).
    func sections(of l: ComponentLayers, chain acc: Accumulator, strategy: ListMergeStrategy) throws -> ResolvedComponent {
        let (name, cPath, g, tf, c) = (l.name, l.path, l.global, l.typeLevel, l.own)
        let overrides = try map(c["overrides"], cPath + ["overrides"], component: name)
        // `DeepMerge.merge` of the layers (empty ones skipped), folded as they come: no array of
        // layers, and no lookup in a layer that is empty (twelve sections, every component).
        // The component's own and inherited sections, read in one pass over each (a few keys) instead of
        // looked up for each section name; their types are checked where each section is merged, in order.
        var ownSections = [Value?](repeating: nil, count: StackLayers.sectionNames.count)
        for (key, value) in c { if let j = StackLayers.index(key) { ownSections[j] = value } }
        var inheritedSections = [[String: Value]?](repeating: nil, count: StackLayers.sectionNames.count)
        for (key, value) in acc.sections { if let j = StackLayers.index(key) { inheritedSections[j] = value } }
        func section(_ key: String, global: Bool = true, typeLevel: Bool = true, withOverrides: Bool = true) throws -> [String: Value] {
            var merged: [String: Value] = [:]
            var started = false
            func add(_ layer: [String: Value]) {
                guard !layer.isEmpty else { return }
                if started { DeepMerge.merge(into: &merged, layer, strategy) } else { merged = layer; started = true }
            }
            // The stack-wide layers' values were looked up once per stack (`StackLayers`).
            let i = StackLayers.index(key)!
            if global, let v = stackLayers.global[i] { add(try map(v, [key])) }
            if typeLevel, let v = stackLayers.typeLevel[i] { add(try map(v, [componentType, key])) }
            if let inherited = inheritedSections[i] { add(inherited) }
            if let own = ownSections[i] { add(try map(own, cPath + [key], component: name)) }
            if withOverrides && !overrides.isEmpty { add(try map(overrides[key], cPath + ["overrides", key], component: name)) }
            return merged
        }

        var vars = try section("vars")
        let settings = AtmosConfigSections.mergingGithubIntegration(into: try section("settings"), config: config, strategy: strategy)
        var env = try section("env")
        if !config.env.isEmpty { env = DeepMerge.merge([config.env, env], strategy: strategy) }
        var auth = try section("auth")
        if componentType == "terraform" { auth = AtmosConfigSections.mergingGlobalAuth(into: auth, config: config, strategy: strategy) }
        let source = AtmosConfigSections.source(typeLevel: try map(tf["source"], [componentType, "source"]),
                                                own: try map(c["source"], cPath + ["source"], component: name),
                                                componentType: componentType, strategy: strategy)
        let hooks = try section("hooks")
        let generate = try section("generate")
        let dependencies = try section("dependencies", withOverrides: false)
        let providers = try section("providers", global: false)
        let requiredProviders = try section("required_providers", global: false, typeLevel: false)
        let metadata = DeepMerge.merge([l.globalMetadata, config.inheritMetadata ? (acc.sections["metadata"] ?? [:]) : [:], l.ownMetadata],
                                       strategy: strategy)

        let defaultCommand = componentType == "terraform" ? config.terraform.command : componentType
        let command = [defaultCommand, try string(tf["command"], ["terraform", "command"]), acc.command ?? "",
                       try string(c["command"], cPath + ["command"], component: name),
                       try string(overrides["command"], cPath + ["overrides", "command"], component: name)]
            .last(where: { !$0.isEmpty }) ?? defaultCommand
        if config.trust.untrusted && componentType == "terraform" { try checkUntrustedCommand(command, env: env, name: name, cPath: cPath, c: c, overrides: overrides, tf: tf) }
        let requiredVersion = [acc.requiredVersion ?? "", try string(c["required_version"], cPath + ["required_version"], component: name)]
            .last(where: { !$0.isEmpty })

        // Folder (reference §5.3).
        let ownMetaComponent = try string(l.ownMetadata["component"], cPath + ["metadata", "component"], component: name)
        let baseComponentName = !ownMetaComponent.isEmpty ? ownMetaComponent : (!acc.finalBase.isEmpty ? acc.finalBase : name)
        let inheritedMetaComponent = metadata["component"]?.stringValue ?? ""
        let folder = Paths.normalize(!inheritedMetaComponent.isEmpty ? inheritedMetaComponent : baseComponentName)
        if folder.hasPrefix("..") || folder.hasPrefix("/") || folder == "." {
            throw StackError.componentEscapes(locate(cPath + ["metadata", "component"]), component: name, folder: folder, stack: stackFileID)
        }

        vars = finalized(vars)

        var resolved = ResolvedComponent(
            name: name, stackFile: stackFile, stackFileID: stackFileID, stackName: stackFileID,
            baseComponentName: baseComponentName, folder: folder,
            vars: vars, settings: finalized(settings), env: finalized(env), metadata: metadata,
            providers: finalized(providers), overrides: overrides, hooks: hooks, generate: generate, auth: auth,
            dependencies: finalized(dependencies), command: command,
            backendType: "", backend: [:], remoteStateBackendType: "", remoteStateBackend: [:],
            requiredVersion: requiredVersion, requiredProviders: requiredProviders,
            inheritance: acc.chain, workspace: "", imports: manifest.imports, layers: manifest.layers,
            listMergeStrategy: strategy, componentType: componentType)
        resolved.source = finalized(source)
        resolved.componentsBasePath = componentsBasePath
        // atmos: the type-level `provision`, the base chain's, the component's own (no stack-wide, no overrides).
        if AtmosConfigSections.keepsSourceAndProvision(componentType) {
            resolved.provision = finalized(try section("provision", global: false, withOverrides: false))
        }
        resolved.secrets = try section("secrets")
        let lock = try stackLayers.versionLock
            ?? AtmosConfigSections.versionLock(stackTrack: try string(g["version"]?["track"], ["version", "track"]), config: config)
        resolved.versionTrack = lock.track
        resolved.versionLockFile = lock.file
        return resolved
    }

    /// `m` without merge markers (`!append` tags, `!unset` keys). A stack whose text cannot spell a
    /// function cannot spell a marker either (both start with `!`): nothing to look for.
    func finalized(_ m: [String: Value]) -> [String: Value] {
        if cannotHoldFunctionText { return m }
        return DeepMerge.needsFinalize(.map(m)) ? (DeepMerge.finalize(.map(m)).mapValue ?? m) : m
    }
}
