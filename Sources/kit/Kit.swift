import ArgumentParser
import KitCore

/// The `kit` root command.
@main
struct Kit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kit",
        abstract: "Provision infrastructure from atmos-style YAML stacks with terraform.",
        discussion: "Before the command, -C DIR (or --chdir DIR) runs kit as if started in DIR.",
        version: KitVersion.text.trimmingSuffixNewline(),
        subcommands: KitCommands.all
    )

    /// atmos commands kit does not implement: a clear "not supported" (exit 64), not a parser error.
    static let unsupportedAtmosCommands: [String: String] = [
        "helmfile": "kit runs terraform only; run helmfile components with atmos or helmfile",
        "packer": "kit runs terraform only; run packer components with atmos or packer",
        "ansible": "kit runs terraform only; run ansible components with atmos or ansible",
        "atlantis": "generate the Atlantis configuration with atmos",
        "aws": "use the aws CLI",
        "helm": "kit runs terraform only",
        "pro": "kit has no Atmos Pro integration",
        "auth": "configure credentials in the environment (AWS_PROFILE, …)",
        "toolchain": "install terraform with scripts/setup",
        "scaffold": "kit has no project templates; copy an example repository (docs/example-stacks.md)",
        "support": "see the README's links",
        "docs": "kit's documentation is its README and docs/ folder; README generation from a template (atmos docs generate) is not implemented",
    ]

    /// Runs the custom command `arguments` name and exits with its code (64 for its usage mistakes, 1
    /// when it cannot run); returns when the configuration has no such command.
    static func runCustomCommand(_ arguments: [String], extending: Bool, _ diagnostics: Diagnostics) {
        do {
            if let code = try CustomCommandDispatch.run(arguments, diagnostics: diagnostics, extending: extending) {
                Self.exit(withError: ExitCode(code))
            }
        } catch let usage as CustomCommandInvocation.UsageError {
            diagnostics.error(usage.message)
            Self.exit(withError: ExitCode(64))
        } catch {
            diagnostics.error(error)
            Self.exit(withError: ExitCode(1))
        }
    }

    static func main() {
        // The one diagnostics sink of this process, made before anything can fail so that every
        // diagnostic, even a usage error, is rendered the same way; the command gets it from here.
        let diagnostics = Diagnostics.standardError()
        var arguments = Array(CommandLine.arguments.dropFirst())
        // `-C DIR` / `--chdir DIR` / `--chdir=DIR` before the command (atmos's global flag): kit runs
        // as if started in DIR. Handled before parsing, like a shell's `cd`, so every command and the
        // configuration discovery see the same working directory.
        do {
            arguments = try WorkingDirectoryOption.apply(arguments, changeDirectory: WorkingDirectoryOption.systemChangeDirectory)
        } catch {
            diagnostics.error(error)
            Self.exit(withError: ExitCode(error is WorkingDirectoryOption.UsageError ? 64 : 1))
        }
        if let first = arguments.first, let hint = unsupportedAtmosCommands[first] {
            diagnostics.error("'kit \(first)' is not supported by kit — \(hint)")
            Self.exit(withError: ExitCode(64))
        }
        // An unknown command with `--version`/`--help` after it (`kit install --version 1.2.3`, an atmos
        // custom command) would otherwise print kit's version or help and exit 0.
        if let first = arguments.first, !first.hasPrefix("-"), !KitCommands.all.contains(where: { $0._commandName == first || $0.configuration.aliases.contains(first) }),
           first != "help" {
            // The repository's atmos custom commands (`commands:` of its configuration).
            runCustomCommand(arguments, extending: false, diagnostics)
            diagnostics.error("'kit \(UserText.escaped(first))' is not a kit command, nor a custom command of the configuration — see 'kit --help'")
            Self.exit(withError: ExitCode(64))
        }
        // `kit terraform provision …` where the configuration extends a built-in (atmos's `name: terraform`
        // custom command with nested `commands:`), for words no built-in subcommand has.
        if arguments.count >= 2, BuiltinExtension.isFree(arguments[0], arguments[1]) {
            runCustomCommand(arguments, extending: true, diagnostics)
        }
        // `kit terraform <sub> --help`: terraform's arguments pass through, so help is asked for here.
        if arguments.first == "terraform" {
            let own = arguments.prefix { $0 != "--" }
            if own.contains("--help") || own.contains("-h") {
                Output.write(Self.helpMessage(for: TerraformCommand.self) + "\n")
                Self.exit()
            }
        }
        // `kit terraform <word> …`, the path of every run: after the word everything is terraform's or
        // kit's own run flags (TerraformInvocation parses them), so the parser would only fill in default
        // global options — at the price of reflecting over the command tree (≈2.5 ms per run). Global
        // options before the word (`kit terraform --base-path x plan …`) take the parser's path.
        if arguments.count > 1, arguments[0] == "terraform", !arguments[1].hasPrefix("-") {
            do {
                try TerraformCommand.run(global: GlobalSettings(), arguments: Array(arguments.dropFirst()), diagnostics)
            } catch {
                Self.exit(withError: error)
            }
            Self.exit()
        }
        do {
            var command = try Self.parseAsRoot(arguments)
            if let reporting = command as? any ReportingCommand {
                try reporting.run(diagnostics)
            } else {
                try command.run()
            }
        } catch {
            Self.exit(withError: error)
        }
    }
}

extension String {
    /// The string without one trailing newline.
    func trimmingSuffixNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}
