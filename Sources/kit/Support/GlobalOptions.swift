import ArgumentParser
import KitCore

/// Options every command accepts: where the configuration and the repository are.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("base-path"), help: "Root of the stack repository (overrides base_path).")
    var basePath: String?

    @Option(name: .customLong("config"), help: "A kit.yaml or atmos.yaml file to use instead of discovery.")
    var configFile: [String] = []

    @Option(name: .customLong("config-path"), help: "A directory holding kit.yaml or atmos.yaml.")
    var configPath: [String] = []

    @Option(name: [.customLong("stacks-dir"), .customLong("config-dir")], help: "The stacks directory.")
    var stacksDir: String?

    @Option(name: .customLong("terraform-dir"), help: "The terraform components directory.")
    var terraformDir: String?

    @Flag(name: .customLong("no-color"), help: "Never colour output.")
    var noColor = false

    @Flag(name: .customLong("untrusted"), help: "Pull-request mode: no !exec, no environment in templates or !env, only terraform/tofu, only installed plugins, nothing outside the repository. Also KIT_UNTRUSTED=1.")
    var untrusted = false

    @Option(name: .customLong("diagnostics"), help: "How errors, warnings and findings are printed on stderr: text or json (one object per line). Also KIT_DIAGNOSTICS.")
    var diagnostics: String?
}

extension GlobalOptions {
    /// The values, for the context (`CLIContext`).
    var settings: GlobalSettings {
        GlobalSettings(basePath: basePath, configFile: configFile, configPath: configPath, stacksDir: stacksDir,
                       terraformDir: terraformDir, noColor: noColor, untrusted: untrusted)
    }
}

/// The global options' values. Paths that skip the parser (`kit terraform <word> …`) start from
/// `GlobalSettings()`: asking the parser for defaults (`GlobalOptions.parse([])`) reflects over the
/// options and scans protocol conformances, 11 million instructions (~3 ms) of every plan.
struct GlobalSettings: Sendable, Equatable {
    var basePath: String?
    var configFile: [String] = []
    var configPath: [String] = []
    var stacksDir: String?
    var terraformDir: String?
    var noColor = false
    var untrusted = false
}
