import KitCore

/// Loads plugins for terraform runs.
enum PluginHookSetup {
    /// Hooks backed by every plugin kit finds; registry warnings go to the context's diagnostics sink.
    static func hooks(_ context: CLIContext, config: KitConfig) throws -> PluginHooks {
        PluginHooks(registry: try registry(config: config, diagnostics: context.diagnostics), environment: CLIContext.environment)
    }

    /// Every plugin kit finds for `config`; registry warnings go to `diagnostics`.
    static func registry(config: KitConfig, diagnostics: Diagnostics) throws -> PluginRegistry {
        let settings = try PluginConfiguration.settings(from: config.plugins, environment: CLIContext.environment)
        let registry = try PluginRegistry.load(settings: settings, basePath: config.basePath, environment: CLIContext.environment,
                                               log: pluginLog(diagnostics), trust: config.trust)
        for w in registry.warnings { diagnostics.emit(w) }
        return registry
    }

    /// Shows a plugin's log line through kit's diagnostics, named after the plugin: `warning` and
    /// `error` lines (and stderr) as warnings, others as notes; `debug` only with `KIT_PLUGIN_DEBUG`.
    /// In an estate run the line goes to the log of the component whose job made the call
    /// (`PluginLogRoute`), so it carries that component's `[<stack>/<component>]` prefix.
    static func pluginLog(_ diagnostics: Diagnostics) -> @Sendable (PluginLogLine) -> Void {
        { line in
            let diagnostic: Diagnostic
            switch line.level {
            case "warning", "warn", "error": diagnostic = Diagnostic(.warning, line.text)
            case "debug", "trace":
                guard CLIContext.environment["KIT_PLUGIN_DEBUG"] != nil else { return }
                diagnostic = Diagnostic(.note, line.text)
            default: diagnostic = Diagnostic(.note, line.text)
            }
            if let route = PluginLogRoute.current { route(diagnostic) } else { diagnostics.emit(diagnostic) }
        }
    }
}
