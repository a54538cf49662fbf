import KitModel
/// Terraform settings from `components.terraform` in kit.yaml / atmos.yaml.
public struct TerraformSettings: Sendable, Equatable {
    /// Absolute path of the terraform root-modules directory.
    public var basePath: String
    /// The binary: `terraform`, `tofu`, or a path.
    public var command: String
    /// False ⇒ the workspace is always `default`.
    public var workspacesEnabled: Bool
    public var autoGenerateBackendFile: Bool
    public var initRunReconfigure: Bool
    public var deployRunInit: Bool
    public var applyAutoApprove: Bool
    public var initPassVars: Bool
    public var planSkipPlanfile: Bool
    /// Replaces `/` in automatic `workspace_key_prefix` / `prefix` / azurerm key (default `-`).
    public var prefixSeparator: String
    public var appendUserAgent: String?
    /// Shared provider plugin cache directory; nil disables it.
    public var pluginCacheDir: String?
}

/// The effective configuration: file, then environment, then flags.
public struct KitConfig: Sendable {
    /// The config file used, or nil when built-in defaults apply.
    public var configFile: String?
    /// Absolute repository root (`base_path`).
    public var basePath: String
    /// `base_path` as given (flag, environment or file, e.g. `./`); "" when none is, `.` with no
    /// configuration file (atmos's built-in default). What describe config prints as `base_path`.
    public var basePathSetting: String = ""
    /// Absolute stacks directory.
    public var stacksBasePath: String
    public var includedPaths: [String]
    public var excludedPaths: [String]
    public var namePattern: String
    public var nameTemplate: String
    public var inheritMetadata: Bool
    public var terraform: TerraformSettings
    public var listMergeStrategy: ListMergeStrategy
    public var templatesEnabled: Bool
    public var ignoreMissingTemplateValues: Bool
    /// Global `env:` — the lowest layer of every component's env.
    public var env: [String: Value]
    /// The raw `plugins:` section (paths, pins, isolated).
    public var plugins: Value
    /// Where kit keeps its own state (init fingerprints, local state, run records): `<base>/.kit`.
    public var stateDirectory: String
    /// Warnings found while loading (e.g. atmos.yaml keys that default differently than the docs say).
    public var warnings: [Diagnostic]
    /// Bounds on manifests and on the walk of the stacks directory (`stacks.limits`).
    public var limits: InputLimits = .standard
    /// Absolute paths outside the repository that the stacks directory, its links and `!include` may
    /// reach (`stacks.allowed_external_paths`); everything else outside the repository is refused.
    public var allowedExternalPaths: [String] = []
    /// True when `KIT_NO_PLUGINS=1`.
    public var pluginsDisabled: Bool = false
    /// `schemas.jsonschema.base_path` (absolute; "" when unset): where `settings.validation` JSON Schemas live.
    public var jsonSchemaBasePath: String = ""
    /// `schemas.opa.base_path` (absolute; "" when unset): where OPA policies live (reported, not evaluated).
    public var opaBasePath: String = ""
    /// `templates.settings.gomplate.enabled`: the Gomplate namespaces kit supports are available in templates.
    public var gomplateEnabled: Bool = false
    /// The configuration file's contents as read (for `kit describe config`).
    public var rawConfiguration: Value = .emptyMap
    /// atmos's `stores:` (`!store`, `!store.get`, the `store` hook).
    public var stores: [String: StoreConfiguration] = [:]
    /// How far the repository is trusted (`--untrusted`, `KIT_UNTRUSTED=1`); see `TrustPolicy`.
    public var trust: TrustPolicy = .trusted

    /// Checks `stacks.name_pattern` where stack names come from it (no `name_template`): a token kit
    /// does not know is an error naming the configuration file. Called when stack names are needed
    /// (the catalog), not at load, so commands that name no stack (`describe config`, `version`) work
    /// with such a pattern, as in atmos.
    public func checkStackNaming() throws {
        guard nameTemplate.isEmpty else { return }
        try ConfigValidation.checkNamePattern(namePattern, source: configFile ?? "built-in defaults")
    }
}

/// Overrides from the command line (highest precedence).
public struct ConfigOverrides: Sendable {
    public var configFiles: [String] = []
    public var configDirs: [String] = []
    public var basePath: String?
    public var stacksDir: String?
    public var terraformDir: String?
    public var terraformCommand: String?
    /// `components.terraform` settings given on the command line (atmos's terraform flags).
    public var terraformSettings = TerraformSettingOverrides()
    public init() {}
}

/// atmos's `terraform` flags that override `components.terraform` settings for one run:
/// `--auto-generate-backend-file`, `--init-run-reconfigure`, `--deploy-run-init`, `--init-pass-vars`
/// (each `--flag`, `--flag=true` or `--flag=false`).
public struct TerraformSettingOverrides: Sendable, Equatable {
    public var autoGenerateBackendFile: Bool?
    public var initRunReconfigure: Bool?
    public var deployRunInit: Bool?
    public var initPassVars: Bool?
    public init() {}
}

/// Errors in kit.yaml / atmos.yaml or their overrides.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformed(SourceLocation, message: String)
    case invalidValue(key: String, value: String, expected: String, source: String)
    case missing(key: String, file: String)
    case invalidType(key: String, expected: String, found: String, source: String)
    case unknownKey(key: String, suggestion: String?, source: String)
    case unknownNameToken(token: String, pattern: String, suggestion: String?, source: String)
    case noConfigAt(variable: String, value: String)
    /// A `plugins:` setting kit cannot use (the plugin settings' own message).
    case invalidPlugins(PluginConfigurationError, source: String)

    public var description: String { (place.map { "\(UserText.escaped($0)): " } ?? "") + message }

    /// The file (or `environment`) the text starts with; nil when it names none.
    public var place: String? {
        switch self {
        case .unreadable(let f, _), .missing(_, let f): return f
        case .malformed(let loc, _): return loc.description
        case .invalidValue(_, _, _, let s), .invalidType(_, _, _, let s), .unknownKey(_, _, let s), .unknownNameToken(_, _, _, let s),
             .invalidPlugins(_, let s):
            return s
        case .noConfigAt: return nil
        }
    }

    /// The text after the place.
    public var message: String {
        switch self {
        case .unreadable(_, let r): return "cannot read the configuration: \(r)"
        case .malformed(_, let m): return "malformed configuration: \(UserText.line(m))"
        case .invalidValue(let k, let v, let e, _): return "'\(k)' is \(UserText.quoted(v)), expected \(e)"
        case .missing(let k, _): return "'\(k)' must be set — add it to the configuration"
        case .invalidType(let k, let e, let found, _):
            return "'\(k)' must be \(e), found a \(found) — fix it in the configuration"
        case .unknownKey(let k, let suggestion, _):
            let hint = suggestion.map { " — did you mean '\($0)'?" } ?? " — remove it, or check its spelling against docs/hostile-input.md and the atmos.yaml reference"
            return "unknown configuration key \(UserText.quoted(k))\(hint)"
        case .unknownNameToken(let token, let pattern, let suggestion, _):
            let hint = suggestion.map { " — did you mean '{\($0)}'?" } ?? " — use {namespace}, {tenant}, {environment} or {stage}"
            return "stacks.name_pattern \(UserText.quoted(pattern)) has an unknown token \(UserText.quoted("{" + token + "}"))\(hint)"
        case .noConfigAt(let variable, let value):
            return "\(variable) is \(UserText.quoted(value)), but there is no kit.yaml or atmos.yaml there — point it at the folder holding the configuration, or unset it"
        case .invalidPlugins(let error, _):
            return error.description
        }
    }
}
