import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Where a vendored source comes from, parsed from an atmos/go-getter style URI.
///
/// Recognised forms: `git::<url>[//subdir][?ref=…&depth=…]`; `github.com/org/repo.git//path?ref=…`
/// (also gitlab.com, bitbucket.org) meaning https; `git@host:org/repo.git`; `https://…/repo.git//path`;
/// `http(s)://…/x.tar.gz|.tgz|.zip` (or `?archive=tar.gz|zip`) archives; other `http(s)` URLs as one
/// file; `s3::`/`s3://`; `oci://`; and local paths (relative to the manifest's folder, or `file://`).
public enum VendorLocation: Equatable, Sendable {
    /// A git repository fetched with the `git` binary; `ref` is a tag, branch or commit (nil: the default branch).
    case git(repository: String, ref: String?, subdirectory: String)
    /// A folder or file on this machine (absolute).
    case local(path: String)
    /// An archive downloaded over HTTP(S) and unpacked; `subdirectory` is taken from inside it.
    case archive(url: String, kind: ArchiveKind, subdirectory: String)
    /// One file downloaded over HTTP(S).
    case httpFile(url: String)
    /// An S3 object or prefix.
    case s3(String)
    /// An OCI artifact.
    case oci(String)

    /// The archive formats kit unpacks.
    public enum ArchiveKind: String, Sendable { case tarGzip = "tar.gz", zip }

    /// The kind's name as used in `--type` and the lock file.
    public var kind: String {
        switch self {
        case .git: return "git"
        case .local: return "local"
        case .archive, .httpFile: return "http"
        case .s3: return "s3"
        case .oci: return "oci"
        }
    }

    /// Parses `uri` (already rendered); relative local paths are taken from `baseDirectory`.
    public static func parse(_ uri: String, baseDirectory: String) -> VendorLocation {
        var s = uri.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("oci://") { return .oci(s) }
        if s.hasPrefix("s3::") || s.hasPrefix("s3://") { return .s3(s) }
        var forcedGit = false
        if s.hasPrefix("git::") { forcedGit = true; s.removeFirst(5) }
        let (body, query) = splitQuery(s)
        let ref = query.first { $0.0 == "ref" }?.1
        for host in ["github.com/", "gitlab.com/", "bitbucket.org/"] where body.hasPrefix(host) {
            let (repo, sub) = splitSubdirectory("https://" + body)
            return .git(repository: repo, ref: ref, subdirectory: sub)
        }
        if body.hasPrefix("git@") || body.hasPrefix("ssh://") {
            let (repo, sub) = splitSubdirectory(body)
            return .git(repository: repo, ref: ref, subdirectory: sub)
        }
        let (repo, sub) = splitSubdirectory(body)
        let looksGit = repo.hasSuffix(".git") || ref != nil
        if forcedGit || ((body.hasPrefix("https://") || body.hasPrefix("http://") || body.hasPrefix("file://")) && looksGit) {
            return .git(repository: repo, ref: ref, subdirectory: sub)
        }
        if body.hasPrefix("https://") || body.hasPrefix("http://") {
            let archive = query.first { $0.0 == "archive" }?.1
            let lower = repo.lowercased()
            if archive == "zip" || lower.hasSuffix(".zip") {
                return .archive(url: rebuild(repo, query: query), kind: .zip, subdirectory: sub)
            }
            if archive == "tar.gz" || archive == "tgz" || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
                return .archive(url: rebuild(repo, query: query), kind: .tarGzip, subdirectory: sub)
            }
            return .httpFile(url: s)
        }
        var path = body
        if path.hasPrefix("file://") {
            path.removeFirst(7)
            // `file:///../x` (atmos fixtures) is a relative path written as a URL.
            if path.hasPrefix("/..") || path.hasPrefix("/./") { path.removeFirst() }
        }
        return .local(path: Paths.join(baseDirectory, path))
    }

    /// An S3 source without go-getter's `//subdirectory` (taken from inside an archive or prefix),
    /// and that subdirectory: `s3://b/pkg/app.tar.gz//app?region=x` → (`s3://b/pkg/app.tar.gz?region=x`, `app`).
    public static func s3Parts(_ raw: String) -> (url: String, subdirectory: String) {
        var s = raw
        let forced = s.hasPrefix("s3::")
        if forced { s.removeFirst(4) }
        var query = ""
        if let q = s.firstIndex(of: "?") { query = String(s[q...]); s = String(s[..<q]) }
        let (body, sub) = splitSubdirectory(s)
        return ((forced ? "s3::" : "") + body + query, sub)
    }

    /// The URI without its query: `(body, [(key, value)])`.
    static func splitQuery(_ s: String) -> (String, [(String, String)]) {
        guard let q = s.firstIndex(of: "?") else { return (s, []) }
        let pairs = s[s.index(after: q)...].split(separator: "&").map { pair -> (String, String) in
            let kv = pair.split(separator: "=", maxSplits: 1)
            return (String(kv[0]), kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : "")
        }
        return (String(s[..<q]), pairs)
    }

    /// go-getter's `//` subdirectory separator after the scheme and host: `(repository, subdirectory)`.
    static func splitSubdirectory(_ s: String) -> (String, String) {
        var searchStart = s.startIndex
        if let scheme = s.range(of: "://") { searchStart = scheme.upperBound }
        // `file:///abs/path//sub`: the path's own leading slash is not a separator.
        if s[searchStart...].hasPrefix("/") { searchStart = s.index(after: searchStart) }
        guard let sep = s.range(of: "//", range: searchStart..<s.endIndex) else { return (s, "") }
        let sub = String(s[sep.upperBound...]).split(separator: "/").joined(separator: "/")
        return (String(s[..<sep.lowerBound]), sub)
    }

    static func rebuild(_ body: String, query: [(String, String)]) -> String {
        let kept = query.filter { $0.0 != "archive" }
        return kept.isEmpty ? body : body + "?" + kept.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}

