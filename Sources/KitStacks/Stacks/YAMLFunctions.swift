import KitPluginSDK
import KitModel

/// Evaluates the YAML functions that the parser keeps as `"!fn args"` strings (reference §0 step 10),
/// once a component is resolved and its templates rendered.
///
/// - `!env NAME [default]`: the process environment, else the default, else an empty string (atmos).
/// - `!exec command args…`: runs the command (argv split with shell-like quoting, no shell unless the
///   command is one, e.g. `sh -c '…'`); output that is JSON becomes data, other output is a string with
///   trailing whitespace trimmed. A command that cannot start or exits non-zero is an error.
/// - `!template text`: renders `text` with the component's template data; JSON output becomes data.
/// - `!repo-root [default]`: the git repository root holding the repository (else the default).
/// - `!cwd [path]`: kit's working directory (joined with `path`).
/// - `!terraform.state` / `!terraform.output`: left as strings; the estate layer evaluates them at run time.
/// - `!unset`: handled by the merge. Every other function is an error naming where it was written.
public struct YAMLFunctionEvaluator: Sendable {
    /// Runs `!exec` commands: argv, working directory, environment → exit status and stdout.
    public typealias RunCommand = @Sendable (_ argv: [String], _ cwd: String, _ env: [String: String]) throws -> (status: Int32, stdout: [UInt8])

    /// What `!env` reads and `!exec` commands get.
    public var environment: [String: String]
    /// `!cwd`, and where `!exec` commands run.
    public var workingDirectory: String
    /// Runs `!exec` commands.
    public var runCommand: RunCommand
    /// Finds the git repository root above a directory (injected so tests need no git).
    public var findRepositoryRoot: @Sendable (String) -> String?
    /// Untrusted mode refuses `!env` and `!exec` (`TrustPolicy`).
    public var trust: TrustPolicy = .trusted
    /// `!store`, `!store.get` and `!aws.*`, served by the plugins; nil: a located error naming the function.
    public var providers: ProviderFunctions?

    /// An evaluator over the given effects.
    public init(environment: [String: String], workingDirectory: String, runCommand: @escaping RunCommand,
                findRepositoryRoot: @escaping @Sendable (String) -> String? = YAMLFunctionEvaluator.gitRoot) {
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.runCommand = runCommand
        self.findRepositoryRoot = findRepositoryRoot
    }

    /// Functions kit evaluates here; the `!terraform.*` ones pass through to the estate layer.
    public static let evaluated: Set<String> = ["!env", "!exec", "!template", "!repo-root", "!cwd"]
    /// Functions left for later stages.
    public static let passedThrough: Set<String> = ["!terraform.state", "!terraform.output", "!unset"]

    /// The function name of a string that holds a YAML function, or nil.
    public static func function(in s: String) -> String? {
        guard s.utf8.first == UInt8(ascii: "!") else { return nil }
        let name = s.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? s
        let bare = name.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? name
        return YAMLParser.functionTags.contains(bare) ? bare : nil
    }

    /// What went wrong in one function; the catalog adds where it was written.
    struct Failure: Error {
        var function: String
        var message: String
    }

    /// Evaluates every function in the component's sections. `locate` finds where a function string
    /// was written (file:line:column) for errors.
    func evaluate(_ c: inout ResolvedComponent, templates: TemplateRendering, repositoryBase: String,
                  locate: (String) -> SourceLocation?) throws {
        let component = c
        let stackName = c.stackName, name = c.name
        // The template data (`!template`'s context) is built at the first function, from the component as
        // it was before any was evaluated; a component without functions never builds it.
        var builtData: Value?
        func templateData() -> Value {
            if let builtData { return builtData }
            let data = ComponentTemplates.data(for: component)
            builtData = data
            return data
        }
        var secretPaths: Set<String> = []
        // Only strings holding a function are asked about (functions passed through to the run stay).
        let evaluable: (Value) -> Bool = { v in
            guard case .string(let s) = v, let fn = Self.function(in: s) else { return false }
            return !Self.passedThrough.contains(fn)
        }
        try c.rewriteLeaves(ComponentSection.evaluated, where: evaluable) { v, at in
            guard case .string(let s) = v, let fn = Self.function(in: s) else { return nil }
            do {
                let value = try evaluate(fn, s, templates: templates, data: templateData(), repositoryBase: repositoryBase, component: component)
                if fn == "!secret" { secretPaths.insert(at.dotted) }
                return value
            } catch let f as Failure {
                throw StackError.yamlFunction(locate(s), stack: stackName, component: name,
                                              path: at.dotted, function: f.function, message: f.message)
            }
        }
        c.secretPaths.formUnion(secretPaths)
    }

