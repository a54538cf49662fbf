import ArgumentParser
import KitCore

/// `kit validate component <component> -s <stack>`: plugin guardrails on the configuration.
struct ValidateComponentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "component", abstract: "Check one component's configuration against the plugins' guardrails.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component name.") var component: String
    @Option(name: [.short, .customLong("stack")], help: "The stack name.") var stack: String

    func run() throws {
        try CLIContext.run {
            let catalog = try CLIContext.catalog(global)
            let c = try catalog.find(component: component, stack: stack)
            let hooks = try PluginHookSetup.hooks(global: global, config: catalog.config)
            let plugins = try hooks.plugins(for: c)
            let findings = try hooks.validate(c)
            for f in findings { FindingPrinter.print(f) }
            let errors = findings.filter { $0.severity == .error }.count
            Diagnostics.shared.note("validated '\(component)' in '\(stack)' with \(plugins.isEmpty ? "no plugins" : plugins.map { "'\($0.name)'" }.joined(separator: ", ")): \(errors) error(s), \(findings.count - errors) other finding(s)")
            if errors > 0 { throw ExitCode(1) }
        }
    }
}
