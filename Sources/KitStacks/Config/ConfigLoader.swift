import KitModel
/// Finds and reads kit.yaml (or atmos.yaml), applies `KIT_*`/`ATMOS_*` environment variables and flags.
///
/// Discovery: `--config` files or `--config-path` dirs if given; else `KIT_CLI_CONFIG_PATH` /
/// `ATMOS_CLI_CONFIG_PATH`; else the nearest of the working directory and its parents holding
/// `kit.yaml` (preferred) or `atmos.yaml`. With no file, the built-in defaults apply.
public struct ConfigLoader {
    public var fileSystem: FileSystem
    public var environment: [String: String]
    public var workingDirectory: String
    /// Untrusted mode refuses what the repository's configuration must not set (`UntrustedConfiguration`).
    public var trust: TrustPolicy

    public init(fileSystem: FileSystem = LocalFileSystem(), environment: [String: String], workingDirectory: String,
                trust: TrustPolicy = .trusted) {
        self.fileSystem = fileSystem
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.trust = trust
    }

    package static let fileNames = ["kit.yaml", "kit.yml", "atmos.yaml", "atmos.yml", ".atmos.yaml"]

    /// The config files to merge, in order.
    /// A `KIT_CLI_CONFIG_PATH`/`ATMOS_CLI_CONFIG_PATH` that holds no configuration is an error.
    public func discover(_ overrides: ConfigOverrides) throws -> [String] {
        var files = overrides.configFiles.map { Paths.join(workingDirectory, $0) }
        for dir in overrides.configDirs {
            if let f = firstConfig(in: Paths.join(workingDirectory, dir)) { files.append(f) }
        }
        if !files.isEmpty { return files }
        for key in ["KIT_CLI_CONFIG_PATH", "ATMOS_CLI_CONFIG_PATH"] {
            if let dir = environment[key], !dir.isEmpty {
                guard let f = firstConfig(in: Paths.join(workingDirectory, dir)) else {
                    throw ConfigError.noConfigAt(variable: key, value: dir)
                }
                return [f]
            }
        }
        var dir = workingDirectory
        while true {
            if let f = firstConfig(in: dir) { return [f] }
            if dir == "/" || dir.isEmpty { return [] }
            if fileSystem.exists(dir + "/.git") { return [] }
            dir = Paths.dirname(dir)
        }
    }

    func firstConfig(in dir: String) -> String? {
        for name in Self.fileNames where fileSystem.exists(dir + "/" + name) && !fileSystem.isDirectory(dir + "/" + name) {
            return dir + "/" + name
        }
        return nil
    }

