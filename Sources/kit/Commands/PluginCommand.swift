import Synchronization
import ArgumentParser
import Foundation
import KitCore
import KitPluginSDK

/// `kit plugin`: list, inspect, scaffold and benchmark provider plugins.
struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "List, inspect, scaffold, install, test and remove provider plugins.",
        discussion: """
        kit looks for 'lib*.so' plugins in 'plugins.paths' (kit.yaml), KIT_PLUGIN_PATH, next to the kit \
        binary, <prefix>/lib/kit/plugins and ~/.kit/plugins. See docs/plugins.md.
        """,
        subcommands: [List.self, Info.self, New.self, Install.self, Remove.self, Test.self, Version.self, Bench.self]
    )
}

/// How `kit plugin list` and `kit plugin info` print.
enum PluginOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension PluginCommand {
    /// Loads the plugins for the current configuration and prints load warnings to stderr.
    static func loadRegistry(_ context: CLIContext, isolated: Bool? = nil) throws -> PluginRegistry {
        var (settings, basePath) = try context.pluginSettings()
        if let isolated { settings.isolated = isolated }
        pinnedNames = Set(settings.pins.keys)
        let registry = try PluginRegistry.load(settings: settings, basePath: basePath,
                                               environment: ProcessInfo.processInfo.environment,
                                               log: PluginHookSetup.pluginLog(context.diagnostics), trust: try context.trust())
        for warning in registry.warnings { context.diagnostics.emit(warning) }
        return registry
    }

    /// The plugin named `name`, or a usage error listing what was found and where kit looked.
    static func plugin(named name: String, in registry: PluginRegistry) throws -> LoadedPlugin {
        guard let plugin = registry.plugin(named: name) else {
            throw PluginLoadError.unknownPlugin(name: name, found: registry.plugins.map(\.name), searched: registry.searchedDirectories)
        }
        return plugin
    }

    /// Where a plugin came from: `installed` (listed in its directory's plugins.lock, with the source
    /// it was installed from), `first-party` (shipped with kit) or `found` (a file kit found).
    static func source(_ plugin: LoadedPlugin) -> (kind: String, from: String?) {
        let directory = URL(fileURLWithPath: plugin.path).deletingLastPathComponent().path
        let file = URL(fileURLWithPath: plugin.path).lastPathComponent
        if let lock = try? PluginLockFile.read(directory: directory), let (_, entry) = lock.entry(forFile: file) {
            return ("installed", entry.installedFrom)
        }
        return (plugin.firstParty ? "first-party" : "found", nil)
    }

    /// How a plugin's file is verified: `pinned` (kit.yaml pin), `locked` (plugins.lock) or `-`.
    static func pin(_ plugin: LoadedPlugin) -> String {
        if pinnedNames.contains(plugin.name) { return "pinned" }
        return source(plugin).kind == "installed" ? "locked" : "-"
    }

    /// Plugin names pinned in kit.yaml for this run (set by `loadRegistry`).
    static var pinnedNames: Set<String> {
        get { pinned.withLock { $0 } }
        set { pinned.withLock { $0 = newValue } }
    }
    private static let pinned = Mutex<Set<String>>([])

    /// Columns padded to the widest cell, two spaces apart, trailing spaces trimmed.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// The JSON form of one plugin for `--format json`.
    static func json(_ plugin: LoadedPlugin, detailed: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(plugin.name),
            "version": .string(plugin.version),
            "path": .string(plugin.displayPath),
            "abi": .string("1.\(plugin.abiMinor)"),
            "sdk_version": .string(plugin.sdkVersion),
            "swift_version": .string(plugin.swiftVersion),
            "backend_types": .array(plugin.description.backendTypes.map { .string($0) }),
            "providers": .array(plugin.description.providers.map { .string($0) }),
            "isolated": .bool(plugin.isolated),
            "source": .string(source(plugin).kind),
            "installed_from": source(plugin).from.map { .string($0) } ?? .null,
            "pin": .string(pin(plugin)),
        ]
        if detailed {
            o["policies"] = .array(plugin.description.policies.map(\.json))
            o["settings_schema"] = plugin.description.settingsSchema
        }
        return .object(o)
    }
}
