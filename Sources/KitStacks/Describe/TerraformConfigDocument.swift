import KitModel
/// `component_info.terraform_config` of `describe component`: a `TerraformModule` as atmos prints
/// terraform-config-inspect's `tfconfig.Module` — `encoding/json` with the struct's json tags for
/// `--format json`, `yaml.v3` for YAML, which has no yaml tags to read and so prints every field under
/// its lower-cased Go name (`requiredproviders`, `managedresources`), zero values included, and the
/// resource mode and diagnostic severity as their rune values (`77` for managed).
enum TerraformConfigDocument {
    static func value(_ module: TerraformModule, _ encoding: AtmosEncoding) -> Value {
        GoValue.object(self.module(module)).encoded(encoding)
    }

    /// A field named `json` by encoding/json and `yaml` (the Go name lower-cased) by yaml.v3; only
    /// encoding/json honours `omitempty` (the struct has json tags only).
    static func field(_ json: String, _ yaml: String, _ value: GoValue, omitEmpty: Bool = false) -> GoField {
        GoField(json, json: json, yaml: yaml, jsonOmitEmpty: omitEmpty, yamlOmitEmpty: false, value)
    }

    static func module(_ m: TerraformModule) -> [GoField] {
        [
            field("path", "path", .string(m.path)),
            field("variables", "variables", .structs(m.variables.mapValues(variable))),
            field("outputs", "outputs", .structs(m.outputs.mapValues(output))),
            field("required_core", "requiredcore", .slice(m.requiredCore.isEmpty ? nil : m.requiredCore.map(Value.string)), omitEmpty: true),
            field("required_providers", "requiredproviders", .structs(m.requiredProviders.mapValues(requirement))),
            field("provider_configs", "providerconfigs", .structs(m.providerConfigs.mapValues(reference)), omitEmpty: true),
            field("managed_resources", "managedresources", .structs(m.managedResources.mapValues(resource))),
            field("data_resources", "dataresources", .structs(m.dataResources.mapValues(resource))),
            field("module_calls", "modulecalls", .structs(m.moduleCalls.mapValues(moduleCall))),
            field("diagnostics", "diagnostics", .structList(m.diagnostics.isEmpty ? nil : m.diagnostics.map(diagnostic)), omitEmpty: true),
        ]
    }

    static func position(_ p: TerraformModule.Position) -> GoValue {
        .object([field("filename", "filename", .string(p.filename)), field("line", "line", .int(p.line))])
    }

    static func variable(_ v: TerraformModule.Variable) -> GoValue {
        .object([
            field("name", "name", .string(v.name)),
            field("type", "type", .string(v.type), omitEmpty: true),
            field("description", "description", .string(v.description), omitEmpty: true),
            field("default", "default", .any(v.defaultValue)),
            field("required", "required", .bool(v.required)),
            field("sensitive", "sensitive", .bool(v.sensitive), omitEmpty: true),
            field("deprecated", "deprecated", .string(v.deprecated), omitEmpty: true),
            field("pos", "pos", position(v.position)),
        ])
    }

    static func output(_ o: TerraformModule.Output) -> GoValue {
        .object([
            field("name", "name", .string(o.name)),
            field("description", "description", .string(o.description), omitEmpty: true),
            field("sensitive", "sensitive", .bool(o.sensitive), omitEmpty: true),
            field("deprecated", "deprecated", .string(o.deprecated), omitEmpty: true),
            field("pos", "pos", position(o.position)),
            // Read for Terraform stacks only, never for a module: always empty here.
            field("type", "type", .string(""), omitEmpty: true),
        ])
    }

    static func reference(_ r: TerraformModule.ProviderReference) -> GoValue {
        .object([field("name", "name", .string(r.name)), field("alias", "alias", .string(r.alias), omitEmpty: true)])
    }

    static func requirement(_ r: TerraformModule.ProviderRequirement) -> GoValue {
        .object([
            field("source", "source", .string(r.source), omitEmpty: true),
            field("version_constraints", "versionconstraints",
                  .slice(r.versionConstraints.isEmpty ? nil : r.versionConstraints.map(Value.string)), omitEmpty: true),
            field("aliases", "configurationaliases",
                  .structList(r.configurationAliases.isEmpty ? nil : r.configurationAliases.map(reference)), omitEmpty: true),
        ])
    }

    static func resource(_ r: TerraformModule.Resource) -> GoValue {
        .object([
            field("mode", "mode", r.mode == .managed ? .jsonMarshaled(json: .string("managed"), integer: 77)
                                                     : .jsonMarshaled(json: .string("data"), integer: 68)),
            field("type", "type", .string(r.type)),
            field("name", "name", .string(r.name)),
            field("provider", "provider", reference(r.provider)),
            field("pos", "pos", position(r.position)),
        ])
    }

    static func moduleCall(_ c: TerraformModule.ModuleCall) -> GoValue {
        .object([
            field("name", "name", .string(c.name)),
            field("source", "source", .string(c.source)),
            field("version", "version", .string(c.version), omitEmpty: true),
            field("pos", "pos", position(c.position)),
        ])
    }

    static func diagnostic(_ d: TerraformModule.Diagnostic) -> GoValue {
        .object([
            field("severity", "severity", d.severity == .error ? .jsonMarshaled(json: .string("error"), integer: 69)
                                                               : .jsonMarshaled(json: .string("warning"), integer: 87)),
            field("summary", "summary", .string(d.summary)),
            field("detail", "detail", .string(d.detail), omitEmpty: true),
            field("pos", "pos", .pointer(d.position.map(position) ?? .object([]), set: d.position != nil), omitEmpty: true),
        ])
    }
}
