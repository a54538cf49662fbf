import Synchronization
import ArgumentParser
import Foundation
import KitCore

/// Builds the kernel's inputs from the command line and the process environment.
enum CLIContext {
    /// The process environment.
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Configuration overrides from the global options.
    static func overrides(_ global: GlobalOptions) -> ConfigOverrides {
        var o = ConfigOverrides()
        o.configFiles = global.configFile
        o.configDirs = global.configPath
        o.basePath = global.basePath
        o.stacksDir = global.stacksDir
        o.terraformDir = global.terraformDir
        return o
    }

    /// The effective configuration; its warnings go to the diagnostics sink.
    /// With `baseRef` (`describe affected`, `--affected` runs), the security-relevant settings
    /// (plugin paths and pins, `stacks.allowed_external_paths`, the terraform command) are those of
    /// the configuration at that ref, not the work tree's (`BaseRefConfiguration`).
    static func config(_ global: GlobalOptions, baseRef: String? = nil) throws -> KitConfig {
        let loader = ConfigLoader(environment: environment, workingDirectory: Paths.currentDirectory(), trust: try trust(global))
        var config = try loader.load(overrides(global))
        if let baseRef {
            config = try BaseRefConfiguration.apply(to: config, ref: baseRef, loader: loader, overrides: overrides(global))
        }
        for w in config.warnings { Diagnostics.shared.emit(w) }
        return config
    }

    /// Refuses a command that loads a plugin file it is given, in untrusted mode.
    static func refuseUntrusted(_ global: GlobalOptions, _ what: String) throws {
        try trust(global).refuse(.installedPlugins, what)
    }

    /// `--untrusted` or `KIT_UNTRUSTED`.
    static func trust(_ global: GlobalOptions) throws -> TrustPolicy {
        try TrustPolicy.from(flag: global.untrusted, environment: environment)
    }

    /// The session: the one composition root of a command (configuration, environment, working
    /// directory, diagnostics sink, templates, functions, catalog, plugin hooks, process runner).
    static func session(_ global: GlobalOptions, baseRef: String? = nil) throws -> KitSession {
        let config = try config(global, baseRef: baseRef)
        let hooks: TerraformHooks = config.pluginsDisabled
            ? PluginsOffHooks() : LazyPluginHooks { [global] in try PluginHookSetup.hooks(global: global, config: config) }
        return KitSession(config: config, environment: environment, workingDirectory: Paths.currentDirectory(),
                          diagnostics: Diagnostics.shared, hooks: hooks)
    }

    /// The stack catalog for the repository (the session's).
    static func catalog(_ global: GlobalOptions) throws -> StackCatalog {
        try session(global).catalog()
    }

    /// Plugin settings from kit.yaml's `plugins:` section, and the repository base path.
    static func pluginSettings(_ global: GlobalOptions) throws -> (PluginSettings, basePath: String) {
        let config = try config(global)
        return (try PluginConfiguration.settings(from: config.plugins, environment: environment), config.basePath)
    }

    /// Runs a command body: kernel errors are printed once through the diagnostics sink and become
    /// exit code 1; `ExitCode`s pass through. Prints `kit-stats:` when `KIT_STATS` is set.
    static func run(_ body: () throws -> Void) throws {
        let start = DispatchTime.now()
        defer {
            if environment["KIT_STATS"] != nil { Statistics.print(since: start) }
        }
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch let e as TerraformInvocation.UsageError {
            Diagnostics.shared.error(e.message)
            throw ExitCode(64)
        } catch {
            Diagnostics.shared.error(error)
            throw ExitCode(1)
        }
    }
}

/// Counters printed with `KIT_STATS=1`, for the benchmark.
enum Statistics {
    /// The catalog of this run, for the `kit-stats:` line.
    static var catalog: StackCatalog? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
    private static let current = Mutex<StackCatalog?>(nil)

    static func print(since start: DispatchTime) {
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        var line = "kit-stats:"
        if let c = catalog {
            let s = c.store.statistics
            line += " manifests_parsed=\(s.parsed) bytes_parsed=\(s.bytes) top_level_files=\(c.topLevelFiles.count) files_indexed=\(c.index.files.count)"
        }
        line += " command_ms=\(String(format: "%.1f", ms))"
        FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
    }
}
