import ArgumentParser
import KitCore

/// `kit validate stacks|component`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests (and, with plugins, component guardrails) without running terraform.",
        subcommands: [ValidateStacksCommand.self] + ValidateCommandExtras.subcommands)
}

/// `kit validate stacks`: every manifest parses, imports resolve, every component resolves, and no
/// two manifests claim one stack name with different configuration.
struct ValidateStacksCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "stacks", abstract: "Validate every stack manifest.")

    @OptionGroup var global: GlobalOptions

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            Statistics.catalog = catalog
            let report = StackValidation.validate(catalog)
            for w in report.warnings { diagnostics.emit(w) }
            for p in report.problems { diagnostics.emit(p) }
            if !report.problems.isEmpty {
                diagnostics.note("\(report.problems.count) problem(s) in \(catalog.topLevelFiles.count) stack manifest(s)")
                throw ExitCode(1)
            }
            Output.write("validated \(report.manifests) manifests (\(catalog.topLevelFiles.count) stacks), \(report.components) component instances: no problems\n")
        }
    }
}
