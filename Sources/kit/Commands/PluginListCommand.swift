import ArgumentParser
import KitCore
import KitPluginSDK

extension PluginCommand {
    /// `kit plugin list`: every plugin found, with version, ABI, backend types, providers, whether it
    /// runs isolated or in kit's process, where it came from (installed/first-party/found), how its
    /// file is verified (pinned/locked) and its path.
    struct List: ReportingCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the plugins kit finds and loads.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Output format: text or json.")
        var format: PluginOutputFormat = .text

        @Flag(help: "Load every plugin in a kit-plugin-host process.")
        var isolated = false

        func run(_ diagnostics: Diagnostics) throws {
            let context = CLIContext(global, diagnostics)
            try context.run {
                let registry = try PluginCommand.loadRegistry(context, isolated: isolated ? true : nil)
                switch format {
                case .json:
                    print(JSONValue.array(registry.plugins.map { PluginCommand.json($0, detailed: false) }).serialized(pretty: true), terminator: "")
                case .text:
                    if registry.plugins.isEmpty {
                        print("no plugins found; kit looked in:")
                        for dir in registry.searchedDirectories { print("  \(dir)") }
                        return
                    }
                    var rows = [["NAME", "VERSION", "ABI", "BACKENDS", "PROVIDERS", "MODE", "SOURCE", "PIN", "PATH"]]
                    for p in registry.plugins {
                        rows.append([p.name, p.version, "1.\(p.abiMinor)", p.description.backendTypes.joined(separator: ","),
                                     p.description.providers.joined(separator: ","), p.isolated ? "isolated" : "in-process",
                                     PluginCommand.source(p).kind, PluginCommand.pin(p), p.displayPath])
                    }
                    print(PluginCommand.table(rows), terminator: "")
                }
            }
        }
    }
}
