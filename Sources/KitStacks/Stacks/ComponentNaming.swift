import KitModel
/// Stage 4 of resolving a component: its stack name, workspace and component templates (reference
/// §6–§7); and the stack name alone, for surveys of files the stack index cannot name.
extension ComponentResolver {
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
        // A stack-wide `vars` of the wrong type (`vars: [1, 2]`) is an error for every command that
        // reads the stack, as in atmos — never a stack silently named without its vars (issue 21).
        _ = try map(manifest.config["vars"], ["vars"])
        if case .map(let typeLevel)? = manifest.config[componentType] { _ = try map(typeLevel["vars"], [componentType, "vars"]) }
        let pattern: String
        switch StackNaming.rule(manifestName: manifest.config["name"]?.stringValue, config: config) {
        case .manifestName(let n): return n
        case .fileID: return stackFileID
        case .pattern(let p): pattern = p
        case .template(let template):
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
                guard let stack = try? templates.render(template, name: "stacks.name_template",
                                                        data: .map(["vars": .map(vars)]), ignoreMissing: false),
                      !stack.isEmpty else { throw error }
                return stack
            }
        }
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
        return try StackNaming.fromPattern(pattern, vars: vars, file: stackFile, component: name)
    }

    /// Stack name, workspace, and the component template pass.
    func finishNaming(_ resolved: inout ResolvedComponent) throws {
        do {
            resolved.stackName = try naming.name(for: resolved, manifestName: manifest.config["name"]?.stringValue, stackFile: stackFile)
        } catch StackError.missingNameToken where fileIDWhenNameTokensMissing {
            resolved.stackName = stackFileID
        }
        resolved.workspace = try Workspace.name(for: resolved, config: config, templates: templates)
        IntegrationNames.apply(&resolved, config: config, templates: templates)
        if !skipComponentTemplates && config.templatesEnabled && layersHaveTemplateActions {
            let me = InstanceID(stack: resolved.stackName, component: resolved.name)
            if readChain.contains(me) { throw ComponentReadCycle(chain: readChain + [me]) }
            let chain = readChain + [me]
            let components = readComponent.map { read in
                { @Sendable (component: String, stack: String) throws -> ResolvedComponent in try read(component, stack, chain) }
            }
            try ComponentTemplates.render(&resolved, templates: templates, ignoreMissing: config.ignoreMissingTemplateValues,
                                          datasources: ComponentTemplates.datasources(for: resolved, config: config), locate: locate,
                                          components: components)
        } else if !skipComponentTemplates && !config.templatesEnabled && Self.hasTemplateAction(resolved.generate) {
            // atmos renders the `generate` section's strings when it writes the files, whether or not
            // templates are enabled for the stacks: so does kit (a file holding `{{ .vars.stage }}` as
            // text would be silently wrong). No other component is read here.
            try ComponentTemplates.render(&resolved, templates: templates, ignoreMissing: config.ignoreMissingTemplateValues,
                                          locate: locate, sections: [.generate])
        }
    }

    /// True when some string in `values` holds a template action.
    static func hasTemplateAction(_ values: [String: Value]) -> Bool {
        !values.isEmpty && ValueWalk.contains(.map(values)) { node in
            if case .string(let s) = node { return containsTemplateAction(s) }
            return false
        }
    }
}
