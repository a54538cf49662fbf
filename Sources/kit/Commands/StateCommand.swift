import ArgumentParser
import KitCore

/// `kit state recover <component> -s <stack>`: the local state guard's restore, by hand.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Look after the local state kit keeps for components.",
        subcommands: [StateRecoverCommand.self])
}

/// Restores the local state of one component from kit's verified copy (docs/runs.md, "Local state").
struct StateRecoverCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Restore a component's local state from the copy kit kept before its last run that could write it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component name.") var component: String
    @Option(name: [.short, .customLong("stack")], help: "The stack name.") var stack: String
    @Flag(help: "Replace a state that is valid JSON too (rolls it back to the copy).") var force = false

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let session = try context.session()
            let catalog = try session.catalog()
            let c = try session.pipeline().evaluated(catalog.find(component: component, stack: stack)).component
            guard let guardian = LocalStateGuard(c, config: session.config) else {
                throw ValidationError("component '\(component)' in stack '\(stack)' does not use the local backend; kit keeps no copy of its state")
            }
            diagnostics.note(try guardian.recover(force: force))
        }
    }
}
