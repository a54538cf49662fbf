import Synchronization
import KitModel
import KitStacks

/// Why a reference could not be evaluated.
public enum ReferenceError: Error, CustomStringConvertible {
    /// The referenced component has never been applied (no state to read).
    case noState(reference: String, site: String, from: InstanceID, target: InstanceID, detail: String)
    /// Reading or evaluating failed.
    case failed(reference: String, site: String, from: InstanceID, message: String)
    /// A template deferred to the run (`atmos.Component … .outputs`) failed, at the template's
    /// position; `waitingOn` is the component whose missing state blocks it.
    case located(StackError, waitingOn: InstanceID?)

    /// The component whose missing state blocks the reference.
    public var waitingOn: InstanceID? {
        switch self {
        case .noState(_, _, _, let target, _): return target
        case .located(_, let target): return target
        case .failed: return nil
        }
    }

    public var description: String {
        switch self {
        case .noState(let ref, let site, let from, let target, let detail):
            return "'\(ref)' in \(site) of '\(from.component)' in stack '\(from.stack)': component '\(target.component)' in stack '\(target.stack)' has no state yet (\(detail)) — apply it first ('kit terraform deploy \(target.component) -s \(target.stack)'), or deploy both with --all"
        case .failed(let ref, let site, let from, let message):
            return "'\(ref)' in \(site) of '\(from.component)' in stack '\(from.stack)': \(message)"
        case .located(let error, _):
            return "\(error)"
        }
    }
}

/// Evaluates `!terraform.state` and `!terraform.output` values in a component's sections.
///
/// `!terraform.state` reads the state document straight from the backend: for the local backend
/// the kernel reads the file; for other backends it asks `readState` (a provider plugin's
/// `read_state`, e.g. S3 through the AWS plugin) and, when that has no answer, terraform (`output
/// -json` in the dependency's working directory). `!terraform.output` always asks terraform. Each distinct
/// (kind, stack, component) is read once per kit run, however many components refer to it; every
/// reference then evaluates its expression on the cached outputs.
///
/// Values whose template reads another component's outputs (`{{ (atmos.Component "vpc" .stack).outputs.id }}`,
/// kept as a `DeferredTemplate` while stacks resolve) are rendered here, with `outputs` read like
/// `!terraform.state` (the same cache), so each component's state is still read once per run.
public final class ReferenceResolver: Sendable {
    /// Finds a referenced component.
    public typealias Locate = @Sendable (_ component: String, _ stack: String) throws -> ResolvedComponent
    /// `terraform output -json` for a component (init and workspace handled by the caller).
    public typealias ReadOutputJSON = @Sendable (ResolvedComponent) throws -> [UInt8]
    /// The state document from the component's backend, or nil when nothing can read that backend.
    public typealias ReadState = @Sendable (ResolvedComponent) throws -> StateReadResult?

    let config: KitConfig
    let fileSystem: FileSystem
    let locate: Locate
    let readOutputJSON: ReadOutputJSON
    let readState: ReadState
    let templates: TemplateRendering?

    final class Entry: Sendable {
        let value = Mutex<Result<[String: Value], Error>?>(nil)
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let counters = Mutex<(state: Int, output: Int)>((0, 0))
    private let located = Mutex<[String: ResolvedComponent]>([:])

    /// `templates` renders deferred templates (the catalog's renderer); nil: a deferred template is an error.
    public init(config: KitConfig, fileSystem: FileSystem = LocalFileSystem(), locate: @escaping Locate,
                readOutputJSON: @escaping ReadOutputJSON, readState: @escaping ReadState = { _ in nil },
                templates: TemplateRendering? = nil) {
        self.templates = templates
        self.config = config
        self.fileSystem = fileSystem
        self.locate = locate
        self.readOutputJSON = readOutputJSON
        self.readState = readState
    }

    /// How many state documents (local files and plugin reads) and `output -json` results were read
    /// (cache misses).
    public var reads: (state: Int, output: Int) { counters.withLock { $0 } }

    /// The component with every reference replaced by its value.
    public func resolve(_ c: ResolvedComponent) throws -> ResolvedComponent { try resolve(c, chain: []) }

    /// `chain`: the components whose deferred templates are reading `c` (cycle detection).
    func resolve(_ c: ResolvedComponent, chain: [InstanceID]) throws -> ResolvedComponent {
        let sites = ReferenceScan.sites(in: c)
        guard !sites.isEmpty else { return c }
        let scope = Scope(component: c, chain: chain)
        var out = c
        try out.rewrite(ComponentSection.referenced) { v, at in try replace(v, path: at.text, scope) }
        return out
    }

