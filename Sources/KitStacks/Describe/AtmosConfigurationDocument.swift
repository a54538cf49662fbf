import KitModel
/// atmos's configuration document for kit's configuration: what `atmos describe config` prints, and
/// (its `base_path`, `components`, `stacks` and `workflows`) what atmos embeds in `describe component`
/// as `atmos_cli_config`. One builder serves both (`fields`), so the two cannot drift apart.
///
/// Values: what kit's configuration holds for the settings kit uses (terraform's, the stacks', the
/// templates', the paths, as kit resolved them, paths relative to `base_path` and `base_path` as
/// written); for the rest of atmos's struct, what atmos.yaml sets for it (as atmos decodes it), else
/// atmos's default (`AtmosConfigurationSchema`). Secrets are never printed: the token and DSN settings
/// print `***` when set, and so does every value under a secret-looking name in the free-form sections
/// (`env`, `auth`, `stores`, `integrations`, template datasources).
public enum AtmosConfigurationDocument {
    /// The sections of `atmos_cli_config`, printed even when empty (atmos builds it as a map of these
    /// struct values, so `omitempty` does not apply to them).
    static let cliConfigSections = ["base_path", "components", "stacks", "workflows"]

    /// `atmos describe config`'s document.
    public static func document(_ config: KitConfig, encoding: AtmosEncoding) -> [String: Value] {
        GoField.encode(fields(config), encoding)
    }

    /// `describe component`'s `atmos_cli_config`: the same fields as `document`, four of them.
    public static func cliConfig(_ config: KitConfig, encoding: AtmosEncoding) -> [String: Value] {
        var out: [String: Value] = [:]
        for f in fields(config) where cliConfigSections.contains(f.key) {
            if let name = f.name(encoding) { out[name] = f.value.encoded(encoding) }
        }
        return out
    }

