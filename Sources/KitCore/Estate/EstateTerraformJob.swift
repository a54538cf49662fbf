import KitPluginSDK

/// Runs one component of an estate exactly as `kit terraform <subcommand> <component> -s <stack>`
/// would (plugins, guardrails, review, init skipping, the pair lock), with its references evaluated
/// first and its output going to its own log.
public struct EstateTerraformJob: Sendable {
    public var graph: DependencyGraph
    /// The invocation every component gets (component and stack are filled in per job).
    public var invocation: TerraformInvocation
    public var config: KitConfig
    public var environment: [String: String]
    public var hooks: @Sendable () -> TerraformHooks
    public var references: ReferenceResolver
    public var processes: ProcessRunning
    public var output: EstateOutput
    public var logOrder: LogOrder
    /// Checks a component before it runs (`settings.validation`); throws to fail it.
    public var check: (@Sendable (ResolvedComponent) throws -> Void)?
    /// Told about each finished component (run records).
    public var finished: @Sendable (ResolvedComponent, TerraformInvocation, JobOutcome, RunOutcome?) -> Void
    /// `--drift`: a plan's exit 2 means the real infrastructure differs (status `drifted`).
    public var drift = false

    public init(graph: DependencyGraph, invocation: TerraformInvocation, config: KitConfig, environment: [String: String],
                hooks: @escaping @Sendable () -> TerraformHooks, references: ReferenceResolver, processes: ProcessRunning,
                output: EstateOutput, logOrder: LogOrder,
                finished: @escaping @Sendable (ResolvedComponent, TerraformInvocation, JobOutcome, RunOutcome?) -> Void) {
        self.graph = graph
        self.invocation = invocation
        self.config = config
        self.environment = environment
        self.hooks = hooks
        self.references = references
        self.processes = processes
        self.output = output
        self.logOrder = logOrder
        self.finished = finished
    }

    /// Runs the job for `id`.
    public func run(_ id: InstanceID) -> JobOutcome {
        var inv = invocation
        inv.component = id.component
        inv.stack = id.stack
        inv.estate = nil
        guard let component = graph.instances[id] else {
            return JobOutcome(status: .failed, exitCode: 1, message: "'\(id.component)' is not in stack '\(id.stack)'")
        }
        let log: ComponentLog
        do { log = try ComponentLog(id: id, order: logOrder, output: output) } catch {
            return JobOutcome(status: .failed, exitCode: 1, message: "\(error)")
        }
        var runOutcome: RunOutcome?
        var result: JobOutcome
        // Plugin log lines of this job's calls go to its log; findings are kept for the summary even
        // when they stop the run (issue 19).
        let reported = ReportedFindings()
        let route = PluginLogRoute.enter { log.note($0.text(colour: false)) }
        defer { route.leave() }
        do {
            try check?(component)
            let c = inv.dryRun ? component : try references.resolve(component)
            var runner = TerraformRunner(config: config, processes: LoggedProcessRunner(base: processes, log: log),
                                         environment: environment, hooks: hooks(), report: { event in
                                            reported.take(event)
                                            if case .dryRun(let text) = event { log.note(text) } else if let d = Diagnostic(event) { log.note(d.text(colour: false)) }
                                         })
            runner.nullStdin = true
            let outcome = try runner.execute(c, inv)
            runOutcome = outcome
            result = Self.classify(outcome, inv)
            if drift && result.status == .changes { result.status = .drifted }
        } catch let e as ReferenceError where e.waitingOn != nil && !inv.mutates {
            log.note("waiting: \(e)")
            result = JobOutcome(status: .waiting, message: "\(e)")
        } catch {
            log.note("error: \(error)")
            result = JobOutcome(status: .failed, exitCode: 1, findings: reported.all, message: Self.firstLine("\(error)"))
        }
        result.counts = log.finish() ?? result.counts
        if inv.terraformSubcommand == "plan" || inv.terraformSubcommand == "apply" {
            let sensitive = SensitiveVariables().names(in: Paths.join(config.terraform.basePath, component.folder))
            result.plan = log.planText(masking: PlanText.secrets(of: component, sensitiveNames: sensitive))
        }
        if result.counts == nil, let o = runOutcome { result.counts = PlanCounts.from(o.planSummary) }
        finished(component, inv, result, runOutcome)
        return result
    }

    static func classify(_ o: RunOutcome, _ inv: TerraformInvocation) -> JobOutcome {
        if o.skippedDisabled { return JobOutcome(status: .disabled, message: "metadata.enabled is false") }
        if o.dryRunText != nil { return JobOutcome(status: .dryRun, findings: o.findings) }
        switch o.exitCode {
        case 0: return JobOutcome(status: .succeeded, findings: o.findings)
        case 2 where inv.passThrough.contains("-detailed-exitcode"):
            return JobOutcome(status: .changes, exitCode: 2, findings: o.findings)
        default:
            return JobOutcome(status: .failed, exitCode: o.exitCode, findings: o.findings, message: "terraform exited with \(o.exitCode)")
        }
    }

    static func firstLine(_ s: String) -> String {
        let line = s.split(separator: "\n").first.map(String.init) ?? s
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}

/// Change counts from a reviewed plan's summary (`PlanSummary.summarize`).
enum PlanCounts {
    static func from(_ summary: JSONValue) -> ChangeCounts? {
        guard let a = summary["add"]?.intValue, let c = summary["change"]?.intValue, let d = summary["destroy"]?.intValue else { return nil }
        let r = summary["replace"]?.intValue ?? 0
        return ChangeCounts(add: a + r, change: c, destroy: d + r)
    }
}
