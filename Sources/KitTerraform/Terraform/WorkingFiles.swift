#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// Where kit's files for one (stack, component) live (reference §9.1), and their contents.
///
/// The varfile and planfile sit in the component folder with stack-prefixed names, as atmos writes
/// them. Everything else that differs per stack lives in the pair's own directory
/// `<base>/.kit/terraform/<stack>/<component>/`: TF_DATA_DIR, the backend values, the init
/// fingerprint, and terraform's working directory — a mirror of the module folder (its files linked)
/// holding the pair's generated `backend.tf.json`, `providers_override.tf.json` and
/// `terraform_override.tf.json`. Stacks that share a root module never read each other's files.
/// Stack and component names enter every path through `PathName.encode` (injective: `net/a` and
/// `net-a` get different folders; names without `/` or `%` keep their plain spelling).
public struct WorkingFiles: Sendable {
    /// Absolute component folder (the root module's files).
    public var componentDirectory: String
    /// Where the mirror of the terraform base path starts for this pair (see `ModuleMirror`).
    public var mirrorRoot: String
    /// terraform's working directory: the module folder's mirror inside `mirrorRoot`.
    public var workingDirectory: String
    /// Absolute varfile path.
    public var varfile: String
    /// Absolute default planfile path.
    public var planfile: String
    /// Absolute TF_DATA_DIR for this pair.
    public var dataDirectory: String
    /// The backend values for `init -backend-config=` (HCL).
    public var backendConfigFile: String
    /// Where the local backend keeps this pair's state by default.
    public var localStateDirectory: String
    /// Where kit kept it before names were encoded (`/` flattened to `-`, not injective); equal to
    /// `localStateDirectory` for names without `/` or `%`. See `LegacyStateLayout`.
    public var legacyLocalStateDirectory: String

    public init(component c: ResolvedComponent, config: KitConfig) {
        let parts = c.name.split(separator: "/").map(String.init)
        let componentLeaf = parts.last ?? c.name
        var folderPrefix = parts.dropLast().joined(separator: "/")
        if !c.baseComponentPath.isEmpty {
            folderPrefix = Paths.dirname(c.folder)
        }
        componentDirectory = Paths.join(config.terraform.basePath, c.folder)
        let mid = folderPrefix.isEmpty ? "" : folderPrefix.replacingAll("/", with: "-") + "-"
        let stack = PathName.encode(c.stackName), component = PathName.encode(c.name)
        let stem = "\(stack)-\(mid)\(PathName.encode(componentLeaf))"
        varfile = componentDirectory + "/" + stem + ".terraform.tfvars.json"
        planfile = componentDirectory + "/" + stem + ".planfile"
        let pair = Paths.join(config.stateDirectory, "terraform/\(stack)/\(component)")
        dataDirectory = pair + "/data"
        mirrorRoot = pair + "/root"
        workingDirectory = Paths.join(mirrorRoot, c.folder)
        backendConfigFile = pair + "/backend.tfbackend"
        localStateDirectory = Paths.join(config.stateDirectory, "state/\(stack)/\(component)")
        legacyLocalStateDirectory = Paths.join(config.stateDirectory,
                                               "state/\(c.stackName.replacingAll("/", with: "-"))/\(c.name.replacingAll("/", with: "-"))")
    }

    /// The varfile content: the component's vars as sorted JSON.
    /// The varfile: every var but those holding a `!secret` value (they go to terraform as
    /// `TF_VAR_<name>`, as atmos does, so no file holds them).
    public static func varfileContent(_ c: ResolvedComponent) -> String {
        let secret = c.secretVars
        return JSONWriter.pretty(.map(secret.isEmpty ? c.vars : c.vars.filter { !secret.contains($0.key) }))
    }

