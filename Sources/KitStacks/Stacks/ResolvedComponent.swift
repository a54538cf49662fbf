import KitModel
/// One component in one stack, fully resolved: every section merged, inheritance applied, the stack
/// name, workspace, backend and terraform folder computed.
public struct ResolvedComponent: Sendable {
    /// The component's name in the stack (`atmos_component`).
    public var name: String
    /// The stack file, relative to the stacks directory, with its extension.
    public var stackFile: String
    /// The stack file id (relative path without `.yaml`), `atmos_stack_file`.
    public var stackFileID: String
    /// The canonical stack name (reference §6.1).
    public var stackName: String
    /// `component` in the describe document: the base component name (reference §5.3).
    public var baseComponentName: String
    /// The terraform folder, relative to the terraform base path.
    public var folder: String
    public var vars: [String: Value]
    public var settings: [String: Value]
    public var env: [String: Value]
    public var metadata: [String: Value]
    public var providers: [String: Value]
    public var overrides: [String: Value]
    public var hooks: [String: Value]
    public var generate: [String: Value]
    public var auth: [String: Value]
    public var dependencies: [String: Value]
    public var command: String
    public var backendType: String
    public var backend: [String: Value]
    public var remoteStateBackendType: String
    public var remoteStateBackend: [String: Value]
    public var requiredVersion: String?
    public var requiredProviders: [String: Value]
    /// Base components in reverse completion order (reference §5.2).
    public var inheritance: [String]
    public var workspace: String
    /// Transitive imports of the stack file (sorted ids).
    public var imports: [String]
    /// Files contributing to the stack, in merge order (relative paths).
    public var layers: [String]
    /// The list merge strategy in force for this component.
    public var listMergeStrategy: ListMergeStrategy
    /// `terraform`, `helmfile` or `packer` (kit runs terraform only; the others are described and listed).
    public var componentType: String = "terraform"
    /// True when no source of this component's values could spell a YAML function (the resolver
    /// proved it from the stack's files and the configuration, `FunctionText`): the function phase has
    /// nothing to do. False (look) unless proved.
    var cannotHoldFunctionText = false
    /// The folder of this component type's components, relative to the repository root as configured
    /// (`components/terraform`, `../../components/terraform`): `component_info.component_path` is this
    /// joined with `folder`.
    public var componentsBasePath: String = ""
    /// The `provision` section (atmos's work-directory provisioning settings): kept and printed, not acted on.
    public var provision: [String: Value] = [:]
    /// The `source` section (`{type, uri, version, ttl}`) where the component has one (atmos's vendoring source).
    public var source: [String: Value] = [:]
    /// atmos's `secrets:` section (`secrets.vars.<name>`: declarations `!secret` reads).
    public var secrets: [String: Value] = [:]
    /// Dotted paths (`vars.db.password`) whose value came from `!secret`: masked in every output,
    /// and their top-level vars go to terraform as `TF_VAR_<name>`, never into the varfile.
    public var secretPaths: Set<String> = []
    /// The top-level vars holding a `!secret` value.
    public var secretVars: Set<String> {
        Set(secretPaths.compactMap { p in p.hasPrefix("vars.") ? p.dropFirst(5).split(separator: ".").first.map(String.init) : nil })
    }
    /// The version track `!version` reads: the stack's `version.track`, else the configuration's, else `default`.
    public var versionTrack: String = "default"
    /// The versions lock file `!version` reads (absolute): the configuration's `version.lock_file`, else
    /// `versions.lock.yaml` in the base path.
    public var versionLockFile: String = ""
    /// atmos's `spacelift_stack`, where `settings.spacelift.workspace_enabled` (see `IntegrationNames`).
    public var spaceliftStack: String? = nil
    /// atmos's `atlantis_project`, where `settings.atlantis` names a project template.
    public var atlantisProject: String? = nil
    /// How templates render the integration values this component does not have.
    package var integrationAbsentKeys: [String: TemplateOptions.AbsentKey] = [:]
    /// The components its templates read with `atmos.Component` (dependencies of this one).
    public var templateReads: [InstanceID] = []
    /// Where each deferred template (`DeferredTemplate`) was written, by value path (`vars.a.b`, `vars.list[0]`).
    public var deferredTemplateLocations: [String: SourceLocation] = [:]

    /// `metadata.type: abstract`.
    public var isAbstract: Bool { metadata["type"]?.stringValue == "abstract" }
    /// `metadata.enabled` (default true).
    public var isEnabled: Bool { metadata["enabled"]?.boolValue ?? true }
    /// `metadata.locked` (default false).
    public var isLocked: Bool { metadata["locked"]?.boolValue ?? false }
    /// The folder when it differs from the component name, else "" (atmos `BaseComponentPath`).
    public var baseComponentPath: String { folder == name ? "" : folder }
}
