import ArgumentParser
import KitCore

/// `kit describe config`: the effective configuration (after discovery, environment and flags).
struct DescribeConfigCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration kit uses (atmos.yaml or kit.yaml, environment, flags).")

    @OptionGroup var global: GlobalOptions
    /// JSON by default, as atmos prints its configuration (scripts written for `atmos describe config` parse JSON).
    @Option(name: [.short, .long], help: "json (the default, as atmos) or yaml.") var format: OutputFormat = .json
    @Option(help: "Print only what this expression selects (see docs/query.md), e.g. '.stacks.name_pattern'.") var query: String?

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        let expression = try QueryOption.parse(query, diagnostics)
        try context.run {
            let config = try context.config()
            var doc = ConfigDocument.document(config, encoding: format.atmosEncoding)
            if let expression { doc = try expression.evaluate(doc) }
            Output.write(format.render(doc))
        }
    }
}
