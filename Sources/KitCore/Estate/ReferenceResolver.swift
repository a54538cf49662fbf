import Synchronization

/// Why a reference could not be evaluated.
public enum ReferenceError: Error, CustomStringConvertible {
    /// The referenced component has never been applied (no state to read).
    case noState(reference: String, site: String, from: InstanceID, target: InstanceID, detail: String)
    /// Reading or evaluating failed.
    case failed(reference: String, site: String, from: InstanceID, message: String)

    /// The component whose missing state blocks the reference.
    public var waitingOn: InstanceID? {
        if case .noState(_, _, _, let target, _) = self { return target }
        return nil
    }

    public var description: String {
        switch self {
        case .noState(let ref, let site, let from, let target, let detail):
            return "'\(ref)' in \(site) of '\(from.component)' in stack '\(from.stack)': component '\(target.component)' in stack '\(target.stack)' has no state yet (\(detail)) — apply it first ('kit terraform deploy \(target.component) -s \(target.stack)'), or deploy both with --all"
        case .failed(let ref, let site, let from, let message):
            return "'\(ref)' in \(site) of '\(from.component)' in stack '\(from.stack)': \(message)"
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

    final class Entry: Sendable {
        let value = Mutex<Result<[String: Value], Error>?>(nil)
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let counters = Mutex<(state: Int, output: Int)>((0, 0))

    public init(config: KitConfig, fileSystem: FileSystem = LocalFileSystem(), locate: @escaping Locate,
                readOutputJSON: @escaping ReadOutputJSON, readState: @escaping ReadState = { _ in nil }) {
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
    public func resolve(_ c: ResolvedComponent) throws -> ResolvedComponent {
        let sites = ReferenceScan.sites(in: c)
        guard !sites.isEmpty else { return c }
        let from = InstanceID(stack: c.stackName, component: c.name)
        var out = c
        out.vars = try replace(c.vars, section: "vars", from: from)
        out.env = try replace(c.env, section: "env", from: from)
        out.settings = try replace(c.settings, section: "settings", from: from)
        out.providers = try replace(c.providers, section: "providers", from: from)
        out.backend = try replace(c.backend, section: "backend", from: from)
        return out
    }

    func replace(_ section: [String: Value], section name: String, from: InstanceID) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, v) in section { out[k] = try replace(v, path: name + "." + k, from: from) }
        return out
    }

    func replace(_ v: Value, path: String, from: InstanceID) throws -> Value {
        switch v {
        case .string(let s):
            guard let (function, arguments) = ReferenceScan.parse(s) else { return v }
            return try evaluate(function: function, arguments: arguments, site: path, from: from)
        case .map(let m):
            var out: [String: Value] = [:]
            for (k, item) in m { out[k] = try replace(item, path: path + "." + k, from: from) }
            return .map(out)
        case .list(let l):
            return .list(try l.enumerated().map { i, item in try replace(item, path: path + "[\(i)]", from: from) })
        case .tagged(let tag, let inner):
            return .tagged(tag, try replace(inner, path: path, from: from))
        default:
            return v
        }
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
