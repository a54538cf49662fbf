import Foundation
import KitPluginSDK
import KitModel
import KitStacks

/// What plugins do around a run. The kernel calls these; `PluginHooks` implements them with loaded plugins.
public protocol TerraformHooks: Sendable {
    /// Backend, environment, provider overrides, arguments, and configuration findings.
    func adapt(_ c: ResolvedComponent, operation: String) throws -> (RunAdaptation, [Finding])
    /// Findings on terraform's `show -json` plan document.
    func review(_ c: ResolvedComponent, operation: String, plan: JSONValue) throws -> [Finding]
    /// Told when the run finished.
    func after(_ c: ResolvedComponent, operation: String, exitCode: Int32, planSummary: JSONValue) -> [Finding]
    /// The component's state document read straight from its backend, or nil when no plugin can read
    /// that backend (the caller then asks terraform).
    func readState(_ c: ResolvedComponent) throws -> StateReadResult?
    /// The loaded provider plugins, in order, for the optional ops (`store`, `function`,
    /// `fetch_source`); loading them on first use.
    func plugins() throws -> [LoadedPlugin]
}

extension TerraformHooks {
    /// Default: nobody reads state.
    public func readState(_ c: ResolvedComponent) throws -> StateReadResult? { nil }
    /// Default: no plugins.
    public func plugins() throws -> [LoadedPlugin] { [] }
}

/// What reading a component's state document from its backend found.
public enum StateReadResult: Sendable, Equatable {
    /// The state document (terraform's JSON, `{"version": 4, "outputs": …}`).
    case state(JSONValue)
    /// The backend holds no state for the workspace; `detail` says where it was looked for.
    case missing(detail: String)
}

/// No plugins: the kernel alone.
public struct NoHooks: TerraformHooks {
    public init() {}
    public func adapt(_ c: ResolvedComponent, operation: String) throws -> (RunAdaptation, [Finding]) { (RunAdaptation(), []) }
    public func review(_ c: ResolvedComponent, operation: String, plan: JSONValue) throws -> [Finding] { [] }
    public func after(_ c: ResolvedComponent, operation: String, exitCode: Int32, planSummary: JSONValue) -> [Finding] { [] }
}

/// Messages the runner reports while it works (the CLI prints them through its diagnostics sink).
public enum RunEvent {
    case note(String)
    case warning(String)
    case finding(Finding)
    case dryRun(String)
}

/// What one run did, for summaries and run records.
public struct RunOutcome: Sendable {
    /// The exit code kit reports for the run (terraform's, or 0 for a disabled component / dry run).
    public var exitCode: Int32 = 0
    /// From the reviewed plan (`PlanSummary.summarize`), or null when no plan was reviewed.
    public var planSummary: JSONValue = .null
    /// Every finding the plugins reported (configuration and plan).
    public var findings: [Finding] = []
    /// The main command's stdout when it was captured (`output -json` for references).
    public var captured: [UInt8] = []
    /// The guardrail override reason, when one was used.
    public var overrideReason: String?
    /// True when the component is disabled and nothing ran.
    public var skippedDisabled = false
    /// The command sequence as `--dry-run` prints it (set for dry runs).
    public var dryRunText: String?
    public init() {}
}

/// Raised when kit received SIGINT/SIGTERM before a step could start.
public struct RunInterrupted: Error, CustomStringConvertible {
    public var component: String
    public var stack: String
    public var description: String { "interrupted: '\(component)' in '\(stack)' stopped before its next terraform command" }
}

/// Runs one terraform invocation for one resolved component (reference §10.2).
public struct TerraformRunner {
    public var config: KitConfig
    public var fileSystem: FileSystem
    /// Writes, links, removals, locks and interrupts.
    public var effects: RunEffects
    public var processes: ProcessRunning
    public var environment: [String: String]
    public var hooks: TerraformHooks
    public var report: (RunEvent) -> Void
    /// Asks the user to approve a reviewed plan; nil when there is no terminal.
    public var approve: (() -> Bool)?
    /// Children read /dev/null instead of kit's stdin (runs of many components at once).
    public var nullStdin = false

    public init(config: KitConfig, fileSystem: FileSystem = LocalFileSystem(), effects: RunEffects = LocalRunEffects(),
                processes: ProcessRunning = SystemProcessRunner(),
                environment: [String: String], hooks: TerraformHooks = NoHooks(),
                report: @escaping (RunEvent) -> Void, approve: (() -> Bool)? = nil) {
        self.config = config
        self.fileSystem = fileSystem
        self.effects = effects
        self.processes = processes
        self.environment = environment
        self.hooks = hooks
        self.report = report
        self.approve = approve
    }

