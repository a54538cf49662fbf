import CKitProcess
import Foundation
import KitModel
import KitStacks
import KitTerraform

/// A git work tree, read by spawning `git` (no shell, no checkout, no clone): refs, trees, blobs and
/// the paths that differ between two commits (or a commit and the work tree).
public struct GitRepository: Sendable {
    /// The top of the work tree (absolute).
    public let root: String
    /// True for a shallow clone.
    public let isShallow: Bool
    let environment: [String: String]

    /// Opens the repository containing `directory`.
    public init(directory: String, environment: [String: String]) throws {
        self.environment = environment
        guard (try? SystemProcessRunner.resolve("git", env: environment)) != nil else { throw AffectedError.gitMissing }
        let r = try Self.git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], cwd: directory, environment: environment)
        guard r.status == 0 else {
            if r.stderr.contains("not a git repository") { throw AffectedError.notARepository(directory: directory) }
            throw AffectedError.gitFailed(command: "rev-parse --show-toplevel", status: r.status, message: r.stderr)
        }
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard lines.count >= 2 else { throw AffectedError.notARepository(directory: directory) }
        root = LocalFileSystem.realPath(lines[0]) ?? lines[0]
        isShallow = lines[1] == "true"
    }

    /// The commit id `ref` names; `option` (`--base`) is used in the error.
    public func commit(_ ref: String, option: String) throws -> String {
        let r = try run(["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"])
        let id = r.stdout.trimmingSpaces()
        guard r.status == 0, id.count >= 40 else {
            if isShallow { throw AffectedError.shallowClone(ref: ref, option: option) }
            throw AffectedError.unknownRef(ref: ref, option: option)
        }
        return id
    }

    /// One entry of a tree listing.
    public struct TreeEntry: Sendable {
        public var path: String
        public var object: String
        public var isLink: Bool
    }

    /// Every blob of `commit`, paths relative to the root (`git ls-tree -r -z --full-tree`).
    public func tree(_ commit: String) throws -> [TreeEntry] {
        let r = try runBytes(["ls-tree", "-r", "-z", "--full-tree", commit])
        guard r.status == 0 else { throw AffectedError.gitFailed(command: "ls-tree -r \(commit)", status: r.status, message: r.stderr) }
        var out: [TreeEntry] = []
        for record in r.stdout.split(separator: 0) {
            // <mode> SP <type> SP <object> TAB <path>
            guard let tab = record.firstIndex(of: 9) else { continue }
            let head = record[record.startIndex..<tab].split(separator: 32)
            guard head.count == 3, head[1].elementsEqual("blob".utf8) else { continue }
            out.append(TreeEntry(path: String(decoding: record[(tab + 1)...], as: UTF8.self),
                                 object: String(decoding: head[2], as: UTF8.self),
                                 isLink: head[0].elementsEqual("120000".utf8)))
        }
        return out
    }

    /// The contents of `objects`, read by one `git cat-file --batch` process.
    public func blobs(_ objects: [String]) throws -> [String: [UInt8]] {
        if objects.isEmpty { return [:] }
        let r = try Self.gitBytes(["cat-file", "--batch"], cwd: root, environment: environment,
                                  input: Array(objects.joined(separator: "\n").utf8) + [10])
        guard r.status == 0 else {
            throw AffectedError.gitFailed(command: "cat-file --batch", status: r.status, message: r.stderr)
        }
        let bytes = r.stdout
        // <object> SP <type> SP <size> LF <contents> LF, or <object> SP missing LF
        var out: [String: [UInt8]] = [:]
        var i = 0
        while i < bytes.count {
            guard let nl = bytes[i...].firstIndex(of: 10) else { break }
            let header = bytes[i..<nl].split(separator: 32)
            i = nl + 1
            guard header.count == 3, let size = Int(String(decoding: header[2], as: UTF8.self)) else { continue }
            let end = min(i + size, bytes.count)
            out[String(decoding: header[0], as: UTF8.self)] = Array(bytes[i..<end])
            i = end + 1
        }
        return out
    }

    /// Paths (relative to the root) that differ between `base` and `head`, or between `base` and the
    /// work tree (tracked changes, staged or not, and untracked files that are not ignored) when `head` is nil.
    public func changedPaths(base: String, head: String?) throws -> Set<String> {
        var args = ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", base]
        if let head { args.append(head) }
        let diff = try runBytes(args)
        guard diff.status == 0 else { throw AffectedError.gitFailed(command: args.joined(separator: " "), status: diff.status, message: diff.stderr) }
        var paths = Set(diff.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        if head == nil {
            let untracked = try runBytes(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", ":/"])
            if untracked.status == 0 {
                for p in untracked.stdout.split(separator: 0) { paths.insert(String(decoding: p, as: UTF8.self)) }
            }
        }
        return paths
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }
    struct BytesOutput { var status: Int32; var stdout: [UInt8]; var stderr: String }

    func run(_ args: [String]) throws -> Output {
        try Self.git(args, cwd: root, environment: environment)
    }

    func runBytes(_ args: [String]) throws -> BytesOutput {
        try Self.gitBytes(args, cwd: root, environment: environment)
    }

    static func git(_ args: [String], cwd: String, environment: [String: String]) throws -> Output {
        let r = try gitBytes(args, cwd: cwd, environment: environment)
        return Output(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self), stderr: r.stderr)
    }

    /// Runs git through kit's process layer with stdout captured, stderr in a temporary file (no pipe
    /// to fill up) and stdin from `input` (in a second temporary file) or /dev/null.
    static func gitBytes(_ args: [String], cwd: String, environment: [String: String], input: [UInt8]? = nil) throws -> BytesOutput {
        func temporaryFile() throws -> Int32 {
            var template = Array((NSTemporaryDirectory() + "/kit-git-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { kit_temp_file($0.baseAddress!) }
            guard fd >= 0 else { throw POSIXFailure(errno: errno, path: NSTemporaryDirectory()) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            return fd
        }
        let fd = try temporaryFile()
        defer { close(fd) }
        var stdin = KIT_STDIN_NULL
        if let input {
            stdin = try temporaryFile()
            guard DescriptorReader.writeAll(stdin, input), lseek(stdin, 0, SEEK_SET) == 0 else {
                let failure = POSIXFailure(errno: errno, path: NSTemporaryDirectory())
                close(stdin)
                throw failure
            }
        }
        defer { if stdin >= 0 { close(stdin) } }
        var env = environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["LC_ALL"] = "C"
        let r = try SystemProcessRunner().run("git", ["-c", "core.quotepath=off"] + args, cwd: cwd, env: env, stdout: .capture,
                                              stderr: .descriptor(fd), stdin: stdin, keepDescriptor: nil)
        lseek(fd, 0, SEEK_SET)
        let err = DescriptorReader.readAll(fd)
        return BytesOutput(status: r.status, stdout: r.stdout, stderr: String(decoding: err, as: UTF8.self).trimmingSpaces())
    }
}
