import ArgumentParser
import Foundation
import KitCore

/// `kit workflow <name> [-f <file>]` and `kit workflow list`: atmos workflow files under `workflows.base_path`.
struct WorkflowCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Run a named sequence of kit and shell commands from an atmos workflow file ('list' lists them).",
        discussion: "See docs/workflows.md. atmos steps run as a child kit; shell steps through /bin/sh.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The workflow to run, or 'list'.") var name: String
    @Option(name: [.short, .customLong("file")], help: "The workflow file, relative to workflows.base_path ('.yaml' may be left out).")
    var file: String?
    @Option(help: "Start at this step (the steps before it are skipped).") var fromStep: String?
    @Flag(help: "Print the steps' commands; run nothing.") var dryRun = false
    @Option(name: [.short, .customLong("stack")], help: "Run every atmos step in this stack (overrides the file's stack).")
    var stack: String?

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        var code: Int32 = 0
        try context.run {
            let config = try context.config()
            let configured = config.rawConfiguration.value(at: ["workflows", "base_path"])?.stringValue
            let base = Paths.join(config.basePath, configured.flatMap { $0.isEmpty ? nil : $0 } ?? "stacks/workflows")
            let catalog = WorkflowCatalog(basePath: base, repositoryRoot: config.basePath)
            if name == "list" { return try list(catalog) }
            let workflow = try catalog.workflow(name, file: file)
            try UntrustedWorkflow.check(workflow, trust: config.trust)
            // Shell steps that call `atmos …` run kit when atmos itself is not installed (as custom commands' steps).
            let environment = UntrustedWorkflow.environment(CLIContext.environment, trust: config.trust)
            let shim = dryRun ? nil : AtmosShim.make(environment: environment, kitExecutable: Self.kitExecutable())
            defer { shim?.remove() }
            let runner = WorkflowRunner(processes: SystemProcessRunner(), kitExecutable: Self.kitExecutable(),
                                        environment: shim?.environment(environment) ?? environment,
                                        workingDirectory: config.basePath,
                                        templates: GoTemplateRendering(environment: environment)) { step, argv in
                diagnostics.note("step '\(step.name)' (\(step.type.rawValue)): \(step.command)")
            }
            let outcome = try runner.run(workflow, fromStep: fromStep, stack: stack, dryRun: dryRun)
            if dryRun {
                for s in outcome.steps where s.result == .dryRun {
                    Output.write("\(s.step.name): \(s.argv.map(Self.shown).joined(separator: " "))\n")
                }
            }
            Self.summary(outcome)
            if let failed = outcome.failed {
                let resume = "kit workflow \(workflow.name) -f \(workflow.file) --from-step \(failed.step.name)" + (stack.map { " -s \($0)" } ?? "")
                diagnostics.error("workflow step execution failed: step '\(failed.step.name)' exited with \(failed.exitCode)\n  The following command failed to execute: \(failed.step.command)\n  To resume the workflow from this step, run: \(resume)")
            }
            try Self.record(outcome, session: context.session(), dryRun: dryRun)
            code = outcome.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }

    func list(_ catalog: WorkflowCatalog) throws {
        var rows: [(String, String, String)] = []
        for f in catalog.files() where file == nil || f == file || f == (file ?? "") + ".yaml" {
            for w in try catalog.workflows(inFile: f) { rows.append((f, w.name, w.description)) }
        }
        let fileWidth = max(4, rows.map(\.0.count).max() ?? 0), nameWidth = max(8, rows.map(\.1.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var text = pad("FILE", fileWidth) + "  " + pad("WORKFLOW", nameWidth) + "  DESCRIPTION\n"
        for (f, n, d) in rows { text += pad(f, fileWidth) + "  " + pad(n, nameWidth) + "  " + d + "\n" }
        Output.write(text)
    }

    /// The summary on stderr: each step's outcome and time.
    static func summary(_ o: WorkflowOutcome) {
        var text = "workflow '\(o.workflow.name)' (\(o.workflow.file)): \(o.failed == nil ? "succeeded" : "failed") in \(o.milliseconds) ms\n"
        for s in o.steps { text += "  \(s.step.name)  \(s.result.rawValue)" + (s.result == .succeeded || s.result == .failed ? "  \(s.milliseconds) ms" + (s.exitCode != 0 ? "  exit \(s.exitCode)" : "") : "") + "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Records the workflow and its steps (a dry run only into an existing database).
    static func record(_ o: WorkflowOutcome, session: KitSession, dryRun: Bool) throws {
        guard let recorder = try RunRecords.recorder(session, group: nil, dryRun: dryRun) else { return }
        do {
            for row in WorkflowRecord.rows(o, user: recorder.user, gitCommit: recorder.gitCommit, dryRun: dryRun) { _ = try recorder.store.insert(row) }
        } catch {
            session.diagnostics.emit(Diagnostic(.error, "run record not written: \(error)"))
            if o.exitCode == 0 { throw ExitCode(1) }
        }
    }

    /// The running kit binary (atmos steps run it again).
    static func kitExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func shown(_ word: String) -> String {
        word.contains(where: { " '\"\\$".contains($0) }) || word.isEmpty ? "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" : word
    }
}
