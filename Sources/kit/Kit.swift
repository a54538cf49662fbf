import ArgumentParser
import KitCore

/// The `kit` root command.
@main
struct Kit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kit",
        abstract: "Provision infrastructure from atmos-style YAML stacks with terraform.",
        subcommands: KitCommands.all
    )
}
