import KitModel
import KitStacks
import KitTerraform

/// Runs a custom command's steps in order, each as `/bin/sh -c <text>` (`ShellStepTemplate`: values
/// reach the shell through the environment, never as shell text), in the working directory, with
/// kit's environment plus the command's `env:` (rendered). The first step that fails stops the
/// command, and its exit code is kit's, as atmos preserves it.
public struct CustomCommandRunner: Sendable {
    public var processes: ProcessRunning
    public var templates: TemplateRendering
    public var environment: [String: String]
    public var workingDirectory: String
    /// The configuration file, for error messages.
    public var file: String
    /// Where `markdown`/`toast` steps print (stdout).
    public var write: @Sendable (String) -> Void

    public init(processes: ProcessRunning, templates: TemplateRendering, environment: [String: String], workingDirectory: String, file: String,
                write: @escaping @Sendable (String) -> Void) {
        self.write = write
        self.processes = processes
        self.templates = templates
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.file = file
    }

    /// What one step does once prepared.
    public enum PreparedStep: Sendable, Equatable {
        /// `/bin/sh -c <text>` with these variables added to the environment.
        case run(argv: [String], env: [String: String])
        /// Text printed to stdout.
        case print(String)
    }

    /// The steps as they will run, every template rendered; a step kit cannot run is an error here,
    /// before any step runs.
    public func prepared(_ invocation: CustomCommandInvocation, data: Value) throws -> [PreparedStep] {
        let c = invocation.command
        var commandEnv: [String: String] = [:]
        for (i, entry) in c.env.enumerated() {
            commandEnv[entry.key] = try render(entry.value, name: "\(c.path).env[\(i)]", data: data)
        }
        return try c.steps.enumerated().map { i, step in
            let where_ = "\(c.path).steps[\(i)]"
            let shellText: String
            switch step {
            case .print(let text):
                let rendered = try render(text, name: where_, data: data)
                return .print(rendered.hasSuffix("\n") ? rendered : rendered + "\n")
            case .unsupported(let type):
                throw CustomCommandError(file: file, path: where_, message: "atmos's '\(UserText.escaped(type))' step type is not supported by kit — use a shell step")
            case .shell(let text): shellText = text
            }
            let template: ShellStepTemplate
            do { template = try ShellStepTemplate(shellText) } catch let f as ShellStepTemplate.Failure {
                throw CustomCommandError(file: file, path: where_, message: f.message)
            }
            var env = commandEnv
            for (n, action) in template.actions.enumerated() {
                env[ShellStepTemplate.variable(n)] = try render(action, name: where_, data: data)
            }
            return .run(argv: ["/bin/sh", "-c", template.text], env: env)
        }
    }

    func render(_ text: String, name: String, data: Value) throws -> String {
        guard containsTemplateAction(text) else { return text }
        do { return try templates.render(text, name: name, data: data, ignoreMissing: false) } catch {
            throw CustomCommandError(file: file, path: name, message: "template error: \(error)")
        }
    }

    /// Runs the steps; returns the exit code (0, or the failing step's).
    public func run(_ invocation: CustomCommandInvocation, data: Value) throws -> Int32 {
        let c = invocation.command
        if c.steps.isEmpty {
            throw CustomCommandError(file: file, path: c.path, message: c.commands.isEmpty
                ? "the command \(UserText.quoted(c.name)) has no steps — add 'steps:'"
                : "\(UserText.quoted(invocation.words.joined(separator: " "))) needs a command: \(c.commands.map(\.name).joined(separator: ", "))")
        }
        let steps = try prepared(invocation, data: data)
        // A step that runs this command again stops at depth 10 (atmos's ATMOS_SHLVL circuit breaker).
        let childEnvironment = try NestingDepth.child(of: environment)
        for step in steps {
            guard case .run(let argv, let added) = step else {
                if case .print(let text) = step { write(text) }
                continue
            }
            var env = childEnvironment
            for (k, v) in added { env[k] = v }
            let code = try processes.run(argv[0], Array(argv.dropFirst()), cwd: workingDirectory, env: env,
                                         stdout: .inherit, stderr: .inherit, nullStdin: false, keepDescriptor: nil).status
            if code != 0 { return code }
        }
        return 0
    }
}
