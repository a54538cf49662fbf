import ArgumentParser
import KitCore

/// `kit describe config`: the effective configuration (after discovery, environment and flags).
struct DescribeConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration kit uses (atmos.yaml or kit.yaml, environment, flags).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "yaml or json.") var format: OutputFormat = .yaml
    @Option(help: "Print only what this expression selects (see docs/query.md), e.g. '.stacks.name_pattern'.") var query: String?

    func run() throws {
        let expression = try QueryOption.parse(query)
        try CLIContext.run {
            let config = try CLIContext.config(global)
            var doc = ConfigDocument.document(config)
            if let expression { doc = try expression.evaluate(doc) }
            Output.write(format.render(doc))
        }
    }
}
