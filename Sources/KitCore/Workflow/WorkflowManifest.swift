import Foundation
import KitModel
import KitStacks
import KitTerraform

/// One step of an atmos workflow.
public struct WorkflowStep: Sendable, Equatable {
    /// `name:`, or `step<N>` (1-based) as atmos names unnamed steps.
    public var name: String
    /// `command:` — kit arguments (`terraform plan vpc`) for `atmos` steps, shell text for `shell` steps;
    /// empty for `env` steps.
    public var command: String
    /// `type:` — `atmos` (the default), `shell`, or `env` (sets variables for the steps after it).
    public var type: Kind
    /// `stack:` of the step (overrides the workflow's).
    public var stack: String?
    /// `env:` of the step (over the workflow's).
    public var env: [String: String]
    /// Where the step is written.
    public var location: SourceLocation
    /// `vars:` of an `env` step: set for every later step.
    public var vars: [String: String] = [:]
    /// `export:` of an `env` step (default true). atmos keeps unexported variables for step templates,
    /// which kit does not render (see `templateRefusal`): an unexported variable reaches nothing.
    public var export: Bool = true

    public enum Kind: String, Sendable { case atmos, shell, env }
}

/// One workflow of a workflow file.
public struct Workflow: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The file it is in (relative to `workflows.base_path`).
    public var file: String
    public var stack: String?
    public var env: [String: String]
    public var steps: [WorkflowStep]
    /// Why the workflow cannot run (a bad step), reported when it is chosen — not for its neighbours.
    public var problem: WorkflowError?
}

/// Errors in workflow files and runs; messages name the file, line and column.
public enum WorkflowError: Error, Equatable, Sendable, CustomStringConvertible {
    case manifest(SourceLocation, message: String)
    case fileNotFound(String, basePath: String)
    case unknownWorkflow(String, file: String?, suggestion: String?)
    case ambiguous(String, files: [String])
    case unknownStep(String, workflow: String, steps: [String])

    public var description: String {
        switch self {
        case .manifest(let loc, let m): return "\(UserText.escaped(loc.description)): \(m)"
        case .fileNotFound(let f, let base):
            return "workflow file \(UserText.quoted(f)) not found in \(UserText.quoted(base)) — see 'kit workflow list', or set 'workflows.base_path'"
        case .unknownWorkflow(let w, let file, let s):
            let hint = s.map { " — did you mean '\($0)'?" } ?? " — see 'kit workflow list'"
            return "no workflow \(UserText.quoted(w))\(file.map { " in \(UserText.quoted($0))" } ?? "")\(hint)"
        case .ambiguous(let w, let files):
            return "workflow \(UserText.quoted(w)) is in several files (\(files.map { UserText.quoted($0) }.joined(separator: ", "))) — choose one with -f"
        case .unknownStep(let s, let w, let steps):
            return "the --from-step \(UserText.quoted(s)) is not a step of workflow \(UserText.quoted(w)) — its steps: \(steps.joined(separator: ", "))"
        }
    }
}

extension WorkflowCatalog {
    /// atmos renders step commands as Go templates (`{{ .env.NAME }}`, `{{ .stack }}`). kit renders them
    /// in shell steps, each value reaching the shell as an environment variable (`ShellStepTemplate`);
    /// a kit (atmos-type) step holding a template is refused where it is written rather than run with
    /// the braces as literal text.
    static func templateRefusal(step: Int, workflow: String) -> String {
        "step \(step) of workflow \(UserText.quoted(workflow)) holds a template ('{{ … }}'), which kit does not render in kit commands of a workflow " +
            "— use a shell step ('type: shell', where each value reaches the shell as a variable) or read the value from the environment"
    }
}

/// Reads atmos workflow files (`workflows:` → name → `steps:`) below `workflows.base_path`.
public struct WorkflowCatalog: Sendable {
    /// Absolute `workflows.base_path`.
    public var basePath: String
    /// The repository root (for file names in messages).
    public var repositoryRoot: String

    public init(basePath: String, repositoryRoot: String) {
        self.basePath = basePath
        self.repositoryRoot = repositoryRoot
    }

