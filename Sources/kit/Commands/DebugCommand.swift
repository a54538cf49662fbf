import ArgumentParser
import Foundation
import KitCore

/// `kit debug …`: tools for measuring kit itself (hidden).
struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Tools for measuring kit.", shouldDisplay: false,
        subcommands: [ParseFloorCommand.self, FuzzCommand.self])
}

/// `kit debug parse-floor`: parses every manifest below the stacks directory once with libyaml.
struct ParseFloorCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "parse-floor", abstract: "Parse every manifest once (benchmark floor).")

    @OptionGroup var global: GlobalOptions

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            Statistics.catalog = catalog
            let (files, bytes) = try catalog.parseEverything()
            Output.write("parsed \(files) files, \(bytes) bytes\n")
        }
    }
}
