import ArgumentParser
import Foundation
import KitCommandLine
import KitCore
import KitPluginSDK

/// `kit terraform <subcommand> <component> -s <stack> [flags] [-- terraform args]`: parses the command
/// line and hands it to the kernel's `TerraformRunService` (which holds every run's logic).
struct TerraformCommand: ReportingCommand {
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

    func run(_ diagnostics: Diagnostics) throws {
        try Self.run(global: global.settings, arguments: arguments, diagnostics)
    }

    /// The command itself; `Kit.main` calls it directly for `kit terraform <word> …` (see there).
    static func run(global: GlobalSettings, arguments: [String], _ diagnostics: Diagnostics) throws {
        if arguments.starts(with: ["generate", "files"]) {
            return try GenerateFilesCommand.run(Array(arguments.dropFirst(2)), context: CLIContext(global, diagnostics))
        }
        var inv: TerraformInvocation
        do { inv = try TerraformInvocation.parse(arguments) } catch let e as TerraformInvocation.UsageError {
            diagnostics.error(e.message)
            throw ExitCode(64)
        }
        if global.noColor || CLIContext.environment["NO_COLOR"] != nil || isatty(1) != 1 { inv.noColor = true }
        var global = global
        if inv.untrusted { global.untrusted = true }
        var context = CLIContext(global, diagnostics)
        context.terraformSettings = inv.settingOverrides
        var code: Int32 = 0
        try context.run {
            // `--affected`: plugin paths and pins, external paths and the terraform command are the base ref's.
            let session = try context.session(baseRef: inv.estate?.affected == true ? inv.estate?.base : nil)
            if inv.toolArguments == nil { Statistics.catalog = try session.catalog() }
            // `.`, `./vpc`, `components/terraform/vpc`: the component using that folder (issue 21).
            if inv.estate == nil && !inv.component.isEmpty {
                inv.component = try ComponentPath.resolve(inv.component, stack: inv.stack, catalog: session.catalog(),
                                                          workingDirectory: session.workingDirectory,
                                                          warn: { diagnostics.warning($0) })
            }
            code = try TerraformRunService(session: session, console: Self.console()).run(inv)
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// The terminal: stdout for output and estate logs, stderr for reports, a prompt when there is one.
    static func console() -> RunConsole {
        RunConsole(output: { Output.write($0) }, report: { FileHandle.standardError.write(Data($0.utf8)) },
                   approve: approver(), outputIsTerminal: isatty(1) == 1, estateOutput: EstateOutput(fd: 1))
    }

    /// Asks on the terminal before applying a reviewed plan; nil without a terminal.
    static func approver() -> (@Sendable () -> Bool)? {
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
    static func print(_ f: Finding, to diagnostics: Diagnostics) { diagnostics.emit(Diagnostic(f)) }
}
