import ArgumentParser
import KitCore
import KitPluginSDK

extension PluginCommand {
    /// `kit plugin info NAME`: policies with default severity, settings schema, backend types.
    struct Info: ReportingCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show one plugin's policies, settings schema and backend types.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The plugin name, e.g. 'aws'.")
        var name: String

        @Option(help: "Output format: text or json.")
        var format: PluginOutputFormat = .text

        func run(_ diagnostics: Diagnostics) throws {
            let context = CLIContext(global, diagnostics)
            try context.run {
                let registry = try PluginCommand.loadRegistry(context)
                let plugin = try PluginCommand.plugin(named: name, in: registry)
                if format == .json {
                    print(PluginCommand.json(plugin, detailed: true).serialized(pretty: true), terminator: "")
                    return
                }
                let d = plugin.description
                var out = """
                name:          \(plugin.name)
                version:       \(plugin.version)
                path:          \(plugin.displayPath)
                abi:           1.\(plugin.abiMinor)
                sdk version:   \(plugin.sdkVersion.isEmpty ? "-" : plugin.sdkVersion)
                swift version: \(plugin.swiftVersion.isEmpty ? "-" : plugin.swiftVersion)
                backend types: \(d.backendTypes.isEmpty ? "-" : d.backendTypes.joined(separator: ", "))
                providers:     \(d.providers.isEmpty ? "-" : d.providers.joined(separator: ", "))

                """
                if d.policies.isEmpty {
                    out += "policies: none\n"
                } else {
                    out += "policies:\n"
                    var rows = [["  ID", "DEFAULT", "SUMMARY"]]
                    for p in d.policies { rows.append(["  " + p.id, p.defaultSeverity.rawValue, p.summary]) }
                    out += PluginCommand.table(rows)
                }
                out += "settings schema (settings.kit.\(plugin.name)):\n"
                out += d.settingsSchema.serialized(pretty: true)
                print(out, terminator: "")
            }
        }
    }
}
