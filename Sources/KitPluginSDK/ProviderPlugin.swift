/// How severe a finding is. `error` stops the operation (before terraform in `adapt`, before apply
/// in `review`) unless the user passes the recorded override flag.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    /// Reported; never stops anything.
    case info
    /// Reported, and counted in summaries; never stops anything.
    case warning
    /// Stops the operation unless the user passes the override flag.
    case error

    /// Order: info < warning < error.
    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.info, .warning, .error]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// One guardrail result.
///
/// Wire form: `{"severity": "error|warning|info", "policy": "aws.rds.production", "message": "…",
/// "path": "vars.multi_az" or a resource address, "hint": "…"}` (`path` and `hint` optional).
public struct Finding: Equatable, Sendable {
    /// error, warning or info.
    public var severity: Severity
    /// The policy id, e.g. `aws.tags.required`.
    public var policy: String
    /// What is wrong, in one sentence, lowercase, user values in single quotes.
    public var message: String
    /// Where: a configuration path (`vars.multi_az`) or a resource address (`aws_db_instance.main`).
    public var path: String?
    /// What to do about it.
    public var hint: String?

    /// Creates a finding; `path` and `hint` are optional.
    public init(severity: Severity, policy: String, message: String, path: String? = nil, hint: String? = nil) {
        self.severity = severity
        self.policy = policy
        self.message = message
        self.path = path
        self.hint = hint
    }
}

/// A policy a plugin offers, as listed by `describe` and `kit plugin info`.
public struct PolicyInfo: Equatable, Sendable {
    /// The policy id, e.g. `aws.rds.production`.
    public var id: String
    /// One line saying what it checks.
    public var summary: String
    /// Its severity unless `settings.kit.policies.<id>` says otherwise.
    public var defaultSeverity: Severity

    /// Creates a policy entry for `describe`.
    public init(id: String, summary: String, defaultSeverity: Severity) {
        self.id = id
        self.summary = summary
        self.defaultSeverity = defaultSeverity
    }
}

/// The answer to `describe`: who the plugin is and what it handles.
public struct PluginDescription: Equatable, Sendable {
    /// The plugin's name, e.g. `aws`; components select it with `settings.kit.providers: [aws]`.
    public var name: String
    /// The plugin's own version.
    public var version: String
    /// Backend types it answers for, e.g. `["s3"]`.
    public var backendTypes: [String]
    /// Terraform providers it configures, e.g. `["aws"]`.
    public var providers: [String]
    /// The policies it offers.
    public var policies: [PolicyInfo]
    /// A JSON Schema for its `settings.kit.<name>` block.
    public var settingsSchema: JSONValue

    /// Creates a description; the settings schema defaults to `{}` (any settings object).
    public init(name: String, version: String, backendTypes: [String], providers: [String],
                policies: [PolicyInfo], settingsSchema: JSONValue = .object([:])) {
        self.name = name
        self.version = version
        self.backendTypes = backendTypes
        self.providers = providers
        self.policies = policies
        self.settingsSchema = settingsSchema
    }
}

/// The operation kit is about to run (or has run): init, plan, apply, destroy, output, validate, …
public typealias Operation = String

/// `adapt`: shape a terraform run for one component in one stack.
public struct AdaptRequest: Sendable {
    /// The terraform subcommand, e.g. `plan`, `apply`, `destroy`.
    public var operation: Operation
    /// The resolved component: the same document `kit describe component` prints (vars, settings,
    /// env, backend_type, backend, providers, metadata, workspace, atmos_stack, …).
    public var component: JSONValue
    /// The stack name as selected with `-s`.
    public var stack: String
    /// The terraform workspace kit will select.
    public var workspace: String
    /// True when running in CI (`CI` set in the environment).
    public var ci: Bool

    /// Creates a request (kit builds these; tests and `KitPluginTesting` do too).
    public init(operation: Operation, component: JSONValue, stack: String, workspace: String, ci: Bool) {
        self.operation = operation
        self.component = component
        self.stack = stack
        self.workspace = workspace
        self.ci = ci
    }
}

/// One environment variable for terraform. Secret values are masked in every log kit writes.
public struct EnvVar: Equatable, Sendable {
    /// The variable's name, e.g. `AWS_PROFILE`.
    public var name: String
    /// Its value.
    public var value: String
    /// True when the value must never be shown: kit prints `***` in its place.
    public var secret: Bool

    /// Creates a variable; not secret unless you say so.
    public init(name: String, value: String, secret: Bool = false) {
        self.name = name
        self.value = value
        self.secret = secret
    }
}

/// The answer to `adapt`. Every field is optional: a plugin answers only what it knows.
public struct AdaptResponse: Equatable, Sendable {
    /// The body of `terraform { backend "<type>" { … } }`, complete (kit writes it as given), or nil.
    public var backend: JSONValue?
    /// Variables for terraform's environment.
    public var env: [EnvVar]
    /// Provider configuration merged into `providers_override.tf.json` (`{"aws": {...}}`), or nil.
    public var providersOverride: JSONValue?
    /// Extra arguments appended to the terraform subcommand.
    public var args: [String]
    /// Guardrail findings on the configuration.
    public var findings: [Finding]

    /// Creates an answer; every field defaults to "nothing to add".
    public init(backend: JSONValue? = nil, env: [EnvVar] = [], providersOverride: JSONValue? = nil,
                args: [String] = [], findings: [Finding] = []) {
        self.backend = backend
        self.env = env
        self.providersOverride = providersOverride
        self.args = args
        self.findings = findings
    }
}