    /// Checks the component may run this subcommand (reference §5.4). Returns false when it is disabled.
    public func checkRestrictions(_ c: ResolvedComponent, _ inv: TerraformInvocation) throws -> Bool {
        if !c.isEnabled {
            report(.note("component '\(c.name)' in stack '\(c.stackName)' is not enabled (metadata.enabled: false); skipped"))
            return false
        }
        if c.isAbstract && inv.provisions { throw TerraformError.abstract(component: c.name, stack: c.stackName, subcommand: inv.subcommand.word) }
        if c.isLocked && inv.mutates { throw TerraformError.locked(component: c.name, stack: c.stackName, subcommand: inv.subcommand.word) }
        if c.backendType == "http" && inv.subcommand == .workspace {
            throw TerraformError.httpBackendWorkspaces(component: c.name, stack: c.stackName)
        }
        let dir = Paths.join(config.terraform.basePath, c.folder)
        guard fileSystem.isDirectory(dir) else {
            throw TerraformError.componentFolderMissing(component: c.name, stack: c.stackName, folder: c.folder,
                                                        base: Paths.relative(config.terraform.basePath, to: config.basePath))
        }
        if config.terraform.autoGenerateBackendFile && c.backendType.isEmpty {
            // As atmos: --dry-run writes no backend file, so it shows the commands; a real run stops.
            guard inv.dryRun else { throw TerraformError.backendTypeRequired(component: c.name, stack: c.stackName) }
            report(.note("component '\(c.name)' in stack '\(c.stackName)' has no backend_type: --dry-run shows the commands without a backend file, but a real run stops here — set terraform.backend_type (e.g. 'local' or 's3')"))
        }
        return true
    }

    /// Runs the invocation; returns the exit code kit exits with (terraform's, or 0/1 for kit's own outcomes).
    public func run(_ c: RunnableComponent, _ inv: TerraformInvocation) throws -> Int32 {
        try execute(c, inv).exitCode
    }

    /// Runs the invocation and says what happened. `captureMain` captures the main command's stdout
    /// (into `RunOutcome.captured`) instead of streaming it. Only a `RunnableComponent` runs: its YAML
    /// functions, validation and references went through `ComponentPipeline`.
    public func execute(_ runnable: RunnableComponent, _ inv: TerraformInvocation, captureMain: Bool = false) throws -> RunOutcome {
        let c = runnable.component
        var outcome = RunOutcome()
        guard try checkRestrictions(c, inv) else {
            outcome.skippedDisabled = true
            return outcome
        }
        let files = WorkingFiles(component: c, config: config)
        try files.checkNameLengths(stack: c.stackName, component: c.name)
        if !c.generate.isEmpty { _ = try GeneratedFiles(component: c) }   // a bad `generate` entry stops the run, named
        let signalsAtStart = effects.interrupts

        // Plugins shape the run and check the configuration before anything is written.
        var (adaptation, findings) = try hooks.adapt(c, operation: inv.terraformSubcommand)
        outcome.findings += findings
        outcome.overrideReason = try gate(findings, c, inv) ?? outcome.overrideReason
        // A provider override for a provider the module never uses would make terraform download it.
        // (The module's files are read only when a plugin proposed provider settings.)
        if !adaptation.providers.isEmpty {
            let used = ModuleProviders.scan(Paths.join(config.terraform.basePath, c.folder), fileSystem: fileSystem)
            for name in adaptation.providers.keys where !used.contains(String(name.split(separator: ".").first ?? "")) {
                adaptation.providers[name] = nil
            }
        }

        let initializedBefore = fileSystem.exists(InitFingerprint.file(files))
        var seq = CommandSequence.build(c, inv, config: config, files: files, adaptation: adaptation,
                                        processEnv: environment, initFresh: false, initializedBefore: initializedBefore)
        let fingerprint = InitFingerprint.compute(seq, fileSystem: fileSystem)
        let fresh = fileSystem.isDirectory(files.dataDirectory) &&
            (try? fileSystem.read(InitFingerprint.file(files))).map { String(decoding: $0, as: UTF8.self) } == fingerprint
        if fresh {
            let selected = (try? fileSystem.read(files.dataDirectory + "/environment")).map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }
            seq = CommandSequence.build(c, inv, config: config, files: files, adaptation: adaptation,
                                        processEnv: environment, initFresh: true, selectedWorkspace: selected,
                                        initializedBefore: initializedBefore)
        }
        if inv.dryRun {
            let text = seq.describe(relativeTo: config.basePath)
            report(.dryRun(text))
            outcome.dryRunText = text
            return outcome
        }
        if inv.fromPlan || inv.planfile != nil {
            let p = inv.planfile.map { Paths.join(files.componentDirectory, $0) } ?? files.planfile
            guard fileSystem.exists(p) else { throw TerraformError.planfileMissing(path: Paths.relative(p, to: config.basePath)) }
        }

