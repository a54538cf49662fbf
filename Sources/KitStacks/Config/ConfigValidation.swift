import KitModel
/// Checks a configuration file's shape before its values are used: section types, unknown keys
/// (with "did you mean"), `stacks.limits` and kit's own environment switches; name-pattern tokens
/// later, when stack names are needed.
///
/// Unknown keys are errors in kit.yaml and warnings in atmos.yaml (atmos grows keys kit does not know).
struct ConfigValidation {
    let root: [String: Value]
    let source: String
    let strict: Bool
    var warnings: [Diagnostic] = []

    /// Top-level keys of atmos.yaml (atmos 1.x) and kit's additions.
    static let topLevelKeys: [String] = [
        "aliases", "auth", "base_path", "commands", "components", "describe", "devcontainer", "docs", "env",
        "errors", "import", "integrations", "list", "logs", "metadata", "plugins", "profiler", "schemas",
        "settings", "stacks", "stores", "templates", "toolchain", "validate", "vendor", "version", "workflows",
    ]
    /// Keys of the `stacks` section.
    static let stacksKeys: [String] = [
        "allowed_external_paths", "base_path", "excluded_paths", "included_paths", "inherit", "limits",
        "name_pattern", "name_template",
    ]
    /// Keys of the `plugins` section (`PluginConfiguration`).
    static let pluginKeys: [String] = ["isolated", "paths", "pins", "spin_us", "timeout"]
    /// Keys of `stacks.limits`.
    static let limitKeys: [String] = ["max_alias_expansion", "max_depth", "max_files", "max_manifest_bytes"]
    /// Sections that must be maps when present.
    static let mapSections: [[String]] = [
        ["stacks"], ["components"], ["components", "terraform"], ["templates"], ["templates", "settings"],
        ["settings"], ["env"], ["plugins"], ["stacks", "limits"], ["stacks", "inherit"],
    ]
    /// Settings that must be strings when present.
    static let stringSettings: [[String]] = [
        ["base_path"], ["stacks", "base_path"], ["stacks", "name_pattern"], ["stacks", "name_template"],
        ["components", "terraform", "base_path"], ["components", "terraform", "command"],
    ]
    /// Settings that must be lists of strings when present.
    static let listSettings: [[String]] = [
        ["stacks", "included_paths"], ["stacks", "excluded_paths"], ["stacks", "allowed_external_paths"],
    ]

    /// Runs every check; throws the first error, collects warnings.
    mutating func check() throws {
        let doc = Value.map(root)
        for path in Self.mapSections {
            if let v = doc.value(at: path), !v.isNull, v.mapValue == nil { throw typeError(path, "a map", v) }
        }
        for path in Self.stringSettings {
            if let v = doc.value(at: path), !v.isNull, v.stringValue == nil { throw typeError(path, "a string", v) }
        }
        for path in Self.listSettings {
            guard let v = doc.value(at: path), !v.isNull else { continue }
            guard let items = v.listValue, items.allSatisfy({ $0.stringValue != nil }) else { throw typeError(path, "a list of strings", v) }
        }
        try keys(root, known: Self.topLevelKeys, prefix: "")
        if let stacks = root["stacks"]?.mapValue {
            try keys(stacks, known: Self.stacksKeys, prefix: "stacks.")
            if let limits = stacks["limits"]?.mapValue { try keys(limits, known: Self.limitKeys, prefix: "stacks.limits.") }
        }
        if let plugins = root["plugins"]?.mapValue {
            try keys(plugins, known: Self.pluginKeys, prefix: "plugins.")
            // Checked here, where the file is known, for every command (not only those that load plugins).
            do {
                _ = try PluginConfiguration.settings(from: .map(plugins))
            } catch let error as PluginConfigurationError {
                throw ConfigError.invalidPlugins(error, source: source)
            }
        }
    }

    func typeError(_ path: [String], _ expected: String, _ v: Value) -> ConfigError {
        .invalidType(key: path.joined(separator: "."), expected: expected, found: v.typeName, source: source)
    }

    mutating func keys(_ map: [String: Value], known: [String], prefix: String) throws {
        for key in map.keys.sorted() where !known.contains(key) {
            let suggestion = Suggestions.closest(to: key, in: known).first.map { prefix + $0 }
            let error = ConfigError.unknownKey(key: prefix + key, suggestion: suggestion, source: source)
            if strict { throw error }
            warnings.append(Diagnostic(.warning, error.description))
        }
    }

    /// `stacks.limits` with the defaults for what is not set.
    func limits() throws -> InputLimits {
        var limits = InputLimits.standard
        let section = root["stacks"]?["limits"]?.mapValue ?? [:]
        func positive(_ key: String, _ fallback: Int, max ceiling: Int = Int.max) throws -> Int {
            guard let v = section[key], !v.isNull else { return fallback }
            guard case .int(let i) = v, i > 0, i <= ceiling else {
                let range = ceiling == Int.max ? "a positive whole number" : "a whole number from 1 to \(ceiling)"
                throw ConfigError.invalidValue(key: "stacks.limits." + key, value: v.interpolated, expected: range, source: source)
            }
            return i
        }
        limits.maxManifestBytes = try positive("max_manifest_bytes", limits.maxManifestBytes)
        limits.maxDepth = try positive("max_depth", limits.maxDepth, max: InputLimits.depthCeiling)
        limits.maxAliasExpansion = try positive("max_alias_expansion", limits.maxAliasExpansion)
        limits.maxFiles = try positive("max_files", limits.maxFiles)
        return limits
    }

    /// Every token atmos knows in name and workspace patterns. A name pattern keeps only the four
    /// naming tokens and drops the others (atmos, reference §6.1); a token outside this list is a typo.
    static let knownTokens: [String] = [
        "attributes", "base-component", "component", "component-path", "environment", "namespace", "region",
        "stage", "tenant", "terraform_workspace", "workspace",
    ]

    /// A name pattern uses only tokens atmos knows (`{namespace}`, `{tenant}`, `{environment}`, `{stage}`
    /// are filled; other known tokens are dropped as atmos does); anything else is an error. Checked
    /// when stack names are needed (`KitConfig.checkStackNaming`), not when the configuration loads.
    static func checkNamePattern(_ pattern: String, source: String) throws {
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw ConfigError.invalidValue(key: "stacks.name_pattern", value: pattern, expected: "tokens closed with '}'", source: source)
            }
            let token = String(rest[rest.index(after: open)..<close])
            if !knownTokens.contains(token) {
                throw ConfigError.unknownNameToken(token: token, pattern: pattern, suggestion: Suggestions.closest(to: token, in: StackNaming.patternTokens.sorted()).first, source: source)
            }
            rest = rest[rest.index(after: close)...]
        }
    }

    /// `KIT_NO_PLUGINS`: unset, empty, `0` or `1`.
    static func pluginsDisabled(_ environment: [String: String]) throws -> Bool {
        guard let v = environment["KIT_NO_PLUGINS"] else { return false }
        switch v {
        case "", "0": return false
        case "1": return true
        default: throw ConfigError.invalidValue(key: "KIT_NO_PLUGINS", value: v, expected: "'1' (plugins off) or '0'", source: "environment")
        }
    }
}
