import ArgumentParser
import KitCore

extension PluginCommand {
    /// `kit plugin version`: the Swift toolchain, plugin ABI and SDK version this kit speaks.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "version", abstract: "Show the Swift toolchain, plugin ABI and SDK version of this kit.")

        @Option(help: "Output format: text or json.")
        var format: PluginOutputFormat = .text

        func run() throws {
            switch format {
            case .text: print(BuildInfo.text, terminator: "")
            case .json: print(BuildInfo.json.serialized(pretty: true), terminator: "")
            }
        }
    }
}
