import ArgumentParser
import KitCore

/// `kit describe dependents <component> -s <stack> [--all-levels]`.
struct DescribeDependentsCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "dependents",
        abstract: "List the components that depend on a component (from dependencies, settings.depends_on and !terraform.* references).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(name: [.short, .customLong("stack")], help: "The stack.") var stack: String
    @Flag(help: "Every level of dependents, not only the direct ones.") var allLevels = false
    @Option(help: "json or yaml.") var format: OutputFormat = .json

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            let found = try catalog.find(component: component, stack: stack)
            let graph = try catalog.dependencyGraph()
            let id = InstanceID(stack: found.stackName, component: found.name)
            Output.write(format.render(GraphDocument.dependents(of: id, in: graph, allLevels: allLevels)))
        }
    }
}

/// `--format` for `kit list dependencies`.
enum GraphFormat: String, ExpressibleByArgument, CaseIterable { case plain, json, yaml, dot }

/// `kit list dependencies [-s <stack>] [--format plain|json|yaml|dot]`.
struct ListDependenciesCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "dependencies",
        abstract: "Show the dependency graph of a stack (or of every stack): waves and edges.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("stack")], help: "Only this stack's components (and the edges they have).") var stack: String?
    @Option(help: "plain, json, yaml or dot.") var format: GraphFormat = .plain

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            let graph = try catalog.dependencyGraph()
            var flags = TerraformInvocation.EstateFlags()
            flags.all = true
            let nodes = try EstateSelection.select(graph, stack: stack, flags: flags)
            switch format {
            case .plain: Output.write(GraphDocument.text(graph, nodes: nodes))
            case .dot: Output.write(GraphDocument.dot(graph, nodes: nodes))
            case .json: Output.write(OutputFormat.json.render(GraphDocument.value(graph, nodes: nodes)))
            case .yaml: Output.write(OutputFormat.yaml.render(GraphDocument.value(graph, nodes: nodes)))
            }
        }
    }
}
