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
        let inv: TerraformInvocation
        do { inv = try TerraformInvocation.parse(arguments) } catch let e as TerraformInvocation.UsageError {
            Diagnostics.shared.error(e.message)
            throw ExitCode(64)
        }
        var code: Int32 = 0
        try CLIContext.run {
            let catalog = try CLIContext.catalog(global)
            Statistics.catalog = catalog
            let c = try catalog.find(component: inv.component, stack: inv.stack)
            switch inv.subcommand {
            case "generate": try generate(inv, c, catalog)
            case "review": code = try TerraformReview.run(inv, c, catalog: catalog, global: global)
            default:
                let config = catalog.config
                let hooks: TerraformHooks = CLIContext.environment["KIT_NO_PLUGINS"] == "1"
                    ? NoHooks() : LazyPluginHooks { [global] in try PluginHookSetup.hooks(global: global, config: config) }
                let runner = TerraformRunner(config: catalog.config, environment: CLIContext.environment, hooks: hooks,
                                             report: TerraformCommand.report, approve: TerraformCommand.approver())
                code = try runner.run(c, inv)
            }
        }
        if code != 0 { throw ExitCode(code) }
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
            content = JSONWriter.pretty(WorkingFiles.backendDocument(type: c.backendType, backend: c.backend, workspace: c.workspace))
            defaultPath = files.componentDirectory + "/backend.tf.json"
        default:
            throw TerraformInvocation.UsageError(message: "unknown generate target '\(inv.subSubcommand ?? "")' — use 'varfile' or 'backend'")
        }
        let path = inv.outputFile.map { Paths.join(Paths.currentDirectory(), $0) } ?? defaultPath
        if inv.dryRun {
            Output.write(content)
            return
        }
        try AtomicFile.write(content, to: path, mode: 0o600)
        Diagnostics.shared.note("wrote \(Paths.relative(path, to: catalog.config.basePath))")
    }

    /// Prints runner events: dry-run text to stdout, the rest through diagnostics.
    static func report(_ event: RunEvent) {
        switch event {
        case .dryRun(let text): Output.write(text)
        case .note(let m): Diagnostics.shared.note(m)
        case .warning(let m): Diagnostics.shared.warning(m)
        case .finding(let f): FindingPrinter.print(f)
        }
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

/// Prints guardrail findings, one line each: `error[aws.rds.production] vars.multi_az: message — hint`.
enum FindingPrinter {
    static func print(_ f: Finding) {
        var line = "[\(f.policy)]"
        if let p = f.path { line += " \(p):" }
        line += " \(f.message)"
        if let h = f.hint { line += " — \(h)" }
        switch f.severity {
        case .error: Diagnostics.shared.error(line)
        case .warning: Diagnostics.shared.warning(line)
        case .info: Diagnostics.shared.note(line)
        }
    }
}
