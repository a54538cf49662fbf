import KitModel
/// The document `kit describe config` prints: the effective configuration, with atmos.yaml's key names
/// (paths relative to `base_path`, which is absolute).
public enum ConfigDocument {
    /// The effective configuration as a value.
    public static func document(_ config: KitConfig) -> Value {
        let rel = { (p: String) in Value.string(p.isEmpty ? "" : Paths.relative(p, to: config.basePath)) }
        let tf = config.terraform
        var terraform: [String: Value] = [
            "base_path": rel(tf.basePath),
            "command": .string(tf.command),
            "workspaces_enabled": .bool(tf.workspacesEnabled),
            "auto_generate_backend_file": .bool(tf.autoGenerateBackendFile),
            "init_run_reconfigure": .bool(tf.initRunReconfigure),
            "deploy_run_init": .bool(tf.deployRunInit),
            "apply_auto_approve": .bool(tf.applyAutoApprove),
            "init": .map(["pass_vars": .bool(tf.initPassVars)]),
            "plan": .map(["skip_planfile": .bool(tf.planSkipPlanfile)]),
            "workspace": .map(["prefix_separator": .string(tf.prefixSeparator)]),
        ]
        if let ua = tf.appendUserAgent { terraform["append_user_agent"] = .string(ua) }
        if let cache = tf.pluginCacheDir { terraform["plugin_cache_dir"] = .string(cache) }
        return .map([
            "config_file": config.configFile.map { rel($0) } ?? .null,
            "base_path": .string(config.basePath),
            "components": .map(["terraform": .map(terraform)]),
            "stacks": .map([
                "base_path": rel(config.stacksBasePath),
                "included_paths": .list(config.includedPaths.map(Value.string)),
                "excluded_paths": .list(config.excludedPaths.map(Value.string)),
                "name_pattern": .string(config.namePattern),
                "name_template": .string(config.nameTemplate),
                "inherit": .map(["metadata": .bool(config.inheritMetadata)]),
                "allowed_external_paths": .list(config.allowedExternalPaths.map(Value.string)),
            ]),
            "settings": .map(["list_merge_strategy": .string(config.listMergeStrategy.rawValue)]),
            "templates": .map(["settings": .map([
                "enabled": .bool(config.templatesEnabled),
                "ignore_missing_template_values": .bool(config.ignoreMissingTemplateValues),
                "gomplate": .map(["enabled": .bool(config.gomplateEnabled)]),
            ])]),
            "schemas": .map([
                "jsonschema": .map(["base_path": rel(config.jsonSchemaBasePath)]),
                "opa": .map(["base_path": rel(config.opaBasePath)]),
            ]),
            "env": .map(config.env),
            "plugins": config.plugins,
        ])
    }
}