    /// `TF_VAR_<name>` for each var holding a `!secret` value: a string as is, anything else as JSON
    /// (which terraform reads as HCL for lists, maps and numbers).
    public static func secretVariables(_ c: ResolvedComponent) -> [String: String] {
        var out: [String: String] = [:]
        for name in c.secretVars {
            guard let v = c.vars[name] else { continue }
            if case .string(let s) = v { out["TF_VAR_" + name] = s } else { out["TF_VAR_" + name] = JSONWriter.compact(v) }
        }
        return out
    }

    /// The backend settings terraform gets for this pair: `backend` (the component's, or the one a plugin
    /// made), where the local backend's `path` and `workspace_dir` default to `localStateDirectory`. Runs
    /// pass them through `-backend-config`; `generate backend` writes them, so terraform run by hand with
    /// the generated file reads the state kit's runs write.
    public func backendSettings(type: String, _ backend: [String: Value]) -> [String: Value] {
        guard type == "local" else { return backend }
        var settings = backend
        if settings["path"] == nil { settings["path"] = .string(localStateDirectory + "/terraform.tfstate") }
        if settings["workspace_dir"] == nil { settings["workspace_dir"] = .string(localStateDirectory + "/workspaces") }
        return settings
    }

    /// The full `backend.tf.json` (what `kit terraform generate backend` writes, reference §8.2).
    public static func backendDocument(type: String, backend: [String: Value], workspace: String) -> Value {
        if type == "cloud" {
            let replaced = replaceWorkspaceToken(.map(backend), workspace)
            return .map(["terraform": .map(["cloud": replaced])])
        }
        return .map(["terraform": .map(["backend": .map([type: .map(backend)])])])
    }

    /// The `backend.tf.json` kit writes for runs: the type only; values go through `-backend-config`.
    public static func backendTypeDocument(type: String) -> Value {
        .map(["terraform": .map(["backend": .map([type: .emptyMap])])])
    }

    /// `providers_override.tf.json`: `{"provider": …}` with `aws.use1` keys grouped as aliases.
    public static func providersDocument(_ providers: [String: Value]) -> Value {
        var grouped: [String: [Value]] = [:]
        for key in providers.keys.sorted() {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            var body = providers[key]?.mapValue ?? [:]
            if parts.count == 2, body["alias"] == nil { body["alias"] = .string(parts[1]) }
            grouped[parts[0], default: []].append(.map(body))
        }
        var out: [String: Value] = [:]
        for (name, bodies) in grouped { out[name] = bodies.count == 1 ? bodies[0] : .list(bodies) }
        return .map(["provider": .map(out)])
    }

    static func replaceWorkspaceToken(_ v: Value, _ ws: String) -> Value {
        switch v {
        case .string(let s): return .string(s.replacingAll("{terraform_workspace}", with: ws))
        case .map(let m): return .map(m.mapValues { replaceWorkspaceToken($0, ws) })
        case .list(let l): return .list(l.map { replaceWorkspaceToken($0, ws) })
        default: return v
        }
    }
}

/// Writes files atomically (temporary file + rename) so a failure never leaves a half-written file.
public enum AtomicFile {
    /// Writes `text` to `path` with `mode`, creating parent directories.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        try makeDirectories(Paths.dirname(path))
        let tmp = path + ".kit-tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw POSIXFailure(errno: errno, path: tmp) }
        var ok = true
        var bytes = Array(text.utf8)
        var done = 0
        bytes.withUnsafeMutableBytes { buf in
            while done < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                done += n
            }
        }
        fchmod(fd, mode)
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw POSIXFailure(errno: e, path: path)
        }
    }

    /// `mkdir -p`; directories it creates get `mode` (kit's own directories are owner-only).
    public static func makeDirectories(_ dir: String, mode: mode_t = 0o700) throws {
        if dir.isEmpty || dir == "/" { return }
        var st = stat()
        if stat(dir, &st) == 0 { return }
        try makeDirectories(Paths.dirname(dir), mode: mode)
        if mkdir(dir, mode) != 0 && errno != EEXIST { throw POSIXFailure(errno: errno, path: dir) }
    }

    /// Removes a file if it exists.
    public static func remove(_ path: String) { unlink(path) }
}