    /// The component whose values are being replaced, and who is reading it.
    struct Scope {
        let component: ResolvedComponent
        let chain: [InstanceID]
        var from: InstanceID { InstanceID(stack: component.stackName, component: component.name) }
    }

    /// The value of a reference or deferred template at `path`; nil for anything else (the walk
    /// keeps scalars and descends into maps, lists and other tagged values).
    func replace(_ v: Value, path: String, _ scope: Scope) throws -> Value? {
        switch v {
        case .string(let s):
            guard let (function, arguments) = ReferenceScan.parse(s) else { return nil }
            return try evaluate(function: function, arguments: arguments, site: path, from: scope.from)
        case .tagged:
            guard let text = DeferredTemplate.text(of: v) else { return nil }
            let c = scope.component
            return try render(text, at: c.deferredTemplateLocations[path] ?? SourceLocation(file: c.stackFileID), path: path, scope)
        default:
            return nil
        }
    }

    /// A deferred template rendered now, `atmos.Component` reading through this resolver.
    func render(_ text: String, at location: SourceLocation, path: String, _ scope: Scope) throws -> Value {
        let from = scope.from
        let context = "\(UserText.quoted(path)) of component \(UserText.quoted(from.component)) in stack \(UserText.quoted(from.stack))"
        guard let templates else {
            throw StackError.template(location, message: "\(context): no template renderer to read another component's outputs with")
        }
        let lookup = RunComponentLookup(resolver: self, from: from, chain: scope.chain + [from], site: path)
        let rendered: String
        do {
            let extras = TemplateRenderExtras(datasources: ComponentTemplates.datasources(for: scope.component, config: config),
                                              absentKeys: scope.component.integrationAbsentKeys, components: lookup)
            rendered = try templates.render(text, name: path, data: ComponentTemplates.data(for: scope.component),
                                            ignoreMissing: config.ignoreMissingTemplateValues, extras: extras)
        } catch let e as ReferenceError {
            switch e {
            case .located: throw e
            case .noState(_, _, _, let target, let detail):
                throw ReferenceError.located(.template(location, message: "\(context): atmos.Component: component '\(target.component)' in stack '\(target.stack)' has no state yet (\(detail)) — apply it first ('kit terraform deploy \(target.component) -s \(target.stack)'), or deploy both with --all"), waitingOn: target)
            case .failed(_, _, _, let message):
                throw ReferenceError.located(.template(location, message: "\(context): atmos.Component: \(message)"), waitingOn: nil)
            }
        } catch let cycle as ComponentReadCycle {
            throw StackError.template(location, message: "\(context): \(cycle)")
        } catch {
            throw TemplateLocation.error(error, file: location.file, start: location.mark, context: context)
        }
        // The template was the argument of a YAML function (`!template '{{ toJson (atmos.Component …).outputs.x }}'`):
        // evaluate it now, as the resolve-time pass would have.
        guard let fn = YAMLFunctionEvaluator.function(in: rendered) else { return .string(rendered) }
        let rest = String(rendered.dropFirst(fn.count)).trimmingWhitespace()
        switch fn {
        case "!template":
            return YAMLFunctionEvaluator.decodeOutput(rest)
        case "!terraform.state", "!terraform.output":
            return try evaluate(function: String(fn.dropFirst()), arguments: rest, site: path, from: from)
        default:
            throw StackError.template(location, message: "\(context): \(UserText.quoted(fn)) around a template that reads another component's outputs is not evaluated — use '!template' or a plain template")
        }
    }

    /// A referenced component, found once per run.
    func component(_ name: String, stack: String) throws -> ResolvedComponent {
        let key = "\(stack)\u{0}\(name)"
        if let hit = located.withLock({ $0[key] }) { return hit }
        let found = try locate(name, stack)
        located.withLock { $0[key] = found }
        return found
    }

    func evaluate(function: String, arguments: String, site: String, from: InstanceID) throws -> Value {
        let text = "!\(function) \(arguments)"
        let ref: TerraformReference
        do { ref = try TerraformReference.parse(function: function, arguments: arguments) } catch {
            throw ReferenceError.failed(reference: text, site: site, from: from, message: "\(error)")
        }
        let target = InstanceID(stack: ref.stack ?? from.stack, component: ref.component)
        let outputs = try outputs(ref.kind, target, text: text, site: site, from: from)
        do { return try ref.evaluate(outputs: outputs, currentStack: from.stack) } catch {
            throw ReferenceError.failed(reference: text, site: site, from: from, message: "\(error)")
        }
    }