    /// atmos's struct filled from kit's configuration, its top-level fields.
    static func fields(_ config: KitConfig) -> [GoField] {
        var root = AtmosConfigurationSchema.configuration.decoding(config.rawConfiguration)
        func set(_ path: [String], _ value: GoValue) { root = root.setting(path[...], to: value) }
        func rel(_ path: String) -> String { ShellText.relativePath(from: config.basePath, to: path) }
        let raw = config.rawConfiguration

        // What kit resolved.
        set(["base_path"], .string(config.basePathSetting))
        set(["default"], .bool(config.configFile == nil))
        set(["cli_config_path"], .string(config.configFile.map(Paths.dirname) ?? ""))
        let tf = config.terraform
        for (key, value) in [("base_path", GoValue.string(rel(tf.basePath))), ("command", .string(tf.command)),
                             ("apply_auto_approve", .bool(tf.applyAutoApprove)), ("deploy_run_init", .bool(tf.deployRunInit)),
                             ("init_run_reconfigure", .bool(tf.initRunReconfigure)),
                             ("auto_generate_backend_file", .bool(tf.autoGenerateBackendFile)),
                             ("append_user_agent", .string(tf.appendUserAgent ?? "")), ("plugin_cache", .bool(tf.pluginCacheDir != nil))] {
            set(["components", "terraform", key], value)
        }
        set(["components", "terraform", "init", "pass_vars"], .bool(tf.initPassVars))
        set(["components", "terraform", "plan", "skip_planfile"], .bool(tf.planSkipPlanfile))
        if raw.value(at: ["components", "terraform", "workspaces_enabled"]) != nil {
            set(["components", "terraform", "workspaces_enabled"], .pointer(.bool(tf.workspacesEnabled), set: true))
        }
        // A list atmos.yaml leaves out is Go's nil slice (`null` in JSON); one it writes empty is `[]`.
        func list(_ values: [String], key: [String]) -> GoValue {
            values.isEmpty && raw.value(at: key) == nil ? .slice(nil) : .slice(values.map(Value.string))
        }
        set(["stacks", "base_path"], .string(rel(config.stacksBasePath)))
        set(["stacks", "included_paths"], list(config.includedPaths, key: ["stacks", "included_paths"]))
        set(["stacks", "excluded_paths"], list(config.excludedPaths, key: ["stacks", "excluded_paths"]))
        set(["stacks", "name_pattern"], .string(config.namePattern))
        set(["stacks", "name_template"], .string(config.nameTemplate))
        set(["stacks", "inherit", "metadata"], .pointer(.bool(config.inheritMetadata), set: true))
        set(["stacks", "allowed_external_paths"], .slice(config.allowedExternalPaths.map(Value.string)))
        if raw.value(at: ["settings", "list_merge_strategy"]) == nil {
            set(["settings", "list_merge_strategy"], .string(config.listMergeStrategy == .replace ? "" : config.listMergeStrategy.rawValue))
        }
        set(["templates", "settings", "enabled"], .bool(config.templatesEnabled))
        set(["templates", "settings", "gomplate", "enabled"], .bool(config.gomplateEnabled))
        set(["templates", "settings", "ignore_missing_template_values"], .bool(config.ignoreMissingTemplateValues))
        var schemas = raw["schemas"]?.mapValue ?? [:]
        for (key, path) in [("jsonschema", config.jsonSchemaBasePath), ("opa", config.opaBasePath)] where !path.isEmpty {
            var entry = schemas[key]?.mapValue ?? [:]
            entry["base_path"] = .string(rel(path))
            schemas[key] = .map(entry)
        }
        set(["schemas"], .map(schemas.isEmpty ? nil : schemas))
        set(["env"], .map(config.env.isEmpty ? nil : config.env))

        // The absolute paths atmos computes from them.
        let base = config.basePath
        set(["basePathAbsolute"], .string(base))
        set(["stacksBaseAbsolutePath"], .string(config.stacksBasePath))
        set(["includeStackAbsolutePaths"], .slice(config.includedPaths.map { .string(Paths.normalize(Paths.join(config.stacksBasePath, $0))) }))
        set(["excludeStackAbsolutePaths"], .slice(config.excludedPaths.map { .string(Paths.normalize(Paths.join(config.stacksBasePath, $0))) }))
        set(["terraformDirAbsolutePath"], .string(tf.basePath))
        for (name, key) in [("helmfile", ["components", "helmfile"]), ("packer", ["components", "packer"]), ("ansible", ["components", "ansible"]),
                            ("kubernetes", ["components", "kubernetes"]), ("helm", ["components", "helm"]), ("vendor", ["vendor"]),
                            ("workflows", ["workflows"])] {
            guard case .string(let written)? = root.value(at: (key + ["base_path"])[...]) else { continue }
            set(["\(name)DirAbsolutePath"], .string(Paths.normalize(Paths.join(base, written))))
        }

        // Secrets: the settings that hold one, and secret-looking names in the free-form sections.
        for path in AtmosConfigurationSchema.secretFields {
            switch root.value(at: path[...]) {
            case .string(let s)? where !s.isEmpty: set(path, .string(masked))
            case .slice(let l?)?: set(path, .slice(l.map { _ in .string(masked) }))
            default: break
            }
        }
        for path in [["env"], ["stores"], ["auth", "providers"], ["auth", "identities"], ["auth", "integrations"],
                     ["integrations", "github"], ["integrations", "pro"], ["templates", "settings", "gomplate", "datasources"],
                     ["components", "Plugins"]] {
            if case .map(let m?)? = root.value(at: path[...]) { set(path, .map(maskingSecrets(m))) }
        }
        guard case .object(let fields) = root else { return [] }
        return fields
    }

    /// What a secret prints as.
    static let masked = "***"

    /// `map` with every value under a secret-looking name (`SecretNames`) replaced by `***`, at any depth.
    static func maskingSecrets(_ map: [String: Value]) -> [String: Value] {
        var out = map
        for (key, value) in map {
            if SecretNames.looksSecret(key), !value.isNull, value.mapValue == nil {
                out[key] = .string(masked)
            } else if let m = value.mapValue {
                out[key] = .map(maskingSecrets(m))
            } else if let l = value.listValue {
                out[key] = .list(l.map { $0.mapValue.map { .map(maskingSecrets($0)) } ?? $0 })
            }
        }
        return out
    }
}
