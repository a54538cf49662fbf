import KitModel
/// `!git.root`, `!git.sha`, `!git.ref`, `!git.branch`, `!git.repository`, `!git.owner`, `!git.name`,
/// `!git.host`, `!git.url` (atmos's `pkg/git/yaml_tags.go`).
///
/// The repository is the one holding kit's base path (as `!repo-root`). Values are read by running
/// `git` with arguments (never a shell) through the evaluator's `runCommand`. Each function takes an
/// optional default, returned when the value cannot be read (atmos's rule); without one, that is an error.
/// - `!git.root`: as `!repo-root`. `!git.sha` and `!git.ref`: the commit of `HEAD`.
/// - `!git.branch`: the branch `HEAD` is on (a detached `HEAD` is an error, as in atmos).
/// - `!git.url`: the URL of the remote `origin` (else the first remote by name) as configured, with
///   any password removed; `!git.host`, `!git.owner`, `!git.name`, `!git.repository` (`owner/name`) from it.
enum GitFunctions {
    static let names: Set<String> = ["!git.root", "!git.sha", "!git.ref", "!git.branch", "!git.repository",
                                     "!git.owner", "!git.name", "!git.host", "!git.url"]

    typealias Failure = YAMLFunctionEvaluator.Failure

    static func evaluate(_ fn: String, _ rest: String, evaluator: YAMLFunctionEvaluator, repositoryBase: String) throws -> Value {
        let fallback = rest
        func orDefault(_ message: String) throws -> Value {
            if !fallback.isEmpty { return .string(fallback) }
            throw Failure(function: fn, message: "\(message) — give a default, e.g. '\(fn) unknown'")
        }
        guard let root = evaluator.findRepositoryRoot(repositoryBase) else {
            return try orDefault("the repository is not inside a git repository")
        }
        func git(_ args: [String]) throws -> (status: Int32, text: String) {
            let r: (status: Int32, stdout: [UInt8])
            do { r = try evaluator.runCommand(["git", "-C", root] + args, root, evaluator.environment) } catch {
                throw Failure(function: fn, message: "cannot run 'git': \(error)")
            }
            return (r.status, String(decoding: r.stdout, as: UTF8.self).trimmingWhitespace())
        }
        switch fn {
        case "!git.root":
            return .string(root)
        case "!git.sha", "!git.ref":
            let r = try git(["rev-parse", "--verify", "--quiet", "HEAD"])
            guard r.status == 0, !r.text.isEmpty else { return try orDefault("the git repository at '\(root)' has no commit at HEAD") }
            return .string(r.text)
        case "!git.branch":
            let r = try git(["symbolic-ref", "--quiet", "--short", "HEAD"])
            guard r.status == 0, !r.text.isEmpty else { return try orDefault("HEAD is detached in the git repository at '\(root)' (no branch)") }
            return .string(r.text)
        default:
            let remotes = try git(["remote"])
            let names = remotes.text.split(separator: "\n").map(String.init).sorted()
            guard let remote = names.contains("origin") ? "origin" : names.first else {
                return try orDefault("the git repository at '\(root)' has no remote")
            }
            let r = try git(["config", "--get", "remote.\(remote).url"])
            guard r.status == 0, !r.text.isEmpty else { return try orDefault("the remote '\(remote)' has no URL") }
            let url = RemoteURL.redacted(r.text)
            if fn == "!git.url" { return .string(url) }
            guard let parts = RemoteURL.parse(r.text) else {
                return try orDefault("cannot read host, owner and name from the URL '\(url)' of the remote '\(remote)'")
            }
            switch fn {
            case "!git.host": return .string(parts.host)
            case "!git.owner": return .string(parts.owner)
            case "!git.name": return .string(parts.name)
            default: return .string(parts.owner + "/" + parts.name)
            }
        }
    }
}

/// A git remote URL's host, owner and name (atmos's `ParseGenericGitURL` shapes):
/// `scheme://[user[:password]@]host[:port]/owner/name[.git]` and scp-style `[user@]host:owner/name[.git]`.
/// The owner is the first path segment, the name the rest (GitLab subgroups stay in the name).
enum RemoteURL {
    static func parse(_ url: String) -> (host: String, owner: String, name: String)? {
        var host: Substring
        var path: Substring
        if let schemeEnd = url.range(of: "://") {
            let afterScheme = url[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            var authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? authority
            path = afterScheme[authorityEnd...]
        } else if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") {
            var authority = url[..<colon]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            host = authority
            path = url[url.index(after: colon)...]
        } else {
            return nil
        }
        while path.hasPrefix("/") { path = path.dropFirst() }
        while path.hasSuffix("/") { path = path.dropLast() }
        if path.hasSuffix(".git") { path = path.dropLast(4) }
        guard !host.isEmpty, let slash = path.firstIndex(of: "/") else { return nil }
        let owner = path[..<slash], name = path[path.index(after: slash)...]
        guard !owner.isEmpty, !name.isEmpty else { return nil }
        return (String(host), String(owner), String(name))
    }

    /// The URL without a password (`https://user:token@host/…` → `https://user@host/…`), so a
    /// credential in a remote never reaches describe output or terraform.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userinfo[..<colon] + authority[at...] + afterScheme[authorityEnd...]
    }
}
