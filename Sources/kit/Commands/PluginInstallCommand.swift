import ArgumentParser
import Foundation
import KitCore
import KitPluginSDK

extension PluginCommand {
    /// `kit plugin install PATH`: copies a plugin into a plugin directory and records its sha256.
    struct Install: ReportingCommand {
        static let configuration = CommandConfiguration(commandName: "install",
            abstract: "Install a plugin from a '.so', a directory or a '.tar.gz' archive.",
            discussion: """
            The plugin is checked and described in a kit-plugin-host process (never loaded into kit), \
            copied into the plugin directory (--dir, else the first 'plugins.paths' entry, else \
            ~/.kit/plugins) and recorded with its sha256 in that directory's 'plugins.lock', which kit \
            verifies every time it loads the plugin.
            """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A 'lib<Name>.so', a directory holding one, or a '.tar.gz'/'.tgz'/'.tar' archive holding one.")
        var source: String

        @Option(help: "Refuse the plugin unless its own version is this one.")
        var version: String?

        @Option(help: "The plugin directory to install into.")
        var dir: String?

        func run(_ diagnostics: Diagnostics) throws {
            let context = CLIContext(global, diagnostics)
            try context.run {
                try context.refuseUntrusted("'kit plugin install' loads or installs a plugin file")
                let (settings, basePath) = try context.pluginSettings()
                let environment = ProcessInfo.processInfo.environment
                let installer = PluginInstaller(hostExecutable: PluginSearchPath.runningExecutable().map {
                    URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("kit-plugin-host").path
                }, environment: environment)
                let target = dir.map { Paths.join(Paths.currentDirectory(), $0) }
                    ?? PluginInstaller.defaultDirectory(settings: settings, basePath: basePath, environment: environment)
                let installed = try installer.install(source: source, into: target, expectedVersion: version)
                print("installed plugin '\(installed.name)' \(installed.entry.version) into '\(target)/\(installed.entry.file)' (sha256 \(installed.entry.sha256))")
            }
        }
    }

    /// `kit plugin remove NAME`: deletes a plugin `kit plugin install` put in place, and its lock entry.
    struct Remove: ReportingCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a plugin installed with 'kit plugin install'.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The plugin name, e.g. 'gcp'.")
        var name: String

        @Option(help: "The plugin directory (default: every directory kit searches).")
        var dir: String?

        func run(_ diagnostics: Diagnostics) throws {
            let context = CLIContext(global, diagnostics)
            try context.run {
                let (settings, basePath) = try context.pluginSettings()
                let directories = dir.map { [Paths.join(Paths.currentDirectory(), $0)] }
                    ?? PluginSearchPath(settings: settings, basePath: basePath, environment: ProcessInfo.processInfo.environment,
                                        executablePath: PluginSearchPath.runningExecutable()).directories
                let removed = try PluginInstaller.remove(name: name, from: directories)
                print("removed plugin '\(name)' ('\(removed)')")
            }
        }
    }
}