    func evaluate(_ fn: String, _ s: String, templates: TemplateRendering, data: Value, repositoryBase: String,
                  component: ResolvedComponent? = nil) throws -> Value {
        let rest = String(s.dropFirst(fn.count)).trimmingWhitespace()
        if let refusal = Self.untrustedRefusal(fn, trust: trust) { throw Failure(function: fn, message: refusal.message) }
        switch fn {
        case "!env":
            let args = try Self.split(rest, fn)
            guard let name = args.first, args.count <= 2 else {
                throw Failure(function: fn, message: "expects a variable name and an optional default, e.g. '!env AWS_REGION us-east-1'")
            }
            if let v = environment[name] { return .string(v) }
            return .string(args.count == 2 ? args[1] : "")
        case "!exec":
            let argv = try Self.split(rest, fn)
            guard !argv.isEmpty else { throw Failure(function: fn, message: "needs a command") }
            let result: (status: Int32, stdout: [UInt8])
            do {
                result = try runCommand(argv, workingDirectory, environment)
            } catch {
                throw Failure(function: fn, message: "cannot run \(UserText.quoted(argv[0])): \(error)")
            }
            guard result.status == 0 else {
                throw Failure(function: fn, message: "command \(UserText.quoted(rest)) exited with status \(result.status)")
            }
            return Self.decodeOutput(String(decoding: result.stdout, as: UTF8.self))
        case "!template":
            do {
                let text = try templates.render(rest, name: "!template", data: data, ignoreMissing: false)
                return Self.decodeOutput(text)
            } catch {
                throw Failure(function: fn, message: "\(error)")
            }
        case "!repo-root":
            if let root = findRepositoryRoot(repositoryBase) { return .string(root) }
            if !rest.isEmpty { return .string(rest) }
            throw Failure(function: fn, message: "the repository is not inside a git repository — give a default, e.g. '!repo-root .'")
        case "!cwd":
            return .string(rest.isEmpty ? workingDirectory : Paths.join(workingDirectory, rest))
        case _ where ProviderFunctions.names.contains(fn) || fn == "!secret":
            guard let providers else {
                throw Failure(function: fn, message: "\(UserText.quoted(fn)) is evaluated by the provider plugins, and plugins are off here (KIT_NO_PLUGINS=1 or plugins.enabled: false)")
            }
            return try providers.evaluate(fn, rest, component: component)!
        default:
            // !git.*, !random, !tags, !labels*, !version, !cel, !emulator (YAMLFunctionsComponent.swift).
            if let component, let v = try ComponentFunctions.evaluate(fn, rest, component: component, evaluator: self,
                                                                      repositoryBase: repositoryBase) { return v }
            throw Failure(function: fn, message: "kit does not evaluate \(UserText.quoted(fn)) — replace it with a literal value, '!env' or '!exec'")
        }
    }

    /// JSON output becomes data (as atmos decodes it); anything else is the text, trailing whitespace trimmed.
    package static func decodeOutput(_ text: String) -> Value {
        let trimmed = text.trimmingWhitespace()
        if let first = trimmed.utf8.first, "{[\"-0123456789tfn".utf8.contains(first), let json = try? JSONValue.parse(trimmed) {
            return ValueJSON.convert(json)
        }
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
        return .string(String(text[..<end]))
    }

    /// Splits arguments like a shell word splitter: spaces separate, single and double quotes group,
    /// backslash escapes inside double quotes and outside quotes. No expansion of any kind.
    static func split(_ s: String, _ fn: String) throws -> [String] {
        var out: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for ch in s {
            if escaped { current.append(ch); escaped = false; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escaped = true } else { current.append(ch) }
                continue
            }
            switch ch {
            case "'", "\"": quote = ch; inWord = true
            case "\\": escaped = true; inWord = true
            case " ", "\t", "\n":
                if inWord { out.append(current); current = ""; inWord = false }
            default: current.append(ch); inWord = true
            }
        }
        if quote != nil { throw Failure(function: fn, message: "unclosed quote in \(UserText.quoted(s))") }
        if inWord { out.append(current) }
        return out
    }

    /// The nearest folder at or above `directory` that holds `.git`.
    public static func gitRoot(_ directory: String) -> String? {
        LocalFileSystem().gitRoot(from: directory)
    }
}
