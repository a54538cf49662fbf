import KitCore

/// Loads plugins for terraform runs.
enum PluginHookSetup {
    /// Hooks backed by every plugin kit finds; registry warnings go to the diagnostics sink.
    static func hooks(global: GlobalOptions, config: KitConfig) throws -> PluginHooks {
        let settings = PluginConfiguration.settings(from: config.plugins, environment: CLIContext.environment)
        let registry = try PluginRegistry.load(settings: settings, basePath: config.basePath, environment: CLIContext.environment)
        for w in registry.warnings { Diagnostics.shared.warning(w) }
        return PluginHooks(registry: registry, environment: CLIContext.environment)
    }
}