    /// Every workflow file below the base path, relative, sorted.
    public func files() -> [String] {
        LocalFileSystem().walk(basePath).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    /// The workflows of one file (`file` relative to the base path; `.yaml` may be left out).
    public func workflows(inFile file: String) throws -> [Workflow] {
        var name = file
        var path = Paths.join(basePath, name)
        if !FileManager.default.fileExists(atPath: path), !name.hasSuffix(".yaml"), !name.hasSuffix(".yml") {
            name += ".yaml"
            path = Paths.join(basePath, name)
        }
        guard FileManager.default.fileExists(atPath: path) else { throw WorkflowError.fileNotFound(file, basePath: Paths.relative(basePath, to: repositoryRoot)) }
        let shown = Paths.relative(path, to: repositoryRoot)
        let text: String
        do { text = String(decoding: try LocalFileSystem().readRegularFile(path, limit: 4 << 20), as: UTF8.self) } catch {
            throw WorkflowError.manifest(SourceLocation(file: shown), message: "cannot read the workflow file: \(error)")
        }
        let (doc, marks): (Value, [String: Mark])
        do { (doc, marks) = try YAMLParser.parse(text, recordMarks: true) } catch let f as YAMLParser.Failure {
            throw WorkflowError.manifest(SourceLocation(file: shown, mark: f.mark), message: "malformed YAML: \(f.message)")
        }
        func at(_ p: [String]) -> SourceLocation { SourceLocation(file: shown, mark: marks[ValuePath.key(p)] ?? marks[""]) }
        guard let all = doc["workflows"]?.mapValue else {
            throw WorkflowError.manifest(at([]), message: "a workflow file needs a 'workflows:' map")
        }
        func env(_ v: Value?, _ p: [String]) throws -> [String: String] {
            guard let v, !v.isNull else { return [:] }
            guard let m = v.mapValue else { throw WorkflowError.manifest(at(p), message: "'env' must be a map of strings") }
            return m.mapValues { $0.interpolated }
        }
        func workflow(_ wname: String, _ w: Value) throws -> Workflow {
            let base = ["workflows", wname]
            guard w.mapValue != nil else { throw WorkflowError.manifest(at(base), message: "workflow \(UserText.quoted(wname)) must be a map with 'steps'") }
            let stepsValue = w["steps"]?.listValue ?? []
            var steps: [WorkflowStep] = []
            for (i, s) in stepsValue.enumerated() {
                let p = base + ["steps", String(i)]
                guard let m = s.mapValue else { throw WorkflowError.manifest(at(p), message: "a step must be a map with 'command'") }
                let typeName = m["type"]?.stringValue ?? "atmos"
                guard let type = WorkflowStep.Kind(rawValue: typeName) else {
                    throw WorkflowError.manifest(at(p + ["type"]), message: "step type \(UserText.quoted(typeName)) is not supported by kit — use 'atmos', 'shell' or 'env'")
                }
                let command = m["command"]?.stringValue ?? ""
                if type != .env && command.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw WorkflowError.manifest(at(p), message: "step \(i + 1) of workflow \(UserText.quoted(wname)) has no 'command' — add it")
                }
                if type == .shell, containsTemplateAction(command) {
                    // Value actions become environment variables the shell reads (`ShellStepTemplate`), as
                    // in custom commands; template logic in shell text is refused here.
                    do { _ = try ShellStepTemplate(command) } catch let f as ShellStepTemplate.Failure {
                        throw WorkflowError.manifest(at(p + ["command"]), message: "step \(i + 1) of workflow \(UserText.quoted(wname)): \(f.message)")
                    }
                } else if type == .atmos, containsTemplateAction(command) {
                    throw WorkflowError.manifest(at(p + ["command"]), message: Self.templateRefusal(step: i + 1, workflow: wname))
                }
                let name = m["name"]?.stringValue ?? "step\(i + 1)"
                if steps.contains(where: { $0.name == name }) {
                    throw WorkflowError.manifest(at(p), message: "two steps are named \(UserText.quoted(name)) — step names must be unique")
                }
                var step = WorkflowStep(name: name, command: command, type: type, stack: m["stack"]?.stringValue,
                                        env: try env(m["env"], p + ["env"]), location: at(p))
                if type == .env {
                    guard let vars = m["vars"], vars.mapValue != nil else {
                        throw WorkflowError.manifest(at(p), message: "env step \(UserText.quoted(name)) of workflow \(UserText.quoted(wname)) needs 'vars:', a map of variables to set")
                    }
                    step.vars = try env(vars, p + ["vars"])
                    if let e = m["export"] {
                        guard case .bool(let b) = e else { throw WorkflowError.manifest(at(p + ["export"]), message: "'export' must be true or false") }
                        step.export = b
                    }
                }
                steps.append(step)
            }
            return Workflow(name: wname, description: w["description"]?.stringValue ?? "", file: name, stack: w["stack"]?.stringValue,
                            env: try env(w["env"], base + ["env"]), steps: steps)
        }
        return try all.keys.sorted().map { wname in
            do { return try workflow(wname, all[wname]!) } catch let e as WorkflowError {
                return Workflow(name: wname, description: all[wname]?["description"]?.stringValue ?? "", file: name, stack: nil, env: [:], steps: [], problem: e)
            }
        }
    }

    /// Finds `name` in `file`, or in every file when `file` is nil (it must be in exactly one).
    public func workflow(_ name: String, file: String?) throws -> Workflow {
        if let file {
            let all = try workflows(inFile: file)
            if let w = all.first(where: { $0.name == name }) {
                if let p = w.problem { throw p }
                return w
            }
            throw WorkflowError.unknownWorkflow(name, file: file, suggestion: all.map(\.name).first { $0.lowercased() == name.lowercased() || $0.hasPrefix(name) })
        }
        var found: [Workflow] = []
        var names: [String] = []
        for f in files() {
            let all = try workflows(inFile: f)
            names += all.map(\.name)
            found += all.filter { $0.name == name }
        }
        if found.count == 1 {
            if let p = found[0].problem { throw p }
            return found[0]
        }
        if found.count > 1 { throw WorkflowError.ambiguous(name, files: found.map(\.file)) }
        throw WorkflowError.unknownWorkflow(name, file: nil, suggestion: names.first { $0.lowercased() == name.lowercased() || $0.hasPrefix(name) })
    }
}
