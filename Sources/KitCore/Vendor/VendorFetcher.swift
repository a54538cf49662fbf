import Foundation
import Glibc
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// A fetched source on disk: the folder (or file) to read, and what it resolved to.
public struct FetchedSource: Sendable {
    /// The source's root after the subdirectory (a folder, or one file).
    public var root: String
    /// The commit (git), `sha256:` of the archive or file (http), or nil (local: the tree digest is used).
    public var resolved: String?
}

/// Brings sources onto this machine: git through the `git` binary (credentials from git's own
/// configuration, never a prompt), archives and files over HTTP(S) through `curl` (size-bounded),
/// local folders as they are. Every child gets its arguments as an argv — never a shell — and every
/// message it returns has URL userinfo removed.
public struct VendorFetcher: Sendable {
    public var processes: ProcessRunning
    public var environment: [String: String]
    /// Largest download kit accepts (bytes).
    public var maxDownloadBytes = 512 << 20
    /// Sources served by plugins (`s3::`, `s3://`): asks the loaded plugins in turn (`fetch_source`);
    /// nil when no plugin serves the URL. Unset: no plugin is consulted.
    public var pluginSource: (@Sendable (FetchSourceRequest) throws -> FetchSourceResponse?)?

    public init(processes: ProcessRunning, environment: [String: String],
                pluginSource: (@Sendable (FetchSourceRequest) throws -> FetchSourceResponse?)? = nil) {
        self.processes = processes
        self.environment = environment
        self.pluginSource = pluginSource
    }

    // MARK: plugin-served sources

