import Foundation
import ArgumentParser
import KitCore

/// `kit describe component|stacks`.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show what kit resolved.",
        subcommands: [DescribeComponentCommand.self, DescribeStacksCommand.self, DescribeDependentsCommand.self, DescribeAffectedCommand.self])
}

/// `kit describe component <component> -s <stack>`.
struct DescribeComponentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "component",
        abstract: "Print the resolved configuration of one component in one stack.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component name.") var component: String
    @Option(name: [.short, .customLong("stack")], help: "The stack name (or a stack file path).") var stack: String
    @Option(help: "yaml or json.") var format: OutputFormat = .yaml
    @Flag(help: "Add, for every value, the file:line:column that set it and the layers it overrode.") var provenance = false
    @Flag(help: "Print variables the root module declares 'sensitive = true' instead of '***'.") var showSecrets = false

    func run() throws {
        try CLIContext.run {
            let catalog = try CLIContext.catalog(global)
            Statistics.catalog = catalog
            let c = try catalog.find(component: component, stack: stack)
            var doc = ComponentDocument.full(c, catalog: catalog, stackArgument: stack, cliArgs: ["describe", "component"])
            let sensitive = showSecrets ? [] : SensitiveVariables().names(in: Paths.join(catalog.config.terraform.basePath, c.folder))
            doc["vars"] = .map(SecretMasking.vars(c.vars, sensitive: sensitive))
            if provenance {
                doc["provenance"] = SecretMasking.provenance(
                    Provenance.document(Provenance.compute(c, catalog: catalog, withMarks: true), catalog: catalog), sensitive: sensitive)
            }
            Output.write(format.render(.map(doc)))
        }
    }
}

/// `kit describe stacks`.
struct DescribeStacksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stacks",
        abstract: "Print every stack with its resolved components.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("stack")], help: "Only this stack (name or file id).") var stack: String?
    @Option(help: "Only these components (comma-separated).") var components: String?
    @Option(help: "Only these sections of each component (comma-separated, e.g. vars,backend).") var sections: String?
    @Option(help: "yaml or json.") var format: OutputFormat = .yaml
    @Flag(help: "Print variables root modules declare 'sensitive = true' instead of '***'.") var showSecrets = false

    func run() throws {
        try CLIContext.run {
            let catalog = try CLIContext.catalog(global)
            Statistics.catalog = catalog
            let secrets = showSecrets ? nil : SensitiveVariables()
            let terraformBase = catalog.config.terraform.basePath
            let only = components.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
            let wanted = sections.map { Set($0.split(separator: ",").map(String.init)) }
            let json = format == .json
            let stackFilter = stack
            // Each component's document is serialised on the worker that resolved it.
            let (items, warnings) = catalog.survey(onlyComponents: only) { c -> [UInt8]? in
                if let s = stackFilter, c.stackName != s && c.stackFileID != s { return nil }
                var doc = ComponentDocument.sections(c)
                if let secrets {
                    doc["vars"] = .map(SecretMasking.vars(c.vars, sensitive: secrets.names(in: Paths.join(terraformBase, c.folder))))
                }
                if let wanted { doc = doc.filter { wanted.contains($0.key) } }
                return StacksDocumentWriter.fragment(.map(doc), json: json)
            }
            for w in warnings { Diagnostics.shared.warning(w) }
            let kept = items.compactMap { item in item.value.map { (stack: item.stackName, component: item.component, fragment: $0) } }
            if let stack, kept.isEmpty {
                throw StackError.unknownStack(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(Set(items.map(\.stackName)))).first, component: nil)
            }
            StacksDocumentWriter.write(kept, json: json) { Output.write($0) }
        }
    }
}
