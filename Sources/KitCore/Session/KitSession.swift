import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// Everything one kit process works with, built once from the configuration, the environment, the
/// working directory and the command line's options, and never changed afterwards (the composition
/// root, as SwiftPM's command state or swift-nio's bootstraps): the configured template renderer, the
/// YAML function evaluator, the stack catalog, the plugin hooks, the process runner and the
/// diagnostics sink. Every command — single runs, estates, describe, affected, generate, review,
/// validate — takes what it needs from here, so no command can build a renderer without the
/// repository's Gomplate settings or a catalog without the function evaluator.
public final class KitSession: Sendable {
    /// The effective configuration.
    public let config: KitConfig
    /// The process environment, read once by the caller (the kernel never reads it itself).
    public let environment: [String: String]
    /// kit's working directory (`!cwd`, where `!exec` runs, relative datasource paths).
    public let workingDirectory: String
    /// Where every diagnostic goes.
    public let diagnostics: DiagnosticSink
    /// The repository's template renderer (Gomplate switch and base directory from `config`).
    public let templates: GoTemplateRendering
    /// `!env`, `!exec`, `!template`, `!repo-root`, `!cwd`.
    public let functions: YAMLFunctionEvaluator
    /// The plugins' hooks around terraform (`NoHooks` with `KIT_NO_PLUGINS=1`; plugins load on first use).
    public let hooks: TerraformHooks
    /// Runs terraform and other children; counts their time for `KIT_STATS`.
    public let processes: TimedProcessRunner
    /// What the stacks directory is read through.
    public let fileSystem: FileSystem

    private let catalogCell = Mutex<Result<StackCatalog, Error>?>(nil)

    /// A session over the given effects. `functions` defaults to the system's (real processes,
    /// the real file system) over `environment` and `workingDirectory`.
    public init(config: KitConfig, environment: [String: String], workingDirectory: String, diagnostics: DiagnosticSink,
                hooks: TerraformHooks, processes: TimedProcessRunner = TimedProcessRunner(),
                fileSystem: FileSystem = LocalFileSystem(), functions: YAMLFunctionEvaluator? = nil) {
        self.config = config
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.diagnostics = diagnostics
        self.hooks = hooks
        self.processes = processes
        self.fileSystem = fileSystem
        self.templates = GoTemplateRendering(config: config, environment: environment, fileSystem: fileSystem,
                                             workingDirectory: workingDirectory)
        var evaluator = functions ?? .system(environment: environment, workingDirectory: workingDirectory, trust: config.trust)
        if evaluator.providers == nil, !config.pluginsDisabled {
            evaluator.providers = ProviderFunctions(stores: config.stores,
                                                    environment: environment, plugins: { [hooks] in try hooks.plugins() })
        }
        self.functions = evaluator
    }

    /// How far the repository is trusted (`--untrusted`): the configuration's policy, which the
    /// renderer, the function evaluator, the catalog and plugin loading all carry.
    public var trust: TrustPolicy { config.trust }

    /// The repository's stack catalog, discovered on first use (commands that need no stacks never
    /// walk the stacks directory); a discovery error is the same error on every call.
    public func catalog() throws -> StackCatalog {
        try catalogCell.withLock { cell in
            if let cell { return try cell.get() }
            let facts = ManifestFactsCache.forStacks(config.stacksBasePath, config: config, environment: environment)
            // Stack names are needed from here on: a name pattern kit cannot use fails now, not at load.
            let made = Result { () throws -> StackCatalog in
                try config.checkStackNaming()
                return try StackCatalog(config: config, fileSystem: fileSystem, templates: templates, functions: functions,
                                        persistentFacts: facts)
            }
            cell = made
            return try made.get()
        }
    }

    /// The component pipeline (`ComponentPipeline`) of this session. References are located in
    /// `graph` first (an estate's resolved pairs), else through the catalog; `output -json` of a
    /// dependency runs through `processes` (an estate job passes its logged runner) like any command.
    public func pipeline(graph: DependencyGraph? = nil, processes: ProcessRunning? = nil) throws -> ComponentPipeline {
        let catalog = try catalog()
        let evaluate: @Sendable (ResolvedComponent) throws -> ResolvedComponent = { try catalog.evaluate($0) }
        let reader = ComponentPipeline(evaluate: evaluate, validation: nil, diagnostics: diagnostics, references: nil)
        let config = config, environment = environment, hooks = hooks
        let runner = processes ?? self.processes
        let references = ReferenceResolver(config: config, locate: { component, stack in
            if let graph, let c = graph.instances[InstanceID(stack: stack, component: component)] { return c }
            return try catalog.find(component: component, stack: stack)
        }, readOutputJSON: { c in
            var inv = TerraformInvocation(subcommand: "output", component: c.name, stack: c.stackName)
            inv.passThrough = ["-json"]
            var terraform = TerraformRunner(config: config, processes: runner, environment: environment, hooks: hooks, report: { _ in })
            terraform.nullStdin = true
            let outcome = try terraform.execute(reader.forOutputRead(c), inv, captureMain: true)
            guard outcome.exitCode == 0 else {
                throw TerraformError.referenceReadFailed(component: c.name, stack: c.stackName, exitCode: outcome.exitCode)
            }
            return outcome.captured
        }, readState: { c in try hooks.readState(c) }, templates: templates)
        return ComponentPipeline(evaluate: evaluate, validation: ComponentValidation(config: config, fileSystem: fileSystem),
                                 diagnostics: diagnostics, references: references)
    }
}