        // Two kit runs of one (stack, component) on this machine share the varfile, planfile and data
        // directory: the second waits for the first. Across machines, terraform's state lock decides.
        let pairLock = try effects.lockPair(Paths.dirname(files.dataDirectory)) {
            report(.note("another kit run is using '\(c.name)' in '\(c.stackName)'; waiting for it to finish"))
        }
        defer { pairLock.release() }
        // The varfile/planfile stem `<stack>-<component>` is not injective: one pair per stem.
        if !inv.dryRun { try FileNameClaims(config: config).claim(files, stack: c.stackName, component: c.name) }
        // Names are encoded injectively in paths: state kept under the old layout is moved, never dropped.
        try LegacyStateLayout.check(c, files, backend: adaptation.backend ?? c.backend, config: config, fileSystem: fileSystem)
        // Nothing kit or terraform writes may be a link that sends the write elsewhere.
        for path in WriteTargets.paths(c, inv, files: files, sequence: seq) {
            if let reason = effects.redirection(at: path) {
                throw TerraformError.redirectedWrite(path: Paths.relative(path, to: config.basePath), reason: reason, component: c.name, stack: c.stackName)
            }
        }
        // The local state kit placed survives a full disk: a verified copy before, a check after.
        let stateGuard = LocalStateGuard(c, config: config)
        try stateGuard?.before(inv)

