import ArgumentParser
import KitCore

/// atmos's way of extending a built-in command: a custom command named like one (`name: terraform`)
/// whose nested `commands:` add subcommands (`kit terraform provision vpc -s dev`). Such a subcommand
/// is reached only when kit (and, for `terraform`, terraform itself) has no subcommand of that name, so a
/// configuration can add words but never change what `kit terraform plan` does. The configuration is
/// read only for those words: the usual commands never pay for it.
enum BuiltinExtension {
    /// terraform's own subcommands (terraform 1.x `terraform -help`), passed through by kit.
    static let terraformWords: Set<String> = [
        "init", "validate", "plan", "apply", "destroy", "console", "fmt", "force-unlock", "get", "graph", "import",
        "login", "logout", "metadata", "output", "providers", "refresh", "show", "state", "taint", "test", "untaint",
        "version", "workspace", "modules", "stacks", "query", "help",
    ]

    /// True when `kit <first> <second> …` names no built-in subcommand, so a custom command may serve it.
    static func isFree(_ first: String, _ second: String) -> Bool {
        guard !second.hasPrefix("-"),
              let builtin = KitCommands.all.first(where: { $0._commandName == first || $0.configuration.aliases.contains(first) }) else { return false }
        if builtin == TerraformCommand.self {
            guard case .other = TerraformSubcommand(second) else { return false }  // kit's own words
            return !terraformWords.contains(second) && TerraformInvocation.atmosOnlyWords[second] == nil
        }
        let subcommands = builtin.configuration.subcommands
        return !subcommands.isEmpty && !subcommands.contains { $0._commandName == second || $0.configuration.aliases.contains(second) }
    }
}
