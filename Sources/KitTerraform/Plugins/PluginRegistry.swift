import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// The plugins kit found and loaded for this run, and which of them answer for a component.
public final class PluginRegistry: Sendable {
    /// Every loaded plugin, in search order (first found wins on a name clash).
    public let plugins: [LoadedPlugin]
    /// Non-fatal problems, e.g. two files claiming the same plugin name.
    public let warnings: [Diagnostic]
    /// The directories kit searched, in order.
    public let searchedDirectories: [String]

    init(plugins: [LoadedPlugin], warnings: [Diagnostic], searchedDirectories: [String]) {
        self.plugins = plugins
        self.warnings = warnings
        self.searchedDirectories = searchedDirectories
    }

    /// Finds, checks and loads every plugin in the configured places (see `PluginSearchPath`).
    ///
    /// A file that fails a check is an error (`PluginLoadError`), not a silent skip.
    /// - Parameters:
    ///   - settings: the `plugins:` block of kit.yaml.
    ///   - basePath: the repository root; relative `settings.paths` are resolved against it.
    ///   - environment: the process environment (`KIT_PLUGIN_PATH`, `HOME`).
    ///   - executablePath: the running kit binary; nil means `/proc/self/exe`. Tests pass their own.
    ///   - hostExecutable: `kit-plugin-host` for isolated mode; nil means next to `executablePath`.
    ///   - log: receives every plugin's log events and stdout/stderr lines, attributed to it.
    public static func load(settings: PluginSettings, basePath: String, environment: [String: String],
                            executablePath: String? = nil, hostExecutable: String? = nil,
                            log: ((PluginLogLine) -> Void)? = nil, trust: TrustPolicy = .trusted) throws -> PluginRegistry {
        let exe = executablePath ?? PluginSearchPath.runningExecutable()
        let search = PluginSearchPath(settings: settings, basePath: basePath, environment: environment, executablePath: exe)
        var loaded: [LoadedPlugin] = []
        var warnings: [Diagnostic] = []
        var byName: [String: LoadedPlugin] = [:]
        for file in search.candidateFiles() {
            let display = displayPath(file, basePath: basePath)
            if trust.untrusted { try UntrustedPlugins.check(file, display: display, basePath: basePath, executablePath: exe, settings: settings) }
            let plugin = try loadOne(path: file, displayPath: display, settings: settings,
                                     hostExecutable: hostExecutable ?? exe.map { PluginFileCheck.directory(of: $0) + "/kit-plugin-host" },
                                     firstParty: isFirstParty(path: file, executablePath: exe), log: log)
            if let first = byName[plugin.name] {
                warnings.append(Diagnostic(.warning, "plugin '\(plugin.name)' is provided by both '\(first.displayPath)' and '\(plugin.displayPath)'; using '\(first.displayPath)' (the first found)"))
                continue
            }
            byName[plugin.name] = plugin
            loaded.append(plugin)
        }
        return PluginRegistry(plugins: loaded, warnings: warnings, searchedDirectories: search.directories)
    }

