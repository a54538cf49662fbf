import KitModel
import KitStacks
/// The phases a component moves through before terraform runs, one type each:
///
///     ResolvedComponent     imports, deep merge, inheritance, naming, templates (`StackCatalog`)
///       → EvaluatedComponent  YAML functions (`!env`, `!exec`, `!template`, …)
///       → ValidatedComponent  `settings.validation` (JSON Schema; OPA reported, never silently passed)
///       → RunnableComponent   `!terraform.state`/`!terraform.output` and deferred `atmos.Component` reads
///
/// Only `ComponentPipeline` (this file) can make the later three, and `TerraformRunner` accepts only a
/// `RunnableComponent`: a command path that forgets a phase does not compile. Single runs, estate jobs,
/// `generate`, `describe` and the reference reader all go through the same pipeline value, built once
/// per process by `KitSession`.

/// A component whose YAML functions are evaluated.
public struct EvaluatedComponent: Sendable {
    /// The component's values, functions replaced by their results.
    public let component: ResolvedComponent
    fileprivate init(_ c: ResolvedComponent) { component = c }
}

/// An evaluated component that passed `settings.validation` (or was deliberately not validated, see
/// `ComponentPipeline.Validation`).
public struct ValidatedComponent: Sendable {
    public let component: ResolvedComponent
    fileprivate init(_ c: ResolvedComponent) { component = c }
}

/// A component terraform may run: every value computed, references to other components' state read
/// (or, for a dry run, deliberately left as written: a dry run never reads state).
public struct RunnableComponent: Sendable {
    public let component: ResolvedComponent
    /// True when references were left unread (dry runs): the files show the reference text.
    public let referencesUnread: Bool
    fileprivate init(_ c: ResolvedComponent, referencesUnread: Bool) {
        component = c
        self.referencesUnread = referencesUnread
    }
}

/// Moves components through the phases. Immutable; built by `KitSession` with every collaborator.
public struct ComponentPipeline: Sendable {
    /// Whether `validated` checks `settings.validation` (terraform runs do; `generate` and `review`
    /// do not, as in atmos).
    public enum Validation: Sendable { case check, skip }

    /// Evaluates YAML functions (the catalog's evaluator, so `atmos.Component` reads see the same values).
    let evaluate: @Sendable (ResolvedComponent) throws -> ResolvedComponent
    /// `settings.validation`.
    let validation: ComponentValidation?
    /// Where validation warnings go.
    let diagnostics: DiagnosticSink
    /// Reads other components' state and outputs.
    let references: ReferenceResolver?

    /// A pipeline over the given phase implementations. `evaluate` nil: values stay as written
    /// (unit tests of later phases); `validation` nil: nothing to validate; `references` nil: a
    /// reference is an error when a component needs one.
    public init(evaluate: (@Sendable (ResolvedComponent) throws -> ResolvedComponent)?, validation: ComponentValidation?,
                diagnostics: DiagnosticSink, references: ReferenceResolver?) {
        self.evaluate = evaluate ?? { $0 }
        self.validation = validation
        self.diagnostics = diagnostics
        self.references = references
    }

    /// A pipeline that evaluates nothing, validates nothing and reads no state: for unit tests of
    /// the runner and of argument building.
    public static func bare(diagnostics: DiagnosticSink = DiscardingSink()) -> ComponentPipeline {
        ComponentPipeline(evaluate: nil, validation: nil, diagnostics: diagnostics, references: nil)
    }

    /// How many state documents and `output -json` results the reference phase read (cache misses).
    public var referenceReads: (state: Int, output: Int) { references?.reads ?? (0, 0) }

    /// Phase 3: YAML functions.
    public func evaluated(_ c: ResolvedComponent) throws -> EvaluatedComponent {
        EvaluatedComponent(try evaluate(c))
    }

    /// Phase 4: `settings.validation`; warnings go to the sink, errors are thrown.
    public func validated(_ e: EvaluatedComponent, _ validation: Validation = .check) throws -> ValidatedComponent {
        let c = e.component
        if validation == .check, let check = self.validation {
            let report = check.validate(c)
            for w in report.warnings { diagnostics.emit(w) }
            for e in report.errors { diagnostics.emit(e) }
            if !report.errors.isEmpty {
                throw StackError.validationFailed(component: c.name, stack: c.stackName, problems: report.errors.map(\.message))
            }
        }
        return ValidatedComponent(c)
    }

    /// Phase 5: references read (`readReferences: false` for dry runs, which never read state).
    public func runnable(_ v: ValidatedComponent, readReferences: Bool) throws -> RunnableComponent {
        guard readReferences else { return RunnableComponent(v.component, referencesUnread: true) }
        guard let references else {
            if ReferenceScan.sites(in: v.component).isEmpty { return RunnableComponent(v.component, referencesUnread: false) }
            throw TerraformError.referencesUnavailable(component: v.component.name, stack: v.component.stackName)
        }
        return RunnableComponent(try references.resolve(v.component), referencesUnread: false)
    }

    /// Every phase for a terraform run of `c`: what single runs and estate jobs both call.
    public func prepare(_ c: ResolvedComponent, validation: Validation = .check, readReferences: Bool) throws -> RunnableComponent {
        try runnable(validated(evaluated(c), validation), readReferences: readReferences)
    }

    /// Every phase for a terraform run of `c` as `inv` asks. A destroy needs the inputs the component
    /// was applied with: when a reference cannot be read (the component it reads was destroyed first,
    /// or has no state), the inputs recorded at this component's last successful apply are used and
    /// `note` says so; without a record the reference error stands.
    public func prepare(_ c: ResolvedComponent, for inv: TerraformInvocation, applied: AppliedInputs,
                        note: (String) -> Void) throws -> RunnableComponent {
        guard inv.terraformSubcommand == "destroy" && !inv.dryRun else {
            return try prepare(c, validation: inv.validation, readReferences: !inv.dryRun)
        }
        let v = try validated(evaluated(c), inv.validation)
        do {
            return try runnable(v, readReferences: true)
        } catch let e as ReferenceError {
            guard let vars = applied.vars(of: v.component) else { throw e }
            note("destroying '\(c.name)' in '\(c.stackName)' with the inputs recorded at its last successful apply "
                 + "(\(Paths.relative(applied.path(of: v.component), to: applied.config.basePath))): a reference could not be read — \(UserText.firstLine("\(e)"))")
            var component = v.component
            component.vars = vars
            // `!secret` values are never recorded: they come from this evaluation.
            for name in v.component.secretVars { component.vars[name] = v.component.vars[name] }
            return RunnableComponent(component, referencesUnread: false)
        }
    }

    /// A dependency about to be read with `terraform output`: functions evaluated (its backend and
    /// workspace may use them), not validated (reading is not running), its own references not read
    /// (`output` needs none of its variables).
    package func forOutputRead(_ c: ResolvedComponent) throws -> RunnableComponent {
        RunnableComponent(try evaluate(c), referencesUnread: true)
    }
}

/// A sink that drops every diagnostic (unit tests that do not look at them).
public struct DiscardingSink: DiagnosticSink {
    public init() {}
    public func emit(_ diagnostic: Diagnostic) {}
}