    /// Loads the effective configuration.
    public func load(_ overrides: ConfigOverrides = ConfigOverrides()) throws -> KitConfig {
        let (configFiles, defaults, raw) = try mergedFiles(overrides)
        let files = defaults + configFiles
        let configFile = files.last
        let configDir = configFile.map(Paths.dirname) ?? workingDirectory
        let isAtmos = configFile.map { Paths.basename($0).contains("atmos") } ?? false
        let source = configFile ?? "built-in defaults"
        var validation = ConfigValidation(root: raw, source: source, strict: configFile != nil && !isAtmos)
        try validation.check()
        let warnings: [Diagnostic] = validation.warnings
        let limits = try validation.limits()
        let pluginsDisabled = try ConfigValidation.pluginsDisabled(environment)
        let root = Value.map(raw)
        if trust.untrusted { try UntrustedConfiguration.check(root, files: files, fileSystem: fileSystem, environment: environment) }

        // Defaults: built-in (no file, or kit.yaml) vs atmos.yaml-found (Go zero values; reference §1.3).
        let friendly = !isAtmos
        func str(_ path: [String], env: [String] = [], _ fallback: String) -> String {
            for e in env { if let v = environment[e] { return v } }
            if let v = root.value(at: path), !v.isNull { return v.interpolated }
            return fallback
        }
        func bool(_ path: [String], env: [String] = [], _ fallback: Bool) throws -> Bool {
            for e in env {
                if let v = environment[e] {
                    guard let b = parseBool(v) else {
                        throw ConfigError.invalidValue(key: e, value: v, expected: "true or false", source: "environment")
                    }
                    return b
                }
            }
            if let v = root.value(at: path) {
                if case .bool(let b) = v { return b }
                if case .string(let s) = v, let b = parseBool(s) { return b }
                throw ConfigError.invalidValue(key: path.joined(separator: "."), value: v.interpolated, expected: "true or false", source: source)
            }
            // An atmos.yaml that leaves a key at atmos's code default is valid: no warning (issue 9).
            return fallback
        }
        func list(_ path: [String], env: String, _ fallback: [String]) -> [String] {
            if let v = environment[env] { return v.split(separator: ",").map { String($0).trimmingSpaces() } }
            if let l = root.value(at: path)?.listValue { return l.map(\.interpolated) }
            return fallback
        }

        // base_path: flag > env > file (relative to the config file's directory) > git root / config dir.
        var basePath: String
        var basePathSetting = ""
        if let flag = overrides.basePath {
            basePath = Paths.join(workingDirectory, flag)
            basePathSetting = flag
        } else if let e = environment["KIT_BASE_PATH"] ?? environment["ATMOS_BASE_PATH"] {
            basePath = Paths.join(workingDirectory, e)
            basePathSetting = e
        } else if let v = root["base_path"]?.stringValue, !v.isEmpty {
            basePath = Paths.join(configDir, v)
            basePathSetting = v
        } else if configFile != nil {
            basePath = fileSystem.gitRoot(from: workingDirectory) ?? configDir
        } else {
            basePath = workingDirectory
            basePathSetting = "."
        }

        let stacksRel = overrides.stacksDir ?? str(["stacks", "base_path"], env: ["KIT_STACKS_BASE_PATH", "ATMOS_STACKS_BASE_PATH"], friendly ? "stacks" : "")
        if stacksRel.isEmpty { throw ConfigError.missing(key: "stacks.base_path", file: source) }
        let stacksBase = overrides.stacksDir != nil ? Paths.join(workingDirectory, stacksRel) : Paths.join(basePath, stacksRel)
        let included = list(["stacks", "included_paths"], env: "ATMOS_STACKS_INCLUDED_PATHS", friendly ? ["orgs/**/*"] : [])
        if included.isEmpty { throw ConfigError.missing(key: "stacks.included_paths", file: source) }
        let excluded = list(["stacks", "excluded_paths"], env: "ATMOS_STACKS_EXCLUDED_PATHS", friendly ? ["**/_defaults.yaml"] : [])

        let tfRel = overrides.terraformDir ?? str(["components", "terraform", "base_path"],
                                                  env: ["KIT_COMPONENTS_TERRAFORM_BASE_PATH", "ATMOS_COMPONENTS_TERRAFORM_BASE_PATH"],
                                                  friendly ? "components/terraform" : "components/terraform")
        let tfBase = overrides.terraformDir != nil ? Paths.join(workingDirectory, tfRel) : Paths.join(basePath, tfRel)
        let tfEnv = { (k: String) in ["KIT_COMPONENTS_TERRAFORM_" + k, "ATMOS_COMPONENTS_TERRAFORM_" + k] }
        let tfPath = { (k: String) in ["components", "terraform", k] }

        let strategyText = str(["settings", "list_merge_strategy"], env: ["KIT_SETTINGS_LIST_MERGE_STRATEGY", "ATMOS_SETTINGS_LIST_MERGE_STRATEGY"], "replace")
        guard let strategy = ListMergeStrategy(rawValue: strategyText.isEmpty ? "replace" : strategyText) else {
            throw StackError.invalidMergeStrategy(configFile.map { SourceLocation(file: $0) }, value: strategyText)
        }

        var pluginCacheDir: String? = nil
        if try bool(tfPath("plugin_cache"), env: tfEnv("PLUGIN_CACHE"), true) {
            let dir = str(tfPath("plugin_cache_dir"), env: tfEnv("PLUGIN_CACHE_DIR"), "")
            let home = environment["HOME"] ?? "/tmp"
            pluginCacheDir = dir.isEmpty ? home + "/.cache/kit/terraform/plugins" : Paths.join(basePath, dir)
        }

        let terraform = TerraformSettings(
            basePath: tfBase,
            command: overrides.terraformCommand ?? str(tfPath("command"), env: tfEnv("COMMAND"), "terraform").nonEmpty ?? "terraform",
            workspacesEnabled: try bool(tfPath("workspaces_enabled"), true),
            autoGenerateBackendFile: try overrides.terraformSettings.autoGenerateBackendFile ?? bool(tfPath("auto_generate_backend_file"), env: tfEnv("AUTO_GENERATE_BACKEND_FILE"), friendly),
            initRunReconfigure: try overrides.terraformSettings.initRunReconfigure ?? bool(tfPath("init_run_reconfigure"), env: tfEnv("INIT_RUN_RECONFIGURE"), friendly),
            deployRunInit: try overrides.terraformSettings.deployRunInit ?? bool(tfPath("deploy_run_init"), env: tfEnv("DEPLOY_RUN_INIT"), friendly),
            applyAutoApprove: try bool(tfPath("apply_auto_approve"), env: tfEnv("APPLY_AUTO_APPROVE"), false),
            initPassVars: try overrides.terraformSettings.initPassVars ?? bool(["components", "terraform", "init", "pass_vars"], env: tfEnv("INIT_PASS_VARS"), false),
            planSkipPlanfile: try bool(["components", "terraform", "plan", "skip_planfile"], env: tfEnv("PLAN_SKIP_PLANFILE"), false),
            prefixSeparator: str(["components", "terraform", "workspace", "prefix_separator"], "-").nonEmpty ?? "-",
            appendUserAgent: str(tfPath("append_user_agent"), env: tfEnv("APPEND_USER_AGENT"), "").nonEmpty,
            pluginCacheDir: pluginCacheDir
        )

        // Its tokens are checked when stack names are needed (`KitConfig.checkStackNaming`).
        let namePattern = str(["stacks", "name_pattern"], env: ["KIT_STACKS_NAME_PATTERN", "ATMOS_STACKS_NAME_PATTERN"], "")
        let allowed = list(["stacks", "allowed_external_paths"], env: "KIT_STACKS_ALLOWED_EXTERNAL_PATHS", []).map { Paths.join(basePath, $0) }

        var config = KitConfig(
            configFile: configFile,
            basePath: basePath,
            stacksBasePath: stacksBase,
            includedPaths: included,
            excludedPaths: excluded,
            namePattern: namePattern,
            nameTemplate: str(["stacks", "name_template"], env: ["KIT_STACKS_NAME_TEMPLATE", "ATMOS_STACKS_NAME_TEMPLATE"], ""),
            inheritMetadata: try bool(["stacks", "inherit", "metadata"], env: ["ATMOS_STACKS_INHERIT_METADATA"], true),
            terraform: terraform,
            listMergeStrategy: strategy,
            templatesEnabled: try bool(["templates", "settings", "enabled"], friendly),
            ignoreMissingTemplateValues: try bool(["templates", "settings", "ignore_missing_template_values"], false),
            env: root["env"]?.mapValue ?? [:],
            plugins: root["plugins"] ?? .emptyMap,
            stateDirectory: Paths.join(basePath, ".kit"),
            warnings: warnings
        )
        config.basePathSetting = basePathSetting
        config.limits = limits
        config.allowedExternalPaths = allowed
        config.pluginsDisabled = pluginsDisabled
        let jsonSchemaBase = str(["schemas", "jsonschema", "base_path"], env: ["ATMOS_SCHEMAS_JSONSCHEMA_BASE_PATH"], "")
        config.jsonSchemaBasePath = jsonSchemaBase.isEmpty ? "" : Paths.join(basePath, jsonSchemaBase)
        let opaBase = str(["schemas", "opa", "base_path"], env: ["ATMOS_SCHEMAS_OPA_BASE_PATH"], "")
        config.opaBasePath = opaBase.isEmpty ? "" : Paths.join(basePath, opaBase)
        config.gomplateEnabled = try bool(["templates", "settings", "gomplate", "enabled"], false)
        config.rawConfiguration = root
        config.stores = try StoreConfiguration.parse(root["stores"], source: config.configFile ?? "kit.yaml")
        config.trust = trust
        return config
    }

    func parseBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: return nil
        }
    }
}

extension String {
    /// nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
    /// Without leading and trailing spaces and tabs.
    package func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
