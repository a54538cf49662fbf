import KitPluginSDK

/// Reads one `.tf.json` file into a `TerraformModule`: HCL's JSON syntax, where a block type is an
/// object key, each label one more level of keys, and repeated blocks an array (`"//"` keys are
/// comments). A block's position is the line of its last label.
enum TerraformJSONReader {
    static func read(_ text: String, filename: String, into module: inout TerraformModule) {
        let parsed: (value: Value, marks: [String: Mark])
        if let yaml = try? YAMLParser.parse(text, recordMarks: true) {
            parsed = yaml
        } else if let json = try? JSONValue.parse(bytes: Array(text.utf8)) {
            // libyaml refuses some JSON (tabs in odd places); positions are then unknown (line 1).
            parsed = (ValueJSON.convert(json), [:])
        } else {
            module.diagnostics.append(.init(severity: .error, summary: "Invalid JSON", detail: "The file is not valid JSON.",
                                            position: .init(filename: filename, line: 1)))
            return
        }
        guard case .map(let root) = parsed.value else {
            module.diagnostics.append(.init(severity: .error, summary: "Invalid JSON", detail: "The root of the file must be an object.",
                                            position: .init(filename: filename, line: 1)))
            return
        }
        func line(_ path: [String]) -> Int { parsed.marks[ValuePath.key(path)]?.line ?? 1 }
        func at(_ path: [String]) -> TerraformModule.Position { .init(filename: filename, line: line(path)) }

        for type in root.keys.sorted() where type != "//" {
            let value = root[type]!
            switch type {
            case "terraform":
                for body in bodies(value) {
                    if case .string(let v)? = body["required_version"] { module.requiredCore.append(v) }
                    for providers in bodies(body["required_providers"] ?? .null) {
                        for name in providers.keys.sorted() where name != "//" {
                            var r = TerraformModule.ProviderRequirement()
                            switch providers[name]! {
                            case .string(let v): r.versionConstraints = [v]
                            case .map(let m):
                                if m.isEmpty { continue }
                                if case .string(let v)? = m["version"] { r.versionConstraints.append(v) }
                                if case .string(let s)? = m["source"] { r.source = s }
                                for alias in m["configuration_aliases"]?.listValue ?? [] {
                                    if case .string(let a) = alias, let ref = TerraformModule.providerReference(a.split(separator: ".").map(String.init)) {
                                        r.configurationAliases.append(ref)
                                    }
                                }
                            default: continue
                            }
                            module.require(name, r, at: at([type, "required_providers", name]))
                        }
                    }
                }
            case "variable", "output", "provider", "module":
                for (name, body) in labelled(value) {
                    let position = at([type, name])
                    switch type {
                    case "variable":
                        var v = TerraformModule.Variable(name: name, position: position)
                        v.type = body["type"]?.stringValue ?? ""
                        v.description = body["description"]?.stringValue ?? ""
                        v.deprecated = body["deprecated"]?.stringValue ?? ""
                        if let d = body["default"] { v.defaultValue = d } else { v.required = true }
                        v.sensitive = body["sensitive"]?.boolValue ?? false
                        if v.sensitive { module.sensitiveVariableNames.insert(name) }
                        module.variables[name] = v
                    case "output":
                        var o = TerraformModule.Output(name: name, position: position)
                        o.description = body["description"]?.stringValue ?? ""
                        o.deprecated = body["deprecated"]?.stringValue ?? ""
                        o.sensitive = body["sensitive"]?.boolValue ?? false
                        module.outputs[name] = o
                    case "provider":
                        if module.requiredProviders[name] == nil { module.requiredProviders[name] = .init() }
                        if let version = body["version"]?.stringValue { module.requiredProviders[name]!.versionConstraints.append(version) }
                        let alias = body["alias"]?.stringValue ?? ""
                        module.providerConfigs[alias.isEmpty ? name : "\(name).\(alias)"] = .init(name: name, alias: alias)
                    default:
                        var call = TerraformModule.ModuleCall(name: name, position: position)
                        call.source = body["source"]?.stringValue ?? module.moduleCalls[name]?.source ?? ""
                        call.version = body["version"]?.stringValue ?? ""
                        module.moduleCalls[name] = call
                    }
                }
            case "resource", "data":
                for (resourceType, byName) in labelled(value) {
                    for (name, body) in labelled(.map(byName)) {
                        var provider = TerraformModule.ProviderReference(name: TerraformModule.defaultProvider(forType: resourceType))
                        if let p = body["provider"]?.stringValue, let ref = TerraformModule.providerReference(p.split(separator: ".").map(String.init)) {
                            provider = ref
                        }
                        let r = TerraformModule.Resource(mode: type == "resource" ? .managed : .data, type: resourceType, name: name,
                                                         provider: provider, position: at([type, resourceType, name]))
                        if r.mode == .managed { module.managedResources["\(resourceType).\(name)"] = r } else { module.dataResources["data.\(resourceType).\(name)"] = r }
                    }
                }
            default:
                continue
            }
        }
    }

    /// A block's bodies: one object, or an array of them.
    static func bodies(_ v: Value) -> [[String: Value]] {
        switch v {
        case .map(let m): return [m]
        case .list(let l): return l.compactMap(\.mapValue)
        default: return []
        }
    }

    /// One level of labels: `{label: body}` (a body may be an array of bodies), by label.
    static func labelled(_ v: Value) -> [(String, [String: Value])] {
        var out: [(String, [String: Value])] = []
        for m in bodies(v) {
            for key in m.keys.sorted() where key != "//" {
                for body in bodies(m[key]!) { out.append((key, body)) }
            }
        }
        return out
    }
}
