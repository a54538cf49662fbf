import Synchronization
import ArgumentParser
import Foundation
import KitCore
import KitModel

/// Builds the kernel's inputs from the command line and the process environment: one command's
/// global options and the process's diagnostics sink, which `Kit.main` creates once and every
/// command reports through (warnings, notes and the error it stops on).
struct CLIContext: Sendable {
    var global: GlobalSettings
    let diagnostics: Diagnostics
    /// `components.terraform` settings a terraform command's flags override (`--init-pass-vars`, …).
    var terraformSettings = TerraformSettingOverrides()

    init(_ global: GlobalOptions, _ diagnostics: Diagnostics) {
        self.init(global.settings, diagnostics)
    }

    init(_ global: GlobalSettings, _ diagnostics: Diagnostics) {
        self.global = global
        self.diagnostics = diagnostics
    }

    /// The process environment, read once (after `--chdir` set `PWD`; kit never changes it afterwards).
    static let environment: [String: String] = ProcessEnvironment.current()

    /// Configuration overrides from the global options.
    static func overrides(_ global: GlobalSettings) -> ConfigOverrides {
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
    func config(baseRef: String? = nil) throws -> KitConfig {
        let loader = ConfigLoader(environment: Self.environment, workingDirectory: Paths.currentDirectory(), trust: try trust())
        var overrides = Self.overrides(global)
        overrides.terraformSettings = terraformSettings
        var config = try loader.load(overrides)
        if let baseRef {
            config = try BaseRefConfiguration.apply(to: config, ref: baseRef, loader: loader, overrides: overrides)
        }
        for w in config.warnings { diagnostics.emit(w) }
        return config
    }

    /// Refuses a command that loads a plugin file it is given, in untrusted mode.
    func refuseUntrusted(_ what: String) throws {
        try trust().refuse(.installedPlugins, what)
    }

    /// `--untrusted` or `KIT_UNTRUSTED`.
    func trust() throws -> TrustPolicy {
        try TrustPolicy.from(flag: global.untrusted, environment: Self.environment)
    }

    /// The session: the one composition root of a command (configuration, environment, working
    /// directory, diagnostics sink, templates, functions, catalog, plugin hooks, process runner).
    func session(baseRef: String? = nil) throws -> KitSession {
        let config = try config(baseRef: baseRef)
        let hooks: TerraformHooks = config.pluginsDisabled
            ? PluginsOffHooks() : LazyPluginHooks { [self] in try PluginHookSetup.hooks(self, config: config) }
        return KitSession(config: config, environment: Self.environment, workingDirectory: Paths.currentDirectory(),
                          diagnostics: diagnostics, hooks: hooks)
    }

    /// The stack catalog for the repository (the session's).
    func catalog() throws -> StackCatalog {
        try session().catalog()
    }

    /// Plugin settings from kit.yaml's `plugins:` section, and the repository base path.
    func pluginSettings() throws -> (PluginSettings, basePath: String) {
        let config = try config()
        return (try PluginConfiguration.settings(from: config.plugins, environment: Self.environment), config.basePath)
    }

    /// Runs a command body: kernel errors are printed once through the diagnostics sink and become
    /// exit code 1; `ExitCode`s pass through. Prints `kit-stats:` when `KIT_STATS` is set.
    func run(_ body: () throws -> Void) throws {
        try Self.run(diagnostics, body)
    }

    /// `run` for a command without the global options (`kit fuzz`).
    static func run(_ diagnostics: Diagnostics, _ body: () throws -> Void) throws {
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
            diagnostics.error(e.message)
            throw ExitCode(64)
        } catch {
            diagnostics.error(error)
            throw ExitCode(1)
        }
    }
}

/// A command that reports through the process's diagnostics sink: `Kit.main` creates the sink once,
/// before parsing, and runs the command with it.
protocol ReportingCommand: ParsableCommand {
    func run(_ diagnostics: Diagnostics) throws
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
                + " base_chains_reused=\(c.sharedBaseChains.reused.withLock { $0 })"
        }
        line += " command_ms=\(String(format: "%.1f", ms))"
        FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
    }
}
