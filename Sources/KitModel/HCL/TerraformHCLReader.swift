/// Reads one `.tf` file's top-level blocks into a `TerraformModule`, as terraform-config-inspect does:
/// `terraform` (`required_version`, `required_providers`), `variable`, `output`, `provider`,
/// `resource`, `data` and `module`. A later block of the same name replaces an earlier one (override
/// files come last); a module call without `source` keeps the one it overrides.
struct TerraformHCLReader {
    /// The file being read (positions name it).
    let filename: String
    var module: TerraformModule

    static func read(_ text: String, filename: String, into module: inout TerraformModule) {
        var reader = TerraformHCLReader(filename: filename, module: module)
        reader.read(text)
        module = reader.module
    }

    func at(_ line: Int) -> TerraformModule.Position { .init(filename: filename, line: line) }

    mutating func read(_ text: String) {
        let (body, errors) = HCLBody.parse(text)
        for e in errors {
            module.diagnostics.append(.init(severity: .error, summary: "Invalid HCL", detail: e.message, position: at(e.line)))
        }
        for block in body.blocks {
            switch block.type {
            case "terraform":
                terraform(block.body)
            case "variable":
                guard let name = label(block, 0, "name") else { continue }
                module.variables[name] = variable(name, block)
            case "output":
                guard let name = label(block, 0, "name") else { continue }
                module.outputs[name] = output(name, block)
            case "provider":
                guard let name = label(block, 0, "name") else { continue }
                provider(name, block)
            case "resource", "data":
                guard let type = label(block, 0, "type"), let name = label(block, 1, "name") else { continue }
                let r = resource(block.type == "resource" ? .managed : .data, type: type, name: name, block)
                if r.mode == .managed { module.managedResources["\(type).\(name)"] = r } else { module.dataResources["data.\(type).\(name)"] = r }
            case "module":
                guard let name = label(block, 0, "name") else { continue }
                var call = TerraformModule.ModuleCall(name: name, position: at(block.line))
                call.source = string(block.body, "source", "the source of module \"\(name)\"") ?? ""
                if call.source.isEmpty { call.source = module.moduleCalls[name]?.source ?? "" }
                call.version = string(block.body, "version", "the version of module \"\(name)\"") ?? ""
                module.moduleCalls[name] = call
            default:
                continue
            }
        }
    }

    /// The block's label at `index`; a missing one is an error (HCL requires it).
    mutating func label(_ block: HCLBody.Block, _ index: Int, _ what: String) -> String? {
        if index < block.labels.count { return block.labels[index] }
        let count = block.type == "resource" || block.type == "data" ? 2 : 1
        module.diagnostics.append(.init(severity: .error, summary: "Missing \(what) for \(block.type)",
                                        detail: "All \(block.type) blocks must have \(count) label\(count == 1 ? "" : "s").", position: at(block.line)))
        return nil
    }

    /// A string attribute read as a literal; a non-literal is a warning and nil.
    mutating func string(_ body: HCLBody, _ name: String, _ what: String) -> String? {
        guard let attr = body.attribute(name) else { return nil }
        if let s = attr.expression.stringLiteral { return s }
        module.diagnostics.append(TerraformModule.notLiteral(what, shownAs: "\"\"", at: at(attr.line)))
        return nil
    }

    /// A bool attribute read as a literal; a non-literal is a warning and nil.
    mutating func bool(_ body: HCLBody, _ name: String, _ what: String) -> Bool? {
        guard let attr = body.attribute(name) else { return nil }
        switch attr.expression.literal {
        case .bool(let b)?: return b
        case .string("true")?: return true
        case .string("false")?: return false
        default:
            module.diagnostics.append(TerraformModule.notLiteral(what, shownAs: "false", at: at(attr.line)))
            return nil
        }
    }

    mutating func variable(_ name: String, _ block: HCLBody.Block) -> TerraformModule.Variable {
        var v = TerraformModule.Variable(name: name, position: at(block.line))
        if let type = block.body.attribute("type") {
            // A quoted legacy type (`"string"`) without its quotes; otherwise the type as written.
            if case .string(let s)? = type.expression.literal { v.type = s } else { v.type = type.expression.text }
        }
        v.description = string(block.body, "description", "the description of variable \"\(name)\"") ?? ""
        v.deprecated = string(block.body, "deprecated", "the deprecation message of variable \"\(name)\"") ?? ""
        if let attr = block.body.attribute("default") {
            if let value = attr.expression.literal {
                v.defaultValue = value
            } else {
                module.diagnostics.append(TerraformModule.notLiteral("the default of variable \"\(name)\"", shownAs: "null", at: at(attr.line)))
            }
        } else {
            v.required = true
        }
        v.sensitive = bool(block.body, "sensitive", "the sensitive flag of variable \"\(name)\"") ?? false
        if v.sensitive { module.sensitiveVariableNames.insert(name) }
        return v
    }

