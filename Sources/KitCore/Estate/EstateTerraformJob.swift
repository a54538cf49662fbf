import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// Runs one component of an estate exactly as `kit terraform <subcommand> <component> -s <stack>`
/// would: the same `ComponentPipeline` (functions, validation, references), then plugins, guardrails,
/// review, init skipping and the pair lock, with its output going to its own log.
public struct EstateTerraformJob: Sendable {
    public var graph: DependencyGraph
    /// The invocation every component gets (component and stack are filled in per job).
    public var invocation: TerraformInvocation
    public var config: KitConfig
    public var environment: [String: String]
    public var hooks: TerraformHooks
    /// Functions, validation and references: the same phases as a single run.
    public var pipeline: ComponentPipeline
    public var processes: ProcessRunning
    public var output: EstateOutput
    public var logOrder: LogOrder
    /// Told about each finished component (run records).
    public var finished: @Sendable (ResolvedComponent, TerraformInvocation, JobOutcome, RunOutcome?) -> Void
    /// `--drift`: a plan's exit 2 means the real infrastructure differs (status `drifted`).
    public var drift: Bool

    public init(graph: DependencyGraph, invocation: TerraformInvocation, config: KitConfig, environment: [String: String],
                hooks: TerraformHooks, pipeline: ComponentPipeline, processes: ProcessRunning,
                output: EstateOutput, logOrder: LogOrder, drift: Bool = false,
                finished: @escaping @Sendable (ResolvedComponent, TerraformInvocation, JobOutcome, RunOutcome?) -> Void) {
        self.graph = graph
        self.invocation = invocation
        self.config = config
        self.environment = environment
        self.hooks = hooks
        self.pipeline = pipeline
        self.processes = processes
        self.output = output
        self.logOrder = logOrder
        self.drift = drift
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
        // The values terraform got (functions evaluated, references read): what the plan text masks.
        var prepared = component
        // Plugin log lines of this job's calls go to its log; findings are kept for the summary even
        // when they stop the run (issue 19).
        let reported = ReportedFindings()
        let route = PluginLogRoute.enter { log.note($0.text(colour: false)) }
        defer { route.leave() }
        do {
            let c = try pipeline.prepare(component, for: inv, applied: AppliedInputs(config: config)) { log.note($0) }
            prepared = c.component
            var runner = TerraformRunner(config: config, processes: LoggedProcessRunner(base: processes, log: log),
                                         environment: environment, hooks: hooks, report: { event in
                                            reported.take(event)
                                            if case .dryRun(let text) = event { log.note(text) } else if let d = Diagnostic(event) { log.note(d.text(colour: false)) }
                                         })
            runner.nullStdin = true
            let outcome = try runner.execute(c, inv)
            runOutcome = outcome
            result = RunStatus.classify(outcome, inv, drift: drift)
        } catch let e as ReferenceError where e.waitingOn != nil && !inv.mutates {
            log.note("waiting: \(e)")
            result = JobOutcome(status: .waiting, message: "\(e)")
        } catch {
            log.note("error: \(error)")
            result = JobOutcome(status: .failed, exitCode: 1, findings: reported.all, message: UserText.firstLine("\(error)"))
        }
        result.counts = log.finish() ?? result.counts
        if inv.terraformSubcommand == "plan" || inv.terraformSubcommand == "apply" {
            let sensitive = SensitiveVariables().names(in: Paths.join(config.terraform.basePath, component.folder))
            result.plan = log.planText(masking: PlanText.secrets(of: prepared, raw: component, sensitiveNames: sensitive))
        }
        if result.counts == nil, let o = runOutcome { result.counts = PlanCounts.from(o.planSummary) }
        finished(component, inv, result, runOutcome)
        return result
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
