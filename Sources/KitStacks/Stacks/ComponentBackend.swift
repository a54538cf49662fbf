import KitModel
/// Stage 3 of resolving a component: its backend (reference §8).
extension ComponentResolver {
    /// The backend and remote-state backend (reference §8), from the type level, the chain and the component.
    func resolveBackend(_ resolved: inout ResolvedComponent, layers l: ComponentLayers, chain acc: Accumulator) throws {
        let (name, cPath, tf, c, strategy) = (l.name, l.path, l.typeLevel, l.own, resolved.listMergeStrategy)
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