/// `review`: check a plan before it is applied.
public struct ReviewRequest: Sendable {
    /// The operation the plan is for (`apply`, `destroy`, …).
    public var operation: Operation
    /// The resolved component (as in `AdaptRequest`).
    public var component: JSONValue
    /// terraform's `show -json` document of the planfile (`resource_changes`, `planned_values`, …).
    public var plan: JSONValue

    /// Creates a request.
    public init(operation: Operation, component: JSONValue, plan: JSONValue) {
        self.operation = operation
        self.component = component
        self.plan = plan
    }
}

/// `validate`: check a component's configuration with no terraform run.
public struct ValidateRequest: Sendable {
    /// The resolved component (as in `AdaptRequest`).
    public var component: JSONValue

    /// Creates a request.
    public init(component: JSONValue) { self.component = component }
}

/// `after`: told once the terraform command has finished.
public struct AfterRequest: Sendable {
    /// The operation that ran.
    public var operation: Operation
    /// terraform's exit code.
    public var exitCode: Int
    /// A plan summary `{"add": n, "change": n, "destroy": n}` when one is known, else null.
    public var planSummary: JSONValue

    /// Creates a request.
    public init(operation: Operation, exitCode: Int, planSummary: JSONValue) {
        self.operation = operation
        self.exitCode = exitCode
        self.planSummary = planSummary
    }
}

/// Streams events to kit during one call (log lines, progress). Valid only during that call.
public protocol PluginEventSink {
    /// Sends one event, e.g. `{"event": "log", "level": "info", "message": "…"}`.
    func emit(_ event: JSONValue)
}

/// What a provider plugin implements. Export it with `KitPluginExport` (see `Export.swift`).
///
/// Every method runs off kit's concurrency pool and may block. Throw `PluginError` for a failure
/// the user should see; its code, message and hint reach them unchanged.
public protocol ProviderPlugin {
    /// Creates the plugin; called once, when the library is first used.
    init()
    /// Who the plugin is and what it handles.
    func describe() -> PluginDescription
    /// Shapes backend, environment, provider overrides and arguments; may return findings.
    func adapt(_ request: AdaptRequest, events: PluginEventSink) throws -> AdaptResponse
    /// Reviews a plan; returns findings.
    func review(_ request: ReviewRequest, events: PluginEventSink) throws -> [Finding]
    /// Checks a configuration; returns findings.
    func validate(_ request: ValidateRequest, events: PluginEventSink) throws -> [Finding]
    /// Told when the command finished; may return findings or notes.
    func after(_ request: AfterRequest, events: PluginEventSink) throws -> [Finding]
    /// Reads a component's state document from its backend without terraform (ABI 1.1).
    func readState(_ request: ReadStateRequest, events: PluginEventSink) throws -> ReadStateResponse
    /// Brings a vendored source from the provider's storage (optional op `fetch_source`).
    func fetchSource(_ request: FetchSourceRequest, events: PluginEventSink) throws -> FetchSourceResponse
    /// Reads or writes one value of a configured store (optional op `store`).
    func store(_ request: StoreRequest, events: PluginEventSink) throws -> StoreResponse
    /// Evaluates a provider YAML function such as `!aws.account_id` (optional op `function`).
    func function(_ request: FunctionRequest, events: PluginEventSink) throws -> JSONValue
}

extension ProviderPlugin {
    /// Default: no findings.
    public func review(_ request: ReviewRequest, events: PluginEventSink) throws -> [Finding] { [] }
    /// Default: no findings.
    public func validate(_ request: ValidateRequest, events: PluginEventSink) throws -> [Finding] { [] }
    /// Default: no findings.
    public func after(_ request: AfterRequest, events: PluginEventSink) throws -> [Finding] { [] }
    /// Default: throws `PluginError.unsupportedOp` (code `unsupported_op`); kit then asks terraform.
    public func readState(_ request: ReadStateRequest, events: PluginEventSink) throws -> ReadStateResponse {
        throw PluginError.unsupportedOp("read_state", reason: "this plugin does not read '\(request.backendType)' state")
    }
    /// Default: throws `PluginError.unsupportedOp`; kit asks the next plugin.
    public func fetchSource(_ request: FetchSourceRequest, events: PluginEventSink) throws -> FetchSourceResponse {
        throw PluginError.unsupportedOp("fetch_source", reason: "this plugin does not serve vendor sources")
    }
    /// Default: throws `PluginError.unsupportedOp`; kit asks the next plugin.
    public func store(_ request: StoreRequest, events: PluginEventSink) throws -> StoreResponse {
        throw PluginError.unsupportedOp("store", reason: "this plugin serves no '\(request.kind)' stores")
    }
    /// Default: throws `PluginError.unsupportedOp`; kit asks the next plugin.
    public func function(_ request: FunctionRequest, events: PluginEventSink) throws -> JSONValue {
        throw PluginError.unsupportedOp("function", reason: "this plugin does not evaluate '\(request.name)'")
    }
}

/// An error a plugin reports to kit: `{"ok": false, "error": {"code", "message", "hint"}}`.
public struct PluginError: Error, Equatable, Sendable {
    /// A stable, machine-readable code, e.g. `aws.region_missing` (kit's own: `bad_request`,
    /// `unsupported_op`, `internal`).
    public var code: String
    /// What went wrong, in one sentence; shown to the user as is.
    public var message: String
    /// What to do about it, or nil.
    public var hint: String?

    /// Creates an error.
    public init(code: String, message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }
}
