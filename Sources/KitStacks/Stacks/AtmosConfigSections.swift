import KitModel
/// The parts of `atmos.yaml` (or `kit.yaml`) that atmos merges into every component (issue 21):
///
/// - `integrations.github` → the component's `settings.integrations.github` (atmos.yaml lowest, the
///   stacks' value over it), for every component type, as atmos's `processSettingsIntegrationsGithub`.
/// - `auth` (providers, identities, keyring, logs, …) → the component's `auth` (atmos.yaml lowest),
///   for terraform components, as atmos's `processAuthConfig`; only when `auth` configures
///   `providers` or `identities` (atmos merges nothing otherwise). atmos re-serialises the section
///   through its schema, which adds `keyring: {}` and `logs: {file: "", level: ""}` when they are
///   absent; kit adds the same two defaults. atmos's computed `realm` (a hash of the configuration
///   path) is not added.
enum AtmosConfigSections {
    /// `settings` with `integrations.github` of the configuration merged under the stacks' own.
    static func mergingGithubIntegration(into settings: [String: Value], config: KitConfig,
                                         strategy: ListMergeStrategy) -> [String: Value] {
        guard let global = config.rawConfiguration.value(at: ["integrations", "github"])?.mapValue, !global.isEmpty else {
            return settings
        }
        var integrations = settings["integrations"]?.mapValue ?? [:]
        let own = integrations["github"]?.mapValue ?? [:]
        integrations["github"] = .map(DeepMerge.merge([global, own], strategy: strategy))
        var out = settings
        out["integrations"] = .map(integrations)
        return out
    }

    /// A terraform component's `auth` with the configuration's `auth` merged under it.
    static func mergingGlobalAuth(into auth: [String: Value], config: KitConfig, strategy: ListMergeStrategy) -> [String: Value] {
        guard let global = config.rawConfiguration["auth"]?.mapValue,
              global["providers"] != nil || global["identities"] != nil else { return auth }
        let defaults: [String: Value] = [
            "keyring": .emptyMap,
            "logs": .map(["file": .string(""), "level": .string("")]),
        ]
        return DeepMerge.merge([defaults, global, auth], strategy: strategy)
    }

    /// The component's `source` section (`{type, uri, version, ttl, …}`): the type-level `source`
    /// under the component's own, for the types atmos keeps it for (not ansible).
    static func source(typeLevel: [String: Value], own: [String: Value], componentType: String,
                       strategy: ListMergeStrategy) -> [String: Value] {
        guard keepsSourceAndProvision(componentType) else { return [:] }
        return DeepMerge.merge([typeLevel, own], strategy: strategy)
    }

    /// The types atmos keeps `source` and `provision` for (atmos's `supportsSourceProvision`).
    public static func keepsSourceAndProvision(_ componentType: String) -> Bool {
        ["terraform", "helmfile", "packer", "kubernetes", "helm"].contains(componentType)
    }

    /// The track and lock file of `!version` (atmos's `EffectiveTrackFromStack` and `LockFilePath`).
    static func versionLock(stackTrack: String, config: KitConfig) -> (track: String, file: String) {
        let configured = config.rawConfiguration.value(at: ["version", "track"])?.stringValue ?? ""
        let track = !stackTrack.isEmpty ? stackTrack : (!configured.isEmpty ? configured : "default")
        let lockFile = config.rawConfiguration.value(at: ["version", "lock_file"])?.stringValue ?? ""
        let name = lockFile.isEmpty ? "versions.lock.yaml" : lockFile
        return (track, name.hasPrefix("/") ? name : Paths.join(config.basePath, name))
    }
}