        var env = environment
        for (k, v) in seq.env { env[k] = v }
        let command = try processes.resolve(seq.command, env: env)
        // The local backend's state holds secrets in plain text: its folder is owner-only.
        if c.backendType == "local" { try? effects.makeDirectories(files.localStateDirectory) }
        defer { if c.backendType == "local" { effects.restrictStateFiles(in: files.localStateDirectory) } }
        var exitCode: Int32 = 0
        var planSummary: JSONValue = .null
        func finished() throws -> RunOutcome {
            try stateGuard?.after(inv)
            var o = outcome
            o.exitCode = exitCode
            o.planSummary = planSummary
            return o
        }
        // The reviewed planfile is kit's own temporary: removed however the run ends.
        var removals: [String] = seq.reviewPlanfile.map { [$0] } ?? []
        defer {
            for path in removals { effects.remove(path) }
        }
        for step in seq.steps {
            switch step {
            case .write(let path, let content, _):
                do { try effects.write(content, to: path, mode: 0o600) } catch {
                    throw TerraformError.writeFailed(path: Paths.relative(path, to: config.basePath), reason: "\(error)")
                }
            case .remove(let path):
                removals.append(path)
            case .mirror(let mirror):
                do { try effects.sync(mirror) } catch {
                    throw TerraformError.writeFailed(path: Paths.relative(mirror.workingDirectory, to: config.basePath), reason: "\(error)")
                }
            case .run(let args, let purpose):
                if effects.interrupts > signalsAtStart { throw RunInterrupted(component: c.name, stack: c.stackName) }
                if purpose == .initialize || (purpose == .main && args.first == "init") {
                    try effects.makeDirectories(files.dataDirectory)
                }
                // As atmos: the implicit init starts from `default`; a workspace selected by an earlier run that
                // the backend no longer has would make init prompt (and fail without a terminal).
                if purpose == .initialize { effects.remove(files.dataDirectory + "/environment") }
                if purpose == .applyReviewed && seq.needsApproval {
                    guard let approve else { throw TerraformError.approvalRequired(component: c.name, stack: c.stackName) }
                    guard approve() else { throw TerraformError.notApproved }
                }
                let capture = purpose == .showPlan || purpose == .workspace || (captureMain && purpose == .main)
                let result = try runLocked(purpose: purpose, env: env) {
                    try processes.run(command, args, cwd: seq.workingDirectory, env: env,
                                      stdout: capture ? .capture : .inherit, stderr: .inherit,
                                      nullStdin: nullStdin, keepDescriptor: pairLock.descriptor)
                }
                if purpose == .workspace {
                    // `select -or-create` printed nothing useful; show it only when it failed.
                    if result.status != 0 {
                        report(.warning(String(decoding: result.stdout, as: UTF8.self)))
                        exitCode = result.status
                        return try finished()
                    }
                    continue
                }
                if purpose == .main && captureMain { outcome.captured = result.stdout }
                if purpose == .showPlan {
                    guard result.status == 0 else { exitCode = result.status; return try finished() }
                    let plan: JSONValue
                    do { plan = try JSONValue.parse(bytes: result.stdout) } catch { throw TerraformError.invalidPlanJSON("\(error)") }
                    planSummary = PlanSummary.summarize(plan)
                    report(.note("plan for '\(c.name)' in '\(c.stackName)': \(PlanSummary.line(planSummary))"))
                    let found = try hooks.review(c, operation: inv.terraformSubcommand, plan: plan)
                    outcome.findings += found
                    do { outcome.overrideReason = try gate(found, c, inv) ?? outcome.overrideReason } catch {
                        if inv.terraformSubcommand == "plan" { effects.remove(inv.planfile.map { Paths.join(files.componentDirectory, $0) } ?? files.planfile) }
                        throw error
                    }
                    continue
                }
                if result.status != 0 && !(purpose == .main && result.status == 2 && inv.passThrough.contains("-detailed-exitcode")) {
                    exitCode = result.status
                    if purpose == .initialize { effects.remove(InitFingerprint.file(files)) }
                    _ = hooks.after(c, operation: inv.terraformSubcommand, exitCode: exitCode, planSummary: planSummary)
                    return try finished()
                }
                if purpose == .initialize || (purpose == .main && args.first == "init") {
                    try? effects.write(fingerprint, to: InitFingerprint.file(files), mode: 0o600)
                }
                if purpose == .main || purpose == .applyReviewed { exitCode = result.status }
                // Planfiles hold variable values: owner-only, like the varfile.
                for planfile in [files.planfile, seq.reviewPlanfile].compactMap({ $0 }) where fileSystem.exists(planfile) {
                    effects.restrict(planfile)
                }
            }
        }
        for f in hooks.after(c, operation: inv.terraformSubcommand, exitCode: exitCode, planSummary: planSummary) {
            report(.finding(f))
            outcome.findings.append(f)
        }
        // What a later destroy needs if the components this one reads are gone by then.
        if exitCode == 0 && !inv.dryRun && (inv.subcommand == .apply || inv.subcommand == .deploy) {
            let applied = AppliedInputs(config: config)
            do { try effects.write(AppliedInputs.document(c), to: applied.path(of: c), mode: 0o600) } catch {
                report(.warning("could not record the inputs of '\(c.name)' in '\(c.stackName)' for a later destroy: \(error)"))
            }
            // atmos's `hooks:` after apply (`store` hooks write outputs to a store through the plugins).
            if !c.hooks.isEmpty {
                let hooks = self.hooks, processes = self.processes
                try StoreHooks(component: c, stores: config.stores, environment: environment, plugins: { try hooks.plugins() },
                               readOutputs: {
                                   let r = try processes.run(command, ["output", "-json"], cwd: seq.workingDirectory, env: env,
                                                             stdout: .capture, stderr: .inherit, nullStdin: true,
                                                             keepDescriptor: pairLock.descriptor)
                                   guard r.status == 0 else { throw TerraformError.referenceReadFailed(component: c.name, stack: c.stackName, exitCode: r.status) }
                                   return try StoreHooks.outputValues(r.stdout)
                               }, report: report).run()
            }
        }
        return try finished()
    }

    /// Reports findings; error findings stop the run unless overridden (the override is reported and
    /// its reason returned, for the run record).
    func gate(_ findings: [Finding], _ c: ResolvedComponent, _ inv: TerraformInvocation) throws -> String? {
        for f in findings { report(.finding(f)) }
        let errors = findings.filter { $0.severity == .error }.count
        guard errors > 0 else { return nil }
        if let reason = inv.overrideGuardrails {
            report(.warning("\(errors) guardrail error(s) overridden for '\(c.name)' in '\(c.stackName)': \(reason)"))
            return reason
        }
        throw TerraformError.blockedByGuardrails(component: c.name, stack: c.stackName, count: errors)
    }

    /// Init with a shared plugin cache is serialised across kit processes (terraform's cache is not
    /// safe for concurrent inits); every other command runs unlocked.
    func runLocked(purpose: TerraformStep.Purpose, env: [String: String], _ body: () throws -> ProcessResult) throws -> ProcessResult {
        guard purpose == .initialize, let cache = env["TF_PLUGIN_CACHE_DIR"] else { return try body() }
        let lock = try effects.lockInit(cache: cache)
        defer { lock.release() }
        return try body()
    }
}