    func outputs(_ kind: TerraformReference.Kind, _ target: InstanceID, text: String, site: String, from: InstanceID) throws -> [String: Value] {
        let key = "\(kind.rawValue)\u{0}\(target.stack)\u{0}\(target.component)"
        let entry = entries.withLock { e -> Entry in
            if let found = e[key] { return found }
            let made = Entry()
            e[key] = made
            return made
        }
        // One reader per key; others wait for its result.
        let result = entry.value.withLock { cached -> Result<[String: Value], Error> in
            if let cached { return cached }
            let r = Result { try read(kind, target) }
            cached = r
            return r
        }
        do { return try result.get() } catch let e as NoState {
            throw ReferenceError.noState(reference: text, site: site, from: from, target: target, detail: e.detail)
        } catch {
            throw ReferenceError.failed(reference: text, site: site, from: from, message: "\(error)")
        }
    }

    struct NoState: Error { var detail: String }

    func read(_ kind: TerraformReference.Kind, _ target: InstanceID) throws -> [String: Value] {
        let c = try locate(target.component, target.stack)
        if kind == .state && c.backendType == "local" {
            counters.withLock { $0.state += 1 }
            let path = Self.localStatePath(c, config: config)
            guard fileSystem.exists(path) else { throw NoState(detail: "'\(Paths.relative(path, to: config.basePath))' does not exist") }
            return try TerraformOutputs.fromState(try fileSystem.read(path))
        }
        if kind == .state, let result = try readState(c) {
            counters.withLock { $0.state += 1 }
            switch result {
            case .state(let document):
                // As with `output -json`: a workspace that has been created (terraform writes an empty
                // state object for it) but never applied has no outputs yet.
                let outputs = try TerraformOutputs.fromState(document.serializedBytes())
                if outputs.isEmpty { throw NoState(detail: "its state has no outputs") }
                return outputs
            case .missing(let detail): throw NoState(detail: detail)
            }
        }
        counters.withLock { $0.output += 1 }
        let bytes = try readOutputJSON(c)
        let outputs = try TerraformOutputs.fromOutputJSON(bytes)
        if outputs.isEmpty { throw NoState(detail: "terraform reports no outputs") }
        return outputs
    }

    /// Where the local backend keeps a component's state for its workspace (terraform's rules, with
    /// kit's defaults for `path` and `workspace_dir`).
    public static func localStatePath(_ c: ResolvedComponent, config: KitConfig) -> String {
        let files = WorkingFiles(component: c, config: config)
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : Paths.join(files.workingDirectory, p) }
        if c.workspace.isEmpty || c.workspace == "default" {
            return absolute(c.backend["path"]?.stringValue ?? files.localStateDirectory + "/terraform.tfstate")
        }
        let dir = absolute(c.backend["workspace_dir"]?.stringValue ?? files.localStateDirectory + "/workspaces")
        return dir + "/" + c.workspace + "/terraform.tfstate"
    }
}

/// `atmos.Component` in a template rendered at run time: sections as resolved, `outputs` read like
/// `!terraform.state` through the resolver's cache, values that are references evaluated on demand.
struct RunComponentLookup: TemplateComponentLookup {
    let resolver: ReferenceResolver
    /// The component whose template is rendering.
    let from: InstanceID
    /// The components whose templates are reading, `from` last.
    let chain: [InstanceID]
    /// Where the template sits in `from`, e.g. `vars.vpc_id`.
    let site: String

    func component(_ name: String, stack: String) throws -> TemplateComponent {
        let target = try resolver.component(name, stack: stack)
        let id = InstanceID(stack: target.stackName, component: target.name)
        try ComponentReadCycle.check(chain, reading: id)
        let text = "atmos.Component \"\(name)\" \"\(stack)\""
        let (resolver, from, chain, site) = (resolver, from, chain, site)
        return TemplateComponent(component: target.name, stack: target.stackName, sections: ComponentDocument.sections(target),
                                 outputs: { try resolver.outputs(.state, id, text: text, site: site, from: from) },
                                 resolvedSections: { ComponentDocument.sections(try resolver.resolve(target, chain: chain)) },
                                 isUnresolved: DeferredTemplate.isUnresolved)
    }
}