    /// Fetches `url` through the plugins and writes its files under `directory` (new). Returns the
    /// root to read — the folder, or the one file when the URL named one object — and what it resolved to.
    /// Every path the plugin returns is checked: relative, no `..`, no empty or `.` segment; the total
    /// is bounded by `maxDownloadBytes` and `VendorTree.maxFiles`.
    public func fetchFromPlugin(_ url: String, into directory: String) throws -> (root: String, resolved: String?, singleObject: Bool) {
        guard let pluginSource else {
            throw FetchFailure(message: "no plugins are loaded to serve this source (KIT_NO_PLUGINS is set?) — the aws plugin serves s3 sources")
        }
        let request = FetchSourceRequest(url: url, env: environment, maxBytes: maxDownloadBytes, maxFiles: VendorTree.maxFiles)
        let answer: FetchSourceResponse?
        do { answer = try pluginSource(request) } catch {
            throw FetchFailure(message: URLRedaction.redact("\(error)"))
        }
        guard let answer else {
            throw FetchFailure(message: "no loaded plugin serves this source — the aws plugin serves s3 sources ('kit plugin list' shows what is loaded)")
        }
        var total = 0
        for file in answer.files {
            total += file.content.count
            let segments = file.path.split(separator: "/", omittingEmptySubsequences: false)
            if file.path.hasPrefix("/") || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                throw FetchFailure(message: "the source holds '\(UserText.escaped(String(file.path.prefix(200))))', which would land outside the target", unsafe: true)
            }
        }
        if total > maxDownloadBytes || answer.files.count > VendorTree.maxFiles {
            throw FetchFailure(message: "the source holds more than \(maxDownloadBytes >> 20) MiB or \(VendorTree.maxFiles) files", unsafe: true)
        }
        try AtomicFile.makeDirectories(directory)
        for file in answer.files {
            let path = directory + "/" + file.path
            try AtomicFile.makeDirectories(Paths.dirname(path))
            guard FileManager.default.createFile(atPath: path, contents: Data(file.content), attributes: [.posixPermissions: 0o644]) else {
                throw POSIXFailure(errno: errno, path: path)
            }
        }
        if answer.singleObject, let only = answer.files.first {
            return (directory + "/" + only.path, answer.resolved, true)
        }
        return (directory, answer.resolved, false)
    }

    /// The result of one child process.
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// Runs `tool args` in `cwd`, capturing stdout and stderr (stderr through a temporary file).
    func run(_ tool: String, _ args: [String], cwd: String = "/") throws -> Run {
        var env = environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["LC_ALL"] = "C"
        var template = Array((NSTemporaryDirectory() + "/kit-vendor-err-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXFailure(errno: errno, path: "stderr file") }
        let errPath = String(cString: template)
        defer { close(fd); unlink(errPath) }
        let result = try processes.run(tool, args, cwd: cwd, env: env, stdout: .capture, stderr: .descriptor(fd),
                                       nullStdin: true, keepDescriptor: nil)
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Run(status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self), stderr: URLRedaction.redact(err))
    }

    // MARK: git

    /// The commit `ref` names in `repository` (`git ls-remote`), without fetching; nil when the ref
    /// is not a tag or branch (it may be a commit, resolved by `checkout`).
    public func resolveGit(repository: String, ref: String?) throws -> String? {
        let r = try run("git", ["ls-remote", "--", repository] + (ref.map { [$0] } ?? ["HEAD"]))
        guard r.status == 0 else { throw FetchFailure(message: "git ls-remote failed: " + lastLine(r.stderr)) }
        var refs: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { refs[String(parts[1])] = String(parts[0]) }
        }
        guard let ref else { return refs["HEAD"] }
        return refs["refs/tags/\(ref)^{}"] ?? refs["refs/tags/\(ref)"] ?? refs["refs/heads/\(ref)"] ?? refs[ref]
    }

    /// Checks `ref` (tag, branch, commit; nil: default branch) of `repository` out into `directory`
    /// (new, empty); returns the full commit.
    public func checkoutGit(repository: String, ref: String?, commit: String?, into directory: String) throws -> String {
        try AtomicFile.makeDirectories(directory)
        func git(_ args: [String]) throws -> Run { try run("git", ["-C", directory] + args) }
        _ = try git(["init", "-q"])
        let want = commit ?? ref ?? "HEAD"
        var fetched = try git(["fetch", "-q", "--depth", "1", "--", repository, want])
        if fetched.status != 0 {
            // An abbreviated or unadvertised commit: fetch everything, then look the commit up.
            fetched = try git(["fetch", "-q", "--", repository, "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"])
            guard fetched.status == 0 else { throw FetchFailure(message: "git fetch failed: " + lastLine(fetched.stderr)) }
            let co = try git(["-c", "advice.detachedHead=false", "checkout", "-q", want])
            guard co.status == 0 else {
                throw FetchFailure(message: "ref '\(want)' not found in the repository — check 'ref=' (a tag, branch or commit)")
            }
        } else {
            let co = try git(["-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD"])
            guard co.status == 0 else { throw FetchFailure(message: "git checkout failed: " + lastLine(co.stderr)) }
        }
        let head = try git(["rev-parse", "HEAD"])
        guard head.status == 0 else { throw FetchFailure(message: "git rev-parse failed: " + lastLine(head.stderr)) }
        return head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: http

    /// Downloads `url` to `file` (bounded by `maxDownloadBytes`); returns `sha256:` of the bytes.
    public func download(_ url: String, to file: String) throws -> String {
        let r = try run("curl", ["--fail", "--silent", "--show-error", "--location", "--proto", "=http,https",
                                 "--proto-redir", "=http,https", "--max-redirs", "5", "--max-filesize", String(maxDownloadBytes),
                                 "--output", file, "--", url])
        guard r.status == 0 else {
            let why = r.status == 63 ? "larger than \(maxDownloadBytes >> 20) MiB" : lastLine(r.stderr)
            throw FetchFailure(message: "download failed: " + why)
        }
        var st = stat()
        if stat(file, &st) == 0 && Int(st.st_size) > maxDownloadBytes { throw FetchFailure(message: "download larger than \(maxDownloadBytes >> 20) MiB") }
        return "sha256:" + (try PluginFileCheck.sha256(path: file, display: Paths.basename(file)))
    }

    /// Unpacks `archive` into `directory` after checking its listing: no absolute or `..` member, no
    /// link or hard link leading out, at most `VendorTree.maxFiles` members and `VendorTree.maxBytes` bytes.
    public func unpack(_ archive: String, kind: VendorLocation.ArchiveKind, into directory: String) throws {
        try AtomicFile.makeDirectories(directory)
        switch kind {
        case .tarGzip:
            let list = try run("tar", ["-tvzf", archive])
            guard list.status == 0 else { throw FetchFailure(message: "not a tar.gz archive: " + lastLine(list.stderr)) }
            try checkListing(list.stdout.split(separator: "\n").map(String.init), tar: true)
            let x = try run("tar", ["-xzf", archive, "--no-same-owner", "--no-same-permissions", "-C", directory])
            guard x.status == 0 else { throw FetchFailure(message: "cannot unpack: " + lastLine(x.stderr)) }
        case .zip:
            let list = try run("unzip", ["-Z", "-l", archive])
            guard list.status == 0 else { throw FetchFailure(message: "not a zip archive: " + lastLine(list.stderr)) }
            try checkListing(list.stdout.split(separator: "\n").map(String.init), tar: false)
            let x = try run("unzip", ["-qq", "-o", archive, "-d", directory])
            guard x.status == 0 else { throw FetchFailure(message: "cannot unpack: " + lastLine(x.stderr)) }
        }
    }

    /// Checks an archive listing (`tar -tv` or `zipinfo -l` lines) before anything is written.
    func checkListing(_ lines: [String], tar: Bool) throws {
        var total = 0, count = 0
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let first = fields.first, let type = first.first, "-dlhrwx".contains(type), first.count >= 10 else { continue }
            // tar: perms owner/group size date time name [-> target]; zipinfo: perms ver os size tx csize method date time name.
            let sizeIndex = tar ? 2 : 3
            let nameIndex = tar ? 5 : 9
            guard fields.count > nameIndex, let size = Int(fields[sizeIndex]) else { continue }
            var name = fields[nameIndex...].joined(separator: " ")
            var linkTarget: String?
            if let arrow = name.range(of: " -> ") { linkTarget = String(name[arrow.upperBound...]); name = String(name[..<arrow.lowerBound]) }
            if let link = name.range(of: " link to ") { linkTarget = String(name[link.upperBound...]); name = String(name[..<link.lowerBound]) }
            count += 1
            total += size
            if !tar && type == "l" {
                throw FetchFailure(message: "archive member '\(name)' is a link; kit unpacks links from tar.gz archives only", unsafe: true)
            }
            if name.hasPrefix("/") || name.split(separator: "/").contains("..") {
                throw FetchFailure(message: "archive member '\(name)' would land outside the target", unsafe: true)
            }
            if let t = linkTarget {
                let resolved = type == "h" ? Paths.normalize("/" + t) : Paths.normalize(Paths.join(Paths.dirname("/" + name), t))
                if t.hasPrefix("/") || resolved.hasPrefix("/..") {
                    throw FetchFailure(message: "archive member '\(name)' links to '\(t)', outside the target", unsafe: true)
                }
            }
            if total > VendorTree.maxBytes || count > VendorTree.maxFiles {
                throw FetchFailure(message: "archive unpacks to more than \(VendorTree.maxBytes >> 20) MiB or \(VendorTree.maxFiles) files", unsafe: true)
            }
        }
    }

    func lastLine(_ s: String) -> String {
        s.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "no message"
    }
}

/// A fetch that failed; `unsafe` marks a refusal for safety (content leading out, too large).
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var unsafe = false
    public var description: String { message }
}
