import ArgumentParser
import KitCore

/// `kit <name> …` where `<name>` is not a kit command: the repository's atmos custom commands
/// (`commands:` of its configuration), run by `CustomCommandRunner`. nil when no configuration is
/// found or none of its commands has that name (the caller reports an unknown command).
enum CustomCommandDispatch {
    /// Runs the custom command `arguments` name and returns its exit code, or nil when there is none.
    /// With `extending`, `arguments` start with a built-in command's name: nil unless the configuration
    /// has a command of that name with a nested one named by the second word.
    static func run(_ arguments: [String], diagnostics: Diagnostics, extending: Bool = false) throws -> Int32? {
        let global = GlobalSettings()
        let context = CLIContext(global, diagnostics)
        // The raw configuration: a repository of custom commands alone (no stacks) is valid for them, as in atmos.
        let loader = ConfigLoader(environment: CLIContext.environment, workingDirectory: Paths.currentDirectory(), trust: try context.trust())
        // A configuration that exists but cannot be read is its error, never "not a command".
        let merged = try loader.mergedFiles(CLIContext.overrides(global))
        guard let file = merged.configFiles.last else { return nil }
        let commands = try CustomCommand.parse(.map(merged.root), file: file)
        if extending, arguments.count < 2 || !commands.contains(where: { $0.name == arguments[0] && $0.commands.contains { $0.name == arguments[1] } }) {
            return nil
        }
        guard let invocation = try CustomCommandInvocation.parse(arguments, commands: commands) else { return nil }
        if invocation.help {
            Output.write(invocation.usage)
            return 0
        }
        if try context.trust().untrusted {
            throw CustomCommandError(file: file, path: invocation.command.path,
                                     message: "custom commands run shell steps from the configuration; they are refused in untrusted mode")
        }
        var data = invocation.templateData()
        var templates: TemplateRendering = GoTemplateRendering(environment: CLIContext.environment)
        if let cc = invocation.command.componentConfig {
            // `.ComponentConfig`: the component as `describe component` prints it (YAML functions evaluated).
            let session = try context.session()
            templates = session.templates
            let component = try templates.render(cc.component, name: "\(invocation.command.path).component_config.component", data: data, ignoreMissing: false)
            let stack = try templates.render(cc.stack, name: "\(invocation.command.path).component_config.stack", data: data, ignoreMissing: false)
            let catalog = try session.catalog()
            let raw = try catalog.findDescribable(component: component, stack: stack)
            let c = try session.pipeline().evaluated(raw).component
            data = invocation.templateData(componentConfig: try ComponentDocument.full(c, catalog: catalog, stackArgument: stack, cliArgs: invocation.words))
        }
        // Steps that call `atmos …` run kit when atmos itself is not installed.
        let shim = AtmosShim.make(environment: CLIContext.environment, kitExecutable: WorkflowCommand.kitExecutable())
        defer { shim?.remove() }
        let runner = CustomCommandRunner(processes: SystemProcessRunner(), templates: templates,
                                         environment: shim?.environment(CLIContext.environment) ?? CLIContext.environment,
                                         workingDirectory: Paths.currentDirectory(), file: file, write: { Output.write($0) })
        return try runner.run(invocation, data: data)
    }
}
