import ArgumentParser
import Foundation
import KitCore
import KitPluginSDK

/// `kit terraform <subcommand> <component> -s <stack> [flags] [-- terraform args]`.
struct TerraformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terraform",
        abstract: "Run terraform for a component in a stack.",
        discussion: """
        kit writes the varfile, backend and provider overrides, runs init only when needed, selects the
        workspace and runs the subcommand. kit's flags: -s/--stack, --dry-run, --skip-init, --init,
        --from-plan[=<planfile>], --planfile <path>, --skip-planfile, --override-guardrails <reason>.
        Everything else (and everything after --) goes to terraform unchanged, e.g. -auto-approve, -json,
        -detailed-exitcode, -var k=v. 'deploy' is apply with -auto-approve.
        Also: kit terraform generate varfile|backend <component> -s <stack> [-f file],
              kit terraform review <component> -s <stack> --plan-json <file>.
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .captureForPassthrough, help: "<subcommand> <component> -s <stack> [args…]")
    var arguments: [String] = []

    func run() throws {
        var inv: TerraformInvocation
        do { inv = try TerraformInvocation.parse(arguments) } catch let e as TerraformInvocation.UsageError {
            Diagnostics.shared.error(e.message)
            throw ExitCode(64)
        }
        if global.noColor || CLIContext.environment["NO_COLOR"] != nil || isatty(1) != 1 { inv.noColor = true }
        var code: Int32 = 0
        try CLIContext.run {
            let catalog = try CLIContext.catalog(global)
            Statistics.catalog = catalog
            // Before every terraform run (not for `generate`/`review`), the component's
            // settings.validation must pass, as in atmos; OPA policies are reported as not evaluated.
            if !["generate", "review"].contains(inv.subcommand) { catalog.componentCheck = Self.validationCheck(catalog.config) }
            if inv.estate != nil {
                code = try TerraformEstate.run(inv, catalog: catalog, global: global)
                return
            }
            let found = try catalog.find(component: inv.component, stack: inv.stack)
            switch inv.subcommand {
            case "generate": try generate(inv, found, catalog)
            case "review": code = try TerraformReview.run(inv, found, catalog: catalog, global: global)
            default:
                let config = catalog.config
                let environment = CLIContext.environment
                let hooks = Self.hooks(global: global, config: config)
                let processes = TimedProcessRunner()
                let references = Self.referenceResolver(config: config, environment: environment, hooks: hooks, processes: processes,
                                                        templates: catalog.templates) { component, stack in
                    try catalog.find(component: component, stack: stack)
                }
                let resolveStart = DispatchTime.now().uptimeNanoseconds
                // A dry run shows what would run, never reads other components' state (that could run terraform).
                let c = inv.dryRun ? found : try references.resolve(found)
                if environment["KIT_STATS"] != nil {
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - resolveStart) / 1e6
                    FileHandle.standardError.write(Data("kit-stats: references_ms=\(String(format: "%.2f", ms)) state_reads=\(references.reads.state) output_reads=\(references.reads.output)\n".utf8))
                }
                let runner = TerraformRunner(config: config, processes: processes, environment: environment, hooks: hooks,
                                             report: TerraformCommand.report, approve: TerraformCommand.approver())
                // A run database that cannot be opened (full disk, damaged file) does not stop terraform:
                // the run is reported, then the record failure (see below).
                let recorder = Result { try Self.recorder(config: config, group: nil, environment: environment, dryRun: inv.dryRun) }
                let startedAt = Date()
                var outcome: RunOutcome?
                var failure: Error?
                do {
                    outcome = try runner.execute(c, inv)
                    code = outcome!.exitCode
                } catch {
                    failure = error
                    code = 1
                }
                let result = failure != nil ? "failed" : outcome!.skippedDisabled ? "disabled" : inv.dryRun ? "dry-run"
                    : code == 0 ? "succeeded" : (code == 2 && inv.passThrough.contains("-detailed-exitcode")) ? "changes" : "failed"
                do {
                    try recorder.get()?.record(c, inv, result: result, exitCode: code, startedAt: startedAt, outcome: outcome,
                                               counts: nil, findings: outcome?.findings ?? [])
                } catch {
                    if let failure { throw failure }
                    Diagnostics.shared.error("run record not written: \(error)")
                    // terraform's own failure code stays; a success (also -detailed-exitcode's 2) becomes 1.
                    if code == 0 || code == 2 { code = 1 }
                }
                if let failure { throw failure }
            }
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// `settings.validation` of a component: warnings printed, errors thrown.
    static func validationCheck(_ config: KitConfig) -> @Sendable (ResolvedComponent) throws -> Void {
        let validation = ComponentValidation(config: config)
        return { c in
            let report = validation.validate(c)
            for w in report.warnings { Diagnostics.shared.emit(w) }
            for e in report.errors { Diagnostics.shared.emit(e) }
            if !report.errors.isEmpty {
                throw StackError.validationFailed(component: c.name, stack: c.stackName, problems: report.errors.map(\.message))
            }
        }
    }

    /// The plugin hooks for runs (none with KIT_NO_PLUGINS=1, which every plan and apply reports); plugins load on first use.
    static func hooks(global: GlobalOptions, config: KitConfig) -> TerraformHooks {
        config.pluginsDisabled
            ? PluginsOffHooks() : LazyPluginHooks { [global] in try PluginHookSetup.hooks(global: global, config: config) }
    }

    /// Evaluates `!terraform.state`/`!terraform.output` and templates deferred to the run (`atmos.Component
    /// … .outputs`, rendered with `templates`); `!terraform.state` on a non-local backend asks
    /// the plugin for that backend (`read_state`) first; `output -json` of a dependency runs through
    /// the same runner as any command (init and workspace as needed, stdout captured).
    static func referenceResolver(config: KitConfig, environment: [String: String], hooks: TerraformHooks,
                                  processes: ProcessRunning, templates: TemplateRendering,
                                  locate: @escaping ReferenceResolver.Locate) -> ReferenceResolver {
        ReferenceResolver(config: config, locate: locate, readOutputJSON: { c in
            var inv = TerraformInvocation(subcommand: "output", component: c.name, stack: c.stackName)
            inv.passThrough = ["-json"]
            var runner = TerraformRunner(config: config, processes: processes, environment: environment, hooks: hooks, report: { _ in })
            runner.nullStdin = true
            let outcome = try runner.execute(c, inv, captureMain: true)
            guard outcome.exitCode == 0 else {
                throw TerraformError.referenceReadFailed(component: c.name, stack: c.stackName, exitCode: outcome.exitCode)
            }
            return outcome.captured
        }, readState: { c in try hooks.readState(c) }, templates: templates)
    }

    /// The run store's recorder for this repository. A dry run is recorded only into an existing
    /// database: `--dry-run` never creates files.
    static func recorder(config: KitConfig, group: String?, environment: [String: String], dryRun: Bool) throws -> RunRecorder? {
        let path = RunStore.path(in: config)
        if dryRun && !FileManager.default.fileExists(atPath: path) { return nil }
        let store = try RunStore(path: path)
        return RunRecorder(store: store, group: group, user: environment["USER"] ?? environment["LOGNAME"] ?? "unknown",
                           gitCommit: GitCommit.head(in: config.basePath, environment: environment))
    }

    func generate(_ inv: TerraformInvocation, _ c: ResolvedComponent, _ catalog: StackCatalog) throws {
        let files = WorkingFiles(component: c, config: catalog.config)
        let content: String
        let defaultPath: String
        switch inv.subSubcommand {
        case "varfile":
            content = WorkingFiles.varfileContent(c)
            defaultPath = files.varfile
        case "backend":
            guard !c.backendType.isEmpty else { throw TerraformError.backendTypeRequired(component: c.name, stack: c.stackName) }
            // The backend terraform will actually get: the plugins complete and check it, as for a run.
            let (adaptation, findings) = try Self.hooks(global: global, config: catalog.config).adapt(c, operation: "plan")
            for f in findings { FindingPrinter.print(f) }
            let errors = findings.filter { $0.severity == .error }.count
            if errors > 0 && inv.overrideGuardrails == nil {
                throw TerraformError.blockedByGuardrails(component: c.name, stack: c.stackName, count: errors)
            }
            content = JSONWriter.pretty(WorkingFiles.backendDocument(type: c.backendType, backend: adaptation.backend ?? c.backend,
                                                                     workspace: c.workspace))
            defaultPath = files.componentDirectory + "/backend.tf.json"
        default:
            throw TerraformInvocation.UsageError(message: "unknown generate target '\(inv.subSubcommand ?? "")' — use 'varfile' or 'backend'")
        }
        let path = inv.outputFile.map { Paths.join(Paths.currentDirectory(), $0) } ?? defaultPath
        if inv.dryRun {
            Output.write(content)
            return
        }
        do { try AtomicFile.write(content, to: path, mode: 0o600) } catch let e as POSIXFailure {
            let shown = inv.outputFile ?? Paths.relative(path, to: catalog.config.basePath)
            throw TerraformError.writeFailed(path: shown, reason: "\(e)")
        }
        Diagnostics.shared.note("wrote \(Paths.relative(path, to: catalog.config.basePath))")
    }

    /// Prints runner events: dry-run text to stdout, the rest through diagnostics.
    static func report(_ event: RunEvent) {
        if case .dryRun(let text) = event { Output.write(text); return }
        if let d = Diagnostic(event) { Diagnostics.shared.emit(d) }
    }

    /// Asks on the terminal before applying a reviewed plan; nil without a terminal.
    static func approver() -> (() -> Bool)? {
        guard isatty(0) == 1 else { return nil }
        return {
            FileHandle.standardError.write("Do you want to apply this plan? Only 'yes' will be accepted: ".data(using: .utf8)!)
            return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
        }
    }
}

/// Prints guardrail findings through the diagnostics sink, one line each:
/// `error: [aws.rds.production] vars.multi_az: message — hint`.
enum FindingPrinter {
    static func print(_ f: Finding) { Diagnostics.shared.emit(Diagnostic(f)) }
}
