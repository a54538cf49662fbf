import KitCore

/// Loads plugins for terraform runs.
enum PluginHookSetup {
    /// Hooks backed by every plugin kit finds; registry warnings go to the diagnostics sink.
    static func hooks(global: GlobalOptions, config: KitConfig) throws -> PluginHooks {
        let settings = try PluginConfiguration.settings(from: config.plugins, environment: CLIContext.environment)
        let registry = try PluginRegistry.load(settings: settings, basePath: config.basePath, environment: CLIContext.environment,
                                               log: pluginLog)
        for w in registry.warnings { Diagnostics.shared.emit(w) }
        return PluginHooks(registry: registry, environment: CLIContext.environment)
    }

    /// Shows a plugin's log line through kit's diagnostics, named after the plugin: `warning` and
    /// `error` lines (and stderr) as warnings, others as notes; `debug` only with `KIT_PLUGIN_DEBUG`.
    static func pluginLog(_ line: PluginLogLine) {
        switch line.level {
        case "warning", "warn", "error": Diagnostics.shared.warning(line.text)
        case "debug", "trace": if CLIContext.environment["KIT_PLUGIN_DEBUG"] != nil { Diagnostics.shared.note(line.text) }
        default: Diagnostics.shared.note(line.text)
        }
    }
}