    mutating func output(_ name: String, _ block: HCLBody.Block) -> TerraformModule.Output {
        var o = TerraformModule.Output(name: name, position: at(block.line))
        o.description = string(block.body, "description", "the description of output \"\(name)\"") ?? ""
        o.deprecated = string(block.body, "deprecated", "the deprecation message of output \"\(name)\"") ?? ""
        o.sensitive = bool(block.body, "sensitive", "the sensitive flag of output \"\(name)\"") ?? false
        return o
    }

    mutating func terraform(_ body: HCLBody) {
        if let version = string(body, "required_version", "required_version") {
            module.requiredCore.append(version)
        }
        for inner in body.blocks where inner.type == "required_providers" {
            for attr in inner.body.attributes {
                if let requirement = requirement(attr) { module.require(attr.name, requirement, at: at(inner.line)) }
            }
        }
    }

    /// One `required_providers` entry: a version string (legacy) or `{ source, version, configuration_aliases }`.
    mutating func requirement(_ attr: HCLBody.Attribute) -> TerraformModule.ProviderRequirement? {
        if let version = attr.expression.stringLiteral { return .init(versionConstraints: [version]) }
        guard let entries = attr.expression.objectEntries else {
            module.diagnostics.append(TerraformModule.notLiteral("the required_providers entry \"\(attr.name)\"", shownAs: "absent", at: at(attr.line)))
            return nil
        }
        if entries.isEmpty { return nil }
        var r = TerraformModule.ProviderRequirement()
        for (key, value) in entries {
            switch key {
            case "version", "source":
                guard let v = value.literal else {
                    module.diagnostics.append(TerraformModule.notLiteral("the \(key) of provider \"\(attr.name)\"", shownAs: "absent", at: at(value.line)))
                    continue
                }
                guard case .string(let s) = v else { continue }
                if key == "version" { r.versionConstraints.append(s) } else { r.source = s }
            case "configuration_aliases":
                for element in value.listElements ?? [] {
                    if let names = element.traversal, let ref = TerraformModule.providerReference(names), ref.name == attr.name {
                        r.configurationAliases.append(ref)
                    } else {
                        module.diagnostics.append(.init(severity: .error, summary: "Invalid configuration_aliases value",
                                                        detail: "Configuration aliases can only contain references to local provider configuration names in the format of provider.alias",
                                                        position: at(element.line)))
                    }
                }
            default:
                continue
            }
        }
        return r
    }

    mutating func provider(_ name: String, _ block: HCLBody.Block) {
        if module.requiredProviders[name] == nil { module.requiredProviders[name] = .init() }
        if let version = string(block.body, "version", "the version of provider \"\(name)\"") {
            module.requiredProviders[name]!.versionConstraints.append(version)
        }
        let alias = string(block.body, "alias", "the alias of provider \"\(name)\"") ?? ""
        module.providerConfigs[alias.isEmpty ? name : "\(name).\(alias)"] = .init(name: name, alias: alias)
    }

    mutating func resource(_ mode: TerraformModule.Resource.Mode, type: String, name: String, _ block: HCLBody.Block) -> TerraformModule.Resource {
        var provider = TerraformModule.ProviderReference(name: TerraformModule.defaultProvider(forType: type))
        if let attr = block.body.attribute("provider") {
            // `provider = aws.west`, or the older quoted `"aws.west"`.
            let names = attr.expression.traversal
                ?? attr.expression.stringLiteral.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
            if let names, let ref = TerraformModule.providerReference(names) {
                provider = ref
            } else {
                provider = .init(name: "")
                module.diagnostics.append(.init(severity: .error, summary: "Invalid provider reference",
                                                detail: "Provider argument requires a provider name followed by an optional alias, like \"aws.foo\".",
                                                position: at(attr.line)))
            }
        }
        return .init(mode: mode, type: type, name: name, provider: provider, position: at(block.line))
    }
}
