/// Resolves components of one merged stack: scopes and precedence (§2.3), inheritance (§5),
/// naming (§6), workspace (§7) and backend (§8).
struct ComponentResolver {
    let config: KitConfig
    let manifest: MergedManifest
    let stackFile: String
    let templates: TemplateRendering
    /// Locates a path of the merged stack in the file that set it last, for error messages.
    let locate: ([String]) -> SourceLocation?
    /// True when one of these manifests holds a template action (the component template pass is needed).
    var hasTemplateActions: ([String]) -> Bool = { _ in true }
    /// When the name pattern's tokens are missing, name the stack by its file id (atmos's
    /// `describe stacks` fallback) instead of failing; `-s` lookups keep failing.
    var fileIDWhenNameTokensMissing = false
    /// The component type this resolver reads: `terraform`, or `helmfile`/`packer` (kept in describe
    /// and list output like atmos; kit runs terraform only).
    var componentType = "terraform"
    /// Skip the component template pass (when only the stack name is wanted).
    var skipComponentTemplates = false
    /// Reads another component for `atmos.Component`: (component, stack, the components being read
    /// on the way here, this one last). Nil: `atmos.Component` is an error.
    var readComponent: (@Sendable (_ component: String, _ stack: String, _ chain: [InstanceID]) throws -> ResolvedComponent)?
    /// The components whose templates are reading this resolver's component (cycle detection).
    var readChain: [InstanceID] = []

    var stackFileID: String { stripExtension(stackFile) }

