import Dispatch
import Foundation
import KitModel
import KitStacks
import KitTerraform

/// What happened to one step.
public struct WorkflowStepOutcome: Sendable, Equatable {
    public enum Result: String, Sendable { case succeeded, failed, skipped, dryRun = "dry-run", notRun = "not run" }
    public var step: WorkflowStep
    /// The arguments run: kit's (atmos steps) or `["/bin/sh", "-c", text]` (shell steps).
    public var argv: [String]
    public var result: Result
    public var exitCode: Int32
    public var milliseconds: Int
}

/// A finished workflow: every step's outcome, in order, and the step that failed (if one did).
public struct WorkflowOutcome: Sendable, Equatable {
    public var workflow: Workflow
    public var steps: [WorkflowStepOutcome]
    public var startedAt: Date
    public var milliseconds: Int
    /// The failed step; the workflow stopped there.
    public var failed: WorkflowStepOutcome? { steps.first { $0.result == .failed } }
    /// The workflow's exit code: the failed step's, else 0.
    public var exitCode: Int32 { failed?.exitCode ?? 0 }
}

/// Runs a workflow's steps in order: `atmos` steps as a child `kit` process with the step's words as
/// arguments (never through a shell; the same exit codes as running kit yourself), `shell` steps as
/// `/bin/sh -c <text>`. The stack (`-s` on the command line, else the step's, else the workflow's) is
/// passed as `-s <stack>` to atmos steps and as `ATMOS_STACK`/`KIT_STACK` to shell steps. The first
/// failing step stops the workflow.
public struct WorkflowRunner: Sendable {
    public var processes: ProcessRunning
    /// The kit executable that runs `atmos` steps (the running kit).
    public var kitExecutable: String
    public var environment: [String: String]
    public var workingDirectory: String
    /// Called before each step runs (for progress), with the step's argv.
    public var starting: @Sendable (WorkflowStep, [String]) -> Void
    /// Renders the `{{ … }}` values of shell steps (`.env`, `.stack`); nil: such a step is an error.
    public var templates: TemplateRendering?

    public init(processes: ProcessRunning, kitExecutable: String, environment: [String: String], workingDirectory: String,
                templates: TemplateRendering? = nil,
                starting: @escaping @Sendable (WorkflowStep, [String]) -> Void = { _, _ in }) {
        self.templates = templates
        self.processes = processes
        self.kitExecutable = kitExecutable
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.starting = starting
    }

