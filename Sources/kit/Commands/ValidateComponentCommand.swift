import ArgumentParser
import KitCore

/// `kit validate component <component> -s <stack>`: the component's `settings.validation` (JSON Schema;
/// OPA policies reported as not evaluated), then plugin guardrails on the configuration.
struct ValidateComponentCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "component", abstract: "Check one component's configuration against its settings.validation schemas and the plugins' guardrails.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component name, or its folder ('.', './vpc', 'components/terraform/vpc').") var component: String
    @Option(name: [.short, .customLong("stack")], help: "The stack name.") var stack: String

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let session = try context.session()
            let catalog = try session.catalog()
            // `.`, `./vpc`, `components/terraform/vpc`: the component using that folder, as describe and terraform resolve it.
            let name = try ComponentPath.resolve(component, stack: stack, catalog: catalog, workingDirectory: session.workingDirectory,
                                                 warn: { diagnostics.warning($0) })
            // Validated as it would run: YAML functions evaluated first (the pipeline's phase).
            let c = try session.pipeline().evaluated(catalog.find(component: name, stack: stack)).component
            let schemaReport = ComponentValidation(config: catalog.config).validate(c)
            for w in schemaReport.warnings { diagnostics.emit(w) }
            for e in schemaReport.errors { diagnostics.emit(e) }
            let hooks = try PluginHookSetup.hooks(context, config: catalog.config)
            let plugins = try hooks.plugins(for: c)
            let findings = try hooks.validate(c)
            for f in findings { FindingPrinter.print(f, to: diagnostics) }
            let errors = findings.filter { $0.severity == .error }.count + schemaReport.errors.count
            let schemas = schemaReport.schemasChecked == 0 ? "" : "\(schemaReport.schemasChecked) JSON Schema(s) and "
            diagnostics.note("validated '\(name)' in '\(stack)' with \(schemas)\(plugins.isEmpty ? "no plugins" : plugins.map { "'\($0.name)'" }.joined(separator: ", ")): \(errors) error(s), \(findings.count - findings.filter { $0.severity == .error }.count) other finding(s)")
            if errors > 0 { throw ExitCode(1) }
        }
    }
}
