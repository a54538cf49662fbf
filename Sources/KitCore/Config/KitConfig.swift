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
    public var warnings: [String]
}

/// Overrides from the command line (highest precedence).
public struct ConfigOverrides: Sendable {
    public var configFiles: [String] = []
    public var configDirs: [String] = []
    public var basePath: String?
    public var stacksDir: String?
    public var terraformDir: String?
    public var terraformCommand: String?
    public init() {}
}

/// Errors in kit.yaml / atmos.yaml or their overrides.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformed(SourceLocation, message: String)
    case invalidValue(key: String, value: String, expected: String, source: String)
    case missing(key: String, file: String)

    public var description: String {
        switch self {
        case .unreadable(let f, let r): return "\(f): cannot read the configuration: \(r)"
        case .malformed(let loc, let m): return "\(loc): malformed configuration: \(m)"
        case .invalidValue(let k, let v, let e, let s): return "\(s): '\(k)' is '\(v)', expected \(e)"
        case .missing(let k, let f): return "\(f): '\(k)' must be set — add it to the configuration"
        }
    }
}