    /// Runs `workflow` from `fromStep` (steps before it are `skipped`); `dryRun` runs nothing.
    public func run(_ workflow: Workflow, fromStep: String? = nil, stack: String? = nil, dryRun: Bool = false) throws -> WorkflowOutcome {
        if workflow.steps.isEmpty {
            throw WorkflowError.manifest(SourceLocation(file: workflow.file), message: "workflow \(UserText.quoted(workflow.name)) has no steps — add at least one")
        }
        var startIndex = 0
        if let fromStep {
            guard let i = workflow.steps.firstIndex(where: { $0.name == fromStep }) else {
                throw WorkflowError.unknownStep(fromStep, workflow: workflow.name, steps: workflow.steps.map(\.name))
            }
            startIndex = i
        }
        let startedAt = Date()
        let start = DispatchTime.now().uptimeNanoseconds
        var outcomes: [WorkflowStepOutcome] = []
        var stopped = false
        // Variables of the `env` steps run so far (atmos: they persist into every later step).
        var stepVariables: [String: String] = [:]
        // Every env step's variables, exported or not: what step templates read as `.env` (atmos).
        var templateVariables: [String: String] = [:]
        // A step that runs this workflow again stops at depth 10 (atmos's ATMOS_SHLVL circuit breaker).
        let childEnvironment = dryRun ? environment : try NestingDepth.child(of: environment)
        for (i, step) in workflow.steps.enumerated() {
            let argv = try arguments(step, workflow: workflow, stack: stack)
            if step.type == .env {
                // Like any step, an env step before --from-step is skipped: its variables are not set.
                let runs = !stopped && i >= startIndex
                if runs && step.export { stepVariables.merge(step.vars) { _, new in new } }
                if runs { templateVariables.merge(step.vars) { _, new in new } }
                let result: WorkflowStepOutcome.Result = stopped ? .notRun : i < startIndex ? .skipped : dryRun ? .dryRun : .succeeded
                outcomes.append(WorkflowStepOutcome(step: step, argv: argv, result: result, exitCode: 0, milliseconds: 0))
                continue
            }
            if i < startIndex || stopped {
                outcomes.append(WorkflowStepOutcome(step: step, argv: argv, result: stopped ? .notRun : .skipped, exitCode: 0, milliseconds: 0))
                continue
            }
            if dryRun {
                outcomes.append(WorkflowStepOutcome(step: step, argv: argv, result: .dryRun, exitCode: 0, milliseconds: 0))
                continue
            }
            starting(step, argv)
            var env = childEnvironment
            for (k, v) in workflow.env { env[k] = v }
            for (k, v) in stepVariables { env[k] = v }
            for (k, v) in step.env { env[k] = v }
            if let s = effectiveStack(step, workflow, stack), step.type == .shell { env["ATMOS_STACK"] = s; env["KIT_STACK"] = s }
            var runArgv = argv  // what runs; the outcome keeps the step as written
            if step.type == .shell, containsTemplateAction(step.command) {
                var data = env
                data.merge(templateVariables) { old, _ in old }
                runArgv = try renderedShell(step, env: &env, data: .map(["env": .map(data.mapValues(Value.string)),
                                                                      "stack": .string(effectiveStack(step, workflow, stack) ?? "")]))
            }
            let stepStart = DispatchTime.now().uptimeNanoseconds
            let code: Int32
            do {
                code = try processes.run(runArgv[0], Array(runArgv.dropFirst()), cwd: workingDirectory, env: env,
                                         stdout: .inherit, stderr: .inherit, nullStdin: false, keepDescriptor: nil).status
            } catch {
                code = 127
            }
            let ms = Int((DispatchTime.now().uptimeNanoseconds - stepStart) / 1_000_000)
            outcomes.append(WorkflowStepOutcome(step: step, argv: argv, result: code == 0 ? .succeeded : .failed, exitCode: code, milliseconds: ms))
            if code != 0 { stopped = true }
        }
        return WorkflowOutcome(workflow: workflow, steps: outcomes, startedAt: startedAt,
                               milliseconds: Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000))
    }

    /// A shell step with `{{ … }}` values: each rendered alone and passed as `KIT_COMMAND_VALUE_n`, which
    /// the shell text reads with the quoting of its place (`ShellStepTemplate`): a value is never code.
    func renderedShell(_ step: WorkflowStep, env: inout [String: String], data: Value) throws -> [String] {
        let template: ShellStepTemplate
        do { template = try ShellStepTemplate(step.command) } catch let f as ShellStepTemplate.Failure {
            throw WorkflowError.manifest(step.location, message: "step \(UserText.quoted(step.name)): \(f.message)")
        }
        guard let templates else {
            throw WorkflowError.manifest(step.location, message: "step \(UserText.quoted(step.name)) holds a template and no template renderer was given")
        }
        for (n, action) in template.actions.enumerated() {
            do {
                env[ShellStepTemplate.variable(n)] = try templates.render(action, name: step.name, data: data, ignoreMissing: false)
            } catch {
                throw WorkflowError.manifest(step.location, message: "step \(UserText.quoted(step.name)): template error: \(error)")
            }
        }
        return ["/bin/sh", "-c", template.text]
    }

    func effectiveStack(_ step: WorkflowStep, _ workflow: Workflow, _ override: String?) -> String? {
        let s = override ?? step.stack ?? workflow.stack
        return s?.isEmpty == true ? nil : s
    }

    /// The argv of a step.
    public func arguments(_ step: WorkflowStep, workflow: Workflow, stack: String?) throws -> [String] {
        switch step.type {
        case .env:
            // What the step sets, by name only: values are not printed (they may be secrets).
            return ["env"] + step.vars.keys.sorted()
        case .shell:
            return ["/bin/sh", "-c", step.command]
        case .atmos:
            var words: [String]
            do { words = try ShellWords.split(step.command) } catch let e as ShellWords.Failure {
                throw WorkflowError.manifest(step.location, message: "step \(UserText.quoted(step.name)): \(e.message)")
            }
            if words.first == "atmos" || words.first == "kit" { words.removeFirst() }
            if let s = effectiveStack(step, workflow, stack), !words.contains("-s"), !words.contains("--stack"),
               !words.contains(where: { $0.hasPrefix("--stack=") }) {
                if let dd = words.firstIndex(of: "--") { words.insert(contentsOf: ["-s", s], at: dd) } else { words += ["-s", s] }
            }
            return [kitExecutable] + words
        }
    }
}

/// Splits a command line into words as a POSIX shell would quote them — '…', "…", backslash — with no
/// expansion of any kind (no variables, globs or substitutions: the words go to kit as they are written).
public enum ShellWords {
    public struct Failure: Error, Sendable { public var message: String }

    public static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escape = false
        for ch in text {
            if escape { current.append(ch); escape = false; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escape = true } else { current.append(ch) }
                continue
            }
            switch ch {
            case "'", "\"": quote = ch; inWord = true
            case "\\": escape = true
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(ch); inWord = true
            }
        }
        if quote != nil { throw Failure(message: "unterminated quote in the command") }
        if inWord { words.append(current) }
        return words
    }
}
