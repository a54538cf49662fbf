import ArgumentParser
import KitCore

/// `kit version`: kit's version, the plugin ABI and the Swift version (also `kit --version`).
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print kit's version, plugin ABI and Swift version.")

    func run() throws {
        Output.write(KitVersion.text)
    }
}
