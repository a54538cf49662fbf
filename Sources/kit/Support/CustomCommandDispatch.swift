import ArgumentParser
import KitCore

/// `kit <name> …` where `<name>` is not a kit command: the repository's atmos custom commands
/// (`commands:` of its configuration), run by `CustomCommandRunner`. nil when no configuration is
/// found or none of its commands has that name (the caller reports an unknown command).
enum CustomCommandDispatch {
    /// Runs the custom command `arguments` name and returns its exit code, or nil when there is none.
    static func run(_ arguments: [String], diagnostics: Diagnostics) throws -> Int32? {
        let context = CLIContext(try GlobalOptions.parse([]), diagnostics)
        guard let config = try? context.config() else { return nil }
        let file = config.configFile ?? "kit.yaml"
        let commands = try CustomCommand.parse(config.rawConfiguration, file: file)
        guard let invocation = try CustomCommandInvocation.parse(arguments, commands: commands) else { return nil }
        if invocation.help {
            Output.write(invocation.usage)
            return 0
        }
        if config.trust.untrusted {
            throw CustomCommandError(file: file, path: invocation.command.path,
                                     message: "custom commands run shell steps from the configuration; they are refused in untrusted mode")
        }
        let session = try context.session()
        var data = invocation.templateData()
        if let cc = invocation.command.componentConfig {
            // `.ComponentConfig`: the component as `describe component` prints it (YAML functions evaluated).
            let component = try session.templates.render(cc.component, name: "\(invocation.command.path).component_config.component", data: data, ignoreMissing: false)
            let stack = try session.templates.render(cc.stack, name: "\(invocation.command.path).component_config.stack", data: data, ignoreMissing: false)
            let catalog = try session.catalog()
            let raw = try catalog.findDescribable(component: component, stack: stack)
            let c = try session.pipeline().evaluated(raw).component
            data = invocation.templateData(componentConfig: ComponentDocument.full(c, catalog: catalog, stackArgument: stack, cliArgs: invocation.words))
        }
        let runner = CustomCommandRunner(processes: SystemProcessRunner(), templates: session.templates, environment: session.environment,
                                         workingDirectory: session.workingDirectory, file: file)
        return try runner.run(invocation, data: data)
    }
}