    /// The raw components of the stack (`components.terraform`).
    func rawComponents() throws -> [String: Value] {
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
    func map(_ v: Value?, _ path: [String], component: String? = nil) throws -> [String: Value] {
        guard let v else { return [:] }
        switch v {
        case .map(let m): return m
        case .null: return [:]
        default: throw sectionError(path, "map", v, component: component)
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
                              "backend", "remote_state_backend", "required_providers", "locals", "secrets", "metadata"]
    static let globalMetadataKeys: Set<String> = ["labels", "tags", "custom", "enabled", "locked", "terraform_workspace_pattern"]

    /// The accumulated contribution of a component's base chain (reference §5.2).
    struct Accumulator {
        var sections: [String: [String: Value]] = [:]
        var command: String?
        var backendType: String?
        var remoteStateBackendType: String?
        var requiredVersion: String?
        var finalBase = ""
        var chain: [String] = []
    }

    /// The component's canonical stack name, computing only what naming needs: with `name:`, a name
    /// pattern or file-id naming that is the vars alone (a name template needs the full resolution).
    func stackName(_ name: String, raw: [String: Value]) throws -> String {
        let stack = try uncheckedStackName(name, raw: raw)
        if let reason = StackNaming.problem(with: stack) {
            throw StackError.invalidStackName(locate(["name"]) ?? SourceLocation(file: stackFile), name: stack, reason: reason)
        }
        return stack
    }

    func uncheckedStackName(_ name: String, raw: [String: Value]) throws -> String {
        if let n = manifest.config["name"]?.stringValue, !n.isEmpty { return n }
        if !config.nameTemplate.isEmpty {
            // Naming needs the merged sections, not the component template pass (`list stacks` must
            // not fail on a template in some unrelated value).
            var naming = self
            naming.skipComponentTemplates = true
            do {
                return try naming.resolve(name, raw: raw).stackName
            } catch {
                // A broken component (cycle, unknown base, a section of the wrong type) must not hide the
                // stack: name it from the stack-level vars and the component's own, and let resolving it report.
                let layers: [[String: Value]?] = [manifest.config["vars"]?.mapValue, manifest.config[componentType]?["vars"]?.mapValue,
                                                  raw[name]?["vars"]?.mapValue]
                let vars = DeepMerge.merge(layers.compactMap { $0 }, strategy: config.listMergeStrategy)
                guard let stack = try? templates.render(config.nameTemplate, name: "stacks.name_template",
                                                        data: .map(["vars": .map(vars)]), ignoreMissing: false),
                      !stack.isEmpty else { throw error }
                return stack
            }
        }
        if config.namePattern.isEmpty { return stackFileID }
        let cPath = ["components", componentType, name]
        guard let cValue = raw[name] else { throw StackError.unknownComponent(component: name, stack: stackFileID, suggestions: []) }
        let c = try map(cValue, cPath, component: name)
        let cMeta = try map(c["metadata"], cPath + ["metadata"], component: name)
        var acc = Accumulator()
        var path: [(String, String)] = []
        // A broken base chain (a cycle, an unknown base) must not hide the stack: name it from the
        // other layers, and let resolving the component report the problem.
        do {
            if case .string(let base)? = c["component"] {
                try visit(child: name, base: base, via: "component", raw: raw, acc: &acc, path: &path, componentChain: true, varsOnly: true)
            }
            if case .list(let bases)? = cMeta["inherits"] {
                for case .string(let base) in bases {
                    try visit(child: name, base: base, via: "metadata.inherits", raw: raw, acc: &acc, path: &path, varsOnly: true)
                }
            }
        } catch {
            acc = Accumulator()
        }
        // Only the name tokens matter: take each from the highest layer that sets it.
        let layers: [[String: Value]?] = [manifest.config["vars"]?.mapValue, manifest.config[componentType]?["vars"]?.mapValue,
                                          acc.sections["vars"], c["vars"]?.mapValue, c["overrides"]?["vars"]?.mapValue]
        var vars: [String: Value] = [:]
        for token in StackNaming.patternTokens {
            for layer in layers { if let v = layer?[token] { vars[token] = v } }
        }
        return try StackNaming.fromPattern(config.namePattern, vars: vars, file: stackFile, component: name)
    }

    /// Resolves one component; `raw` is the stack's `components.terraform` map.
    func resolve(_ name: String, raw: [String: Value]) throws -> ResolvedComponent {
        let cPath = ["components", componentType, name]
        guard let cValue = raw[name] else {
            throw StackError.unknownComponent(component: name, stack: stackFileID, suggestions: [])
        }
        let c = try map(cValue, cPath, component: name)
        let cMeta = try map(c["metadata"], cPath + ["metadata"], component: name)

        // Global, type-level layers.
        let g = manifest.config
        let tf = try map(g[componentType], [componentType])
        let globalMeta = try map(g["metadata"], ["metadata"])
        for key in globalMeta.keys where !Self.globalMetadataKeys.contains(key) {
            throw StackError.globalMetadataField(locate(["metadata", key]) ?? SourceLocation(file: stackFile), key: key)
        }

        // Inheritance.
        var acc = Accumulator()
        var path: [(String, String)] = []
        if let top = c["component"] {
            guard case .string(let base) = top else { throw sectionError(cPath + ["component"], "string", top, component: name) }
            try visit(child: name, base: base, via: "component", raw: raw, acc: &acc, path: &path, componentChain: true)
        }
        if let inh = cMeta["inherits"] {
            guard case .list(let bases) = inh else { throw sectionError(cPath + ["metadata", "inherits"], "list", inh, component: name) }
            for b in bases {
                guard case .string(let base) = b else { throw sectionError(cPath + ["metadata", "inherits"], "list of strings", inh, component: name) }
                try visit(child: name, base: base, via: "metadata.inherits", raw: raw, acc: &acc, path: &path)
            }
        }

        // List merge strategy for this component: last non-empty settings.list_merge_strategy.
        var strategy = config.listMergeStrategy
        let strategyCandidates: [Value?] = [g["settings"]?["list_merge_strategy"], tf["settings"]?["list_merge_strategy"],
                                            acc.sections["settings"]?["list_merge_strategy"], c["settings"]?["list_merge_strategy"],
                                            c["overrides"]?["settings"]?["list_merge_strategy"]]
        for case .string(let s)? in strategyCandidates where !s.isEmpty {
            guard let st = ListMergeStrategy(rawValue: s) else { throw StackError.invalidMergeStrategy(locate(cPath + ["settings"]), value: s) }
            strategy = st
        }

        // The base chain is merged with the component's own strategy (a stack's `settings.list_merge_strategy:
        // append` must keep every level's items, not only atmos.yaml's strategy).
        if strategy != config.listMergeStrategy {
            acc = Accumulator()
            path = []
            if case .string(let base)? = c["component"] {
                try visit(child: name, base: base, via: "component", raw: raw, acc: &acc, path: &path, componentChain: true, strategy: strategy)
            }
            if case .list(let bases)? = cMeta["inherits"] {
                for case .string(let base) in bases {
                    try visit(child: name, base: base, via: "metadata.inherits", raw: raw, acc: &acc, path: &path, strategy: strategy)
                }
            }
        }

        let overrides = try map(c["overrides"], cPath + ["overrides"], component: name)
        func section(_ key: String, global: Bool = true, typeLevel: Bool = true, withOverrides: Bool = true) throws -> [String: Value] {
            var layers: [[String: Value]] = []
            if global { layers.append(try map(g[key], [key])) }
            if typeLevel { layers.append(try map(tf[key], [componentType, key])) }
            layers.append(acc.sections[key] ?? [:])
            layers.append(try map(c[key], cPath + [key], component: name))
            if withOverrides { layers.append(try map(overrides[key], cPath + ["overrides", key], component: name)) }
            return DeepMerge.merge(layers, strategy: strategy)
        }

        var vars = try section("vars")
        let settings = try section("settings")
        var env = try section("env")
        if !config.env.isEmpty { env = DeepMerge.merge([config.env, env], strategy: strategy) }
        let auth = try section("auth")
        let hooks = try section("hooks")
        let generate = try section("generate")
        let dependencies = try section("dependencies", withOverrides: false)
        let providers = try section("providers", global: false)
        let requiredProviders = try section("required_providers", global: false, typeLevel: false)
        let metadata = DeepMerge.merge([globalMeta, config.inheritMetadata ? (acc.sections["metadata"] ?? [:]) : [:], cMeta], strategy: strategy)

        let defaultCommand = componentType == "terraform" ? config.terraform.command : componentType
        let command = [defaultCommand, try string(tf["command"], ["terraform", "command"]), acc.command ?? "",
                       try string(c["command"], cPath + ["command"], component: name),
                       try string(overrides["command"], cPath + ["overrides", "command"], component: name)]
            .last(where: { !$0.isEmpty }) ?? defaultCommand
        let requiredVersion = [acc.requiredVersion ?? "", try string(c["required_version"], cPath + ["required_version"], component: name)]
            .last(where: { !$0.isEmpty })

        // Folder (reference §5.3).
        let ownMetaComponent = try string(cMeta["component"], cPath + ["metadata", "component"], component: name)
        let baseComponentName = !ownMetaComponent.isEmpty ? ownMetaComponent : (!acc.finalBase.isEmpty ? acc.finalBase : name)
        let inheritedMetaComponent = metadata["component"]?.stringValue ?? ""
        let folder = Paths.normalize(!inheritedMetaComponent.isEmpty ? inheritedMetaComponent : baseComponentName)
        if folder.hasPrefix("..") || folder.hasPrefix("/") || folder == "." {
            throw StackError.componentEscapes(locate(cPath + ["metadata", "component"]), component: name, folder: folder, stack: stackFileID)
        }

        if DeepMerge.needsFinalize(.map(vars)) { vars = DeepMerge.finalize(.map(vars)).mapValue ?? vars }

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

        if componentType != "terraform" {
            try finishNaming(&resolved)
            return resolved
        }
        // Backend (reference §8).
        let backendType = [try string(tf["backend_type"], ["terraform", "backend_type"]), acc.backendType ?? "",
                           try string(c["backend_type"], cPath + ["backend_type"], component: name)].last(where: { !$0.isEmpty }) ?? ""
        let backendSection = DeepMerge.merge([try map(tf["backend"], ["terraform", "backend"]), acc.sections["backend"] ?? [:],
                                              try map(c["backend"], cPath + ["backend"], component: name)], strategy: strategy)
        resolved.backendType = backendType
        resolved.backend = try backendConfig(type: backendType, section: backendSection, sectionName: "backend",
                                             component: resolved, globalBackend: try map(tf["backend"], ["terraform", "backend"]),
                                             ownBackend: try map(c["backend"], cPath + ["backend"], component: name))
        let rsType = [backendType, try string(tf["remote_state_backend_type"], ["terraform", "remote_state_backend_type"]),
                      acc.remoteStateBackendType ?? "",
                      try string(c["remote_state_backend_type"], cPath + ["remote_state_backend_type"], component: name)]
            .last(where: { !$0.isEmpty }) ?? ""
        let rsSection = DeepMerge.merge([try map(tf["remote_state_backend"], ["terraform", "remote_state_backend"]),
                                         acc.sections["remote_state_backend"] ?? [:],
                                         try map(c["remote_state_backend"], cPath + ["remote_state_backend"], component: name)], strategy: strategy)
        if !rsSection.isEmpty, !rsType.isEmpty, rsSection[rsType] == nil {
            throw StackError.backendTypeMismatch(stack: stackFileID, component: name, section: "remote_state_backend", type: rsType, keys: rsSection.keys.sorted())
        }
        resolved.remoteStateBackendType = rsType
        if rsType == backendType {
            resolved.remoteStateBackend = DeepMerge.merge([resolved.backend, rsSection[rsType]?.mapValue ?? [:]], strategy: strategy)
        } else {
            resolved.remoteStateBackend = rsSection[rsType]?.mapValue ?? [:]
        }

        try finishNaming(&resolved)
        return resolved
    }

    /// Stack name, workspace, and the component template pass.
    func finishNaming(_ resolved: inout ResolvedComponent) throws {
        do {
            resolved.stackName = try StackNaming(config: config, templates: templates, locate: locate)
                .name(for: resolved, manifestName: manifest.config["name"]?.stringValue, stackFile: stackFile)
        } catch StackError.missingNameToken where fileIDWhenNameTokensMissing {
            resolved.stackName = stackFileID
        }
        resolved.workspace = try Workspace.name(for: resolved, config: config, templates: templates)
        IntegrationNames.apply(&resolved, config: config, templates: templates)
        if !skipComponentTemplates && config.templatesEnabled && hasTemplateActions(manifest.layers) {
            let me = InstanceID(stack: resolved.stackName, component: resolved.name)
            if readChain.contains(me) { throw ComponentReadCycle(chain: readChain + [me]) }
            let chain = readChain + [me]
            let components = readComponent.map { read in
                { @Sendable (component: String, stack: String) throws -> ResolvedComponent in try read(component, stack, chain) }
            }
            try ComponentTemplates.render(&resolved, templates: templates, ignoreMissing: config.ignoreMissingTemplateValues,
                                          datasources: ComponentTemplates.datasources(for: resolved, config: config), locate: locate,
                                          components: components)
        }
    }

    func finalized(_ m: [String: Value]) -> [String: Value] {
        DeepMerge.needsFinalize(.map(m)) ? (DeepMerge.finalize(.map(m)).mapValue ?? m) : m
    }

    /// Depth-first post-order visit of a base component (reference §5.2).
    /// `componentChain`: reached only through top-level `component:` links from the resolved component;
    /// only such bases can become the folder (`final_base`, reference §5.3).
    func visit(child: String, base: String, via: String, raw: [String: Value],
               acc: inout Accumulator, path: inout [(String, String)], componentChain: Bool = false,
               varsOnly: Bool = false, strategy: ListMergeStrategy? = nil) throws {
        let listStrategy = strategy ?? config.listMergeStrategy
        // The chain so far: the resolved component, then every base on the current path.
        let root = path.first?.0 ?? child
        let onPath = [root] + path.map(\.1)
        if base == child && via == "component" { return }  // `component: <own name>` names the folder only
        if onPath.contains(base) {
            throw StackError.inheritanceCycle(stack: stackFileID, chain: onPath + [base])
        }
        guard let bValue = raw[base] else {
            if via == "metadata.inherits" {
                throw StackError.unknownBase(locate(["components", componentType, child, "metadata", "inherits"]),
                                             stack: stackFileID, component: child, base: base, via: via,
                                             suggestion: Suggestions.closest(to: base, in: Array(raw.keys)).first)
            }
            // `component: B` naming only a folder: allowed when the folder exists; contributes nothing.
            return
        }
        path.append((child, base))
        defer { path.removeLast() }
        let bPath = ["components", componentType, base]
        let b = try map(bValue, bPath, component: base)
        let bMeta = try map(b["metadata"], bPath + ["metadata"], component: base)
        let isAbstract = bMeta["type"]?.stringValue == "abstract"
        if !isAbstract, case .string(let next)? = b["component"] {
            try visit(child: base, base: next, via: "component", raw: raw, acc: &acc, path: &path, componentChain: componentChain, varsOnly: varsOnly, strategy: strategy)
        }
        if let inh = bMeta["inherits"] {
            guard case .list(let bases) = inh else { throw sectionError(bPath + ["metadata", "inherits"], "list", inh, component: base) }
            for case .string(let y) in bases {
                try visit(child: child, base: y, via: "metadata.inherits", raw: raw, acc: &acc, path: &path, varsOnly: varsOnly, strategy: strategy)
            }
        }
        for key in varsOnly ? ["vars"] : Self.mapSections where key != "metadata" {
            let s = try map(b[key], bPath + [key], component: base)
            if s.isEmpty { continue }
            if var existing = acc.sections[key], !existing.isEmpty {
                acc.sections[key] = nil  // keep `existing` uniquely referenced so the merge is in place
                DeepMerge.mergeMap(&existing, s, listStrategy)
                acc.sections[key] = existing
            } else {
                acc.sections[key] = s
            }
        }
        if varsOnly { return }
        if config.inheritMetadata {
            var m = bMeta
            m["inherits"] = nil
            m["type"] = nil
            acc.sections["metadata"] = DeepMerge.merge([acc.sections["metadata"] ?? [:], m], strategy: listStrategy)
        }
        acc.command = b["command"]?.stringValue ?? ""
        acc.backendType = b["backend_type"]?.stringValue ?? ""
        acc.remoteStateBackendType = b["remote_state_backend_type"]?.stringValue ?? ""
        if let rv = b["required_version"]?.stringValue, !rv.isEmpty { acc.requiredVersion = rv }
        if componentChain && acc.finalBase.isEmpty { acc.finalBase = base }
        acc.chain.removeAll { $0 == base }
        acc.chain.insert(base, at: 0)
    }

    /// The backend map for the type, with defaults (reference §8.1).
    func backendConfig(type: String, section: [String: Value], sectionName: String, component: ResolvedComponent,
                       globalBackend: [String: Value], ownBackend: [String: Value]) throws -> [String: Value] {
        if type.isEmpty { return [:] }
        if !section.isEmpty, section[type] == nil {
            throw StackError.backendTypeMismatch(stack: stackFileID, component: component.name, section: sectionName, type: type, keys: section.keys.sorted())
        }
        var backend: [String: Value] = [:]
        if let v = section[type] {
            switch v {
            case .map(let m): backend = m
            case .null: backend = [:]
            default: throw sectionError(["terraform", "backend", type], "map", v, component: component.name)
            }
        }
        let nameRule: String = {
            let n = component.metadata["name"]?.stringValue ?? ""
            let raw = n.isEmpty ? component.baseComponentName : n
            return raw.replacingAll("/", with: config.terraform.prefixSeparator)
        }()
        func absent(_ k: String) -> Bool {
            guard let v = backend[k] else { return true }
            if case .string(let s) = v { return s.isEmpty }
            return false
        }
        switch type {
        case "s3":
            if absent("workspace_key_prefix") { backend["workspace_key_prefix"] = .string(nameRule) }
        case "gcs":
            if absent("prefix") { backend["prefix"] = .string(nameRule) }
        case "azurerm":
            let ownKey = ownBackend["azurerm"]?["key"]?.stringValue
            let globalKey = globalBackend["azurerm"]?["key"]?.stringValue ?? ""
            let currentKey = backend["key"]?.stringValue ?? ""
            if ownKey == nil && (currentKey.isEmpty || currentKey == globalKey) {
                backend["key"] = .string((globalKey.isEmpty ? "" : globalKey + "/") + nameRule + ".terraform.tfstate")
            }
        default: break
        }
        return backend
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation on the hot path).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard let first = target.utf8.first, self.utf8.contains(first) else { return self }
        return self.split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