    /// Loads one plugin file with every check, in-process or isolated per `settings.isolation`.
    ///
    /// The directory's `plugins.lock` is checked first (a file it lists must still have the recorded
    /// sha256). A pin is looked up before `dlopen` by the file's likely names (`libKitAWS.so`, `KitAWS`,
    /// `aws`); if the loaded plugin's real name has a pin that was not checked yet, it is checked right after.
    public static func loadOne(path: String, displayPath: String, settings: PluginSettings,
                               hostExecutable: String?, firstParty: Bool = false,
                               log: ((PluginLogLine) -> Void)? = nil) throws -> LoadedPlugin {
        try PluginLockFile.verify(path: path, display: displayPath)
        let prePin = pin(forFile: path, pins: settings.pins)
        let plugin: LoadedPlugin
        let isolate: Bool
        switch settings.isolation {
        case .always: isolate = true
        case .never: isolate = false
        case .auto: isolate = !firstParty
        }
        if isolate {
            guard let host = hostExecutable, access(host, X_OK) == 0 else {
                throw PluginLoadError.hostNotFound(expected: hostExecutable ?? "kit-plugin-host")
            }
            try PluginFileCheck.checkPermissions(path: path, display: displayPath)
            _ = try PluginFileCheck.checkELF(path: path, display: displayPath)
            if let prePin { try PluginFileCheck.checkPin(path: path, display: displayPath, name: prePin.name, expected: prePin.sha256) }
            plugin = try LoadedPlugin(client: IsolatedPluginClient(path: path, displayPath: displayPath, hostExecutable: host,
                                                                   timeout: settings.timeout,
                                                                   spinMicroseconds: settings.spinMicroseconds),
                                      firstParty: firstParty, onLog: log)
        } else {
            plugin = try LoadedPlugin(library: PluginLibrary.open(path: path, displayPath: displayPath, pin: prePin),
                                      firstParty: firstParty, timeout: settings.timeout, onLog: log)
        }
        if prePin?.name != plugin.name, let expected = settings.pins[plugin.name] {
            try PluginFileCheck.checkPin(path: path, display: displayPath, name: plugin.name, expected: expected)
        }
        return plugin
    }

    /// The plugins that answer for a component: those whose `describe` lists `backendType`
    /// (`local` or empty → none), then those named in `requested` (`settings.kit.providers`), without repeats.
    /// Throws `PluginLoadError.unknownPlugin` for a requested name no plugin has.
    public func plugins(forBackendType backendType: String, requested: [String]) throws -> [LoadedPlugin] {
        var result: [LoadedPlugin] = []
        if !backendType.isEmpty && backendType != "local" {
            result = plugins.filter { $0.description.backendTypes.contains(backendType) }
        }
        for name in requested where !result.contains(where: { $0.name == name }) {
            guard let plugin = plugins.first(where: { $0.name == name }) else {
                throw PluginLoadError.unknownPlugin(name: name, found: plugins.map(\.name), searched: searchedDirectories)
            }
            result.append(plugin)
        }
        return result
    }

    /// The plugin named `name`, or nil.
    public func plugin(named name: String) -> LoadedPlugin? {
        plugins.first { $0.name == name }
    }

    /// The plugins shipped with kit: `libKitAWS.so` and `libKitAzure.so` in the kit binary's directory
    /// or in `<prefix>/lib/kit/plugins`. Only these run in kit's process under `isolated: auto`.
    public static let firstPartyFiles = ["libKitAWS.so", "libKitAzure.so"]

    /// True when `path` is a first-party plugin installed with the kit binary at `executablePath`.
    public static func isFirstParty(path: String, executablePath: String?) -> Bool {
        guard let exe = executablePath else { return false }
        let file = String(path.split(separator: "/").last ?? "")
        guard firstPartyFiles.contains(file) else { return false }
        let directory = Paths.normalize(PluginFileCheck.directory(of: path))
        let binDir = Paths.normalize(PluginFileCheck.directory(of: exe))
        let prefixDir = Paths.join(PluginFileCheck.directory(of: binDir), "lib/kit/plugins")
        return directory == binDir || directory == prefixDir
    }

    static func pin(forFile path: String, pins: [String: String]) -> (name: String, sha256: String)? {
        guard !pins.isEmpty else { return nil }
        let file = String(path.split(separator: "/").last ?? "")
        var stem = file
        if stem.hasPrefix("lib") { stem.removeFirst(3) }
        if stem.hasSuffix(".so") { stem.removeLast(3) }
        var short = stem.lowercased()
        if short.hasPrefix("kit") && short.count > 3 { short.removeFirst(3) }
        for key in [file, stem, short, path] {
            if let sha = pins[key] { return (key, sha) }
        }
        return nil
    }

    static func displayPath(_ path: String, basePath: String) -> String {
        let base = Paths.join(Paths.currentDirectory(), basePath)
        guard base != "/" else { return path }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
