import KitModel
/// The YAML functions of issue 21 that read the component itself or need no service:
/// `!random`, `!tags`, `!labels`, `!labels.keys`, `!labels.values`, `!version`, and the located
/// "not supported" of `!cel` and `!emulator`. The git ones are in `GitFunctions`.
enum ComponentFunctions {
    typealias Failure = YAMLFunctionEvaluator.Failure

    /// The value of `fn` (its arguments `rest`) for component `c`, or nil when `fn` is not one of these.
    static func evaluate(_ fn: String, _ rest: String, component c: ResolvedComponent,
                         evaluator: YAMLFunctionEvaluator, repositoryBase: String) throws -> Value? {
        switch fn {
        case _ where GitFunctions.names.contains(fn):
            return try GitFunctions.evaluate(fn, rest, evaluator: evaluator, repositoryBase: repositoryBase)
        case "!random":
            return .int(try random(rest, fn))
        case "!tags":
            try noArguments(fn, rest)
            return .list(try tags(c, fn).map(Value.string))
        case "!labels", "!labels.keys", "!labels.values":
            try noArguments(fn, rest)
            let labels = try labels(c, fn)
            let keys = labels.keys.sorted()
            switch fn {
            case "!labels": return .map(labels.mapValues(Value.string))
            case "!labels.keys": return .list(keys.map(Value.string))
            default: return .list(keys.map { .string(labels[$0]!) })
            }
        case "!version":
            return .string(try version(rest, component: c, fn))
        case "!cel":
            throw Failure(function: fn, message: "'!cel' is not supported by kit — no CEL implementation is available to kit; compute the value with '!template' or '!exec'")
        case "!emulator":
            throw Failure(function: fn, message: "'!emulator' is not supported by kit — it needs a running atmos emulator; use a literal value or '!env'")
        default:
            return nil
        }
    }

    static func noArguments(_ fn: String, _ rest: String) throws {
        guard rest.isEmpty else { throw Failure(function: fn, message: "takes no arguments, found \(UserText.quoted(rest))") }
    }

    /// `!random` → 0…65535; `!random max` → 0…max; `!random min max` → min…max (inclusive, min < max).
    static func random(_ rest: String, _ fn: String) throws -> Int {
        let args = try YAMLFunctionEvaluator.split(rest, fn)
        func int(_ s: String, _ what: String) throws -> Int {
            guard let n = Int(s) else { throw Failure(function: fn, message: "invalid \(what) value \(UserText.quoted(s)), must be an integer") }
            return n
        }
        let (low, high): (Int, Int)
        switch args.count {
        case 0: (low, high) = (0, 65535)
        case 1: (low, high) = (0, try int(args[0], "max"))
        case 2: (low, high) = (try int(args[0], "min"), try int(args[1], "max"))
        default: throw Failure(function: fn, message: "accepts 0, 1 or 2 arguments ('!random', '!random max', '!random min max'), found \(args.count)")
        }
        guard low < high else { throw Failure(function: fn, message: "min value (\(low)) must be less than max value (\(high))") }
        return Int.random(in: low...high)
    }

    /// `metadata.tags`: a list of strings (atmos drops other items silently; kit refuses them).
    static func tags(_ c: ResolvedComponent, _ fn: String) throws -> [String] {
        guard let value = c.metadata["tags"], !value.isNull else { return [] }
        guard let list = value.listValue else { throw Failure(function: fn, message: "'metadata.tags' must be a list of strings, found a \(value.typeName)") }
        return try list.enumerated().map { i, item in
            guard let s = item.stringValue else { throw Failure(function: fn, message: "'metadata.tags[\(i)]' must be a string, found a \(item.typeName)") }
            return s
        }
    }

    /// `metadata.labels`: a map of strings (atmos drops other values silently; kit refuses them).
    static func labels(_ c: ResolvedComponent, _ fn: String) throws -> [String: String] {
        guard let value = c.metadata["labels"], !value.isNull else { return [:] }
        guard let map = value.mapValue else { throw Failure(function: fn, message: "'metadata.labels' must be a map of strings, found a \(value.typeName)") }
        var out: [String: String] = [:]
        for (k, v) in map {
            guard let s = v.stringValue else { throw Failure(function: fn, message: "'metadata.labels.\(k)' must be a string, found a \(v.typeName)") }
            out[k] = s
        }
        return out
    }

    /// `!version name`: `tracks.<track>.<name>.version` of the versions lock file (atmos's `ResolveLocked`).
    static func version(_ rest: String, component c: ResolvedComponent, _ fn: String) throws -> String {
        let args = try YAMLFunctionEvaluator.split(rest, fn)
        guard args.count == 1, let name = args.first else {
            throw Failure(function: fn, message: "expects one version name, e.g. '!version terraform'")
        }
        let file = c.versionLockFile
        let fs = LocalFileSystem()
        guard fs.exists(file) else {
            throw Failure(function: fn, message: "'\(name)' is not locked: there is no versions lock file \(UserText.quoted(file))")
        }
        let lock: Value
        do {
            lock = try YAMLParser.parse(String(decoding: try fs.read(file), as: UTF8.self)).value
        } catch {
            throw Failure(function: fn, message: "cannot read the versions lock file \(UserText.quoted(file)): \(error)")
        }
        guard let entries = lock.value(at: ["tracks", c.versionTrack])?.mapValue else {
            throw Failure(function: fn, message: "the versions lock file \(UserText.quoted(file)) has no track '\(c.versionTrack)'")
        }
        guard let version = entries[name]?["version"] else {
            let hint = Suggestions.closest(to: name, in: entries.keys.sorted()).first.map { " — did you mean '\($0)'?" } ?? ""
            throw Failure(function: fn, message: "'\(name)' is not locked in track '\(c.versionTrack)' of \(UserText.quoted(file))\(hint)")
        }
        switch version {
        case .string(let s) where !s.isEmpty: return s
        case .int(let n): return String(n)
        default:
            throw Failure(function: fn, message: "'\(name)' in track '\(c.versionTrack)' of \(UserText.quoted(file)) has no version")
        }
    }
}