/// Hides credentials in URLs shown to people: `https://user:token@host/x` → `https://***@host/x`,
/// and the values of credential query parameters (`aws_access_key_secret=…`, `token=…`, `sig=…`,
/// `X-Amz-Signature=…`) → `***`.
public enum URLRedaction {
    /// Query parameter names whose values are credentials (lowercased substrings).
    static let secretParameters = ["secret", "token", "password", "passwd", "signature", "credential", "access_key", "sig", "auth"]

    /// `text` with every `scheme://userinfo@` replaced by `scheme://***@` and credential query values by `***`.
    public static func redact(_ text: String) -> String {
        redactQuery(redactUserinfo(text))
    }

    /// `text` with the value of every `?name=` / `&name=` whose name looks like a credential replaced by `***`.
    static func redactQuery(_ text: String) -> String {
        guard text.contains("=") else { return text }
        var out = ""
        var rest = Substring(text)
        while let sep = rest.firstIndex(where: { $0 == "?" || $0 == "&" }) {
            out += rest[...sep]
            rest = rest[rest.index(after: sep)...]
            guard let eq = rest.firstIndex(of: "="), !rest[..<eq].contains(where: { $0 == "&" || $0 == "?" || $0 == " " || $0 == "\n" }) else { continue }
            let name = rest[..<eq].lowercased()
            guard secretParameters.contains(where: { name.contains($0) }) else { continue }
            out += rest[...eq] + "***"
            rest = rest[rest.index(after: eq)...]
            rest = rest[(rest.firstIndex { $0 == "&" || $0 == "#" || $0 == " " || $0 == "'" || $0 == "\"" || $0 == "\n" } ?? rest.endIndex)...]
        }
        return out + rest
    }

    /// `text` with every `scheme://userinfo@` replaced by `scheme://***@`.
    static func redactUserinfo(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" || $0 == " " || $0 == "'" || $0 == "\n" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                out += "***@"
                rest = rest[rest.index(after: at)...]
            }
        }
        return out + rest
    }
}
