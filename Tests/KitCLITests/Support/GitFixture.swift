import Foundation

/// A stack repository built by a test as a real git repository, commit by commit, in a fresh temp
/// directory (removed on release). `kit` runs in it like in `FixtureRepository`.
final class GitFixture {
    let scratch: URL
    /// The work tree (symlinks resolved).
    let root: URL

    init() throws {
        let fm = FileManager.default
        scratch = fm.temporaryDirectory.appendingPathComponent("kit-git-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch.appendingPathComponent("repo"), withIntermediateDirectories: true)
        root = scratch.appendingPathComponent("repo").resolvingSymlinksInPath()
        try git(["init", "-q", "-b", "main"])
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// Writes `text` to `path` (folders created).
    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Removes a file or folder.
    func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

    /// Commits everything and tags the commit `tag`.
    func commit(_ tag: String) throws {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", tag])
        try git(["tag", tag])
    }

    /// Runs git in the work tree; throws on failure.
    @discardableResult
    func git(_ args: [String], in dir: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + args
        process.currentDirectoryURL = dir ?? root
        process.environment = Self.gitEnvironment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "git \(args.joined(separator: " ")) failed: \(text)"])
        }
        return text
    }

    static let gitEnvironment: [String: String] = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
        "HOME": FixtureRepository.home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "kit tests", "GIT_AUTHOR_EMAIL": "tests@example.com",
        "GIT_COMMITTER_NAME": "kit tests", "GIT_COMMITTER_EMAIL": "tests@example.com",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    ]

    /// Runs the built kit in `dir` (default: the work tree).
    /// `environment` adds variables; `binary` replaces the isolated copy (e.g. the built kit with its plugins).
    func kit(_ arguments: [String], in dir: URL? = nil, environment: [String: String] = [:], binary: URL? = nil) throws -> KitRun {
        let process = Process()
        process.executableURL = try binary ?? KitBinary.isolated()
        process.arguments = arguments
        process.currentDirectoryURL = dir ?? root
        var env = Self.gitEnvironment
        env["NO_COLOR"] = "1"
        env["LANG"] = "C.UTF-8"
        process.environment = env.merging(environment) { _, new in new }
        let out = scratch.appendingPathComponent("out-\(UUID().uuidString)")
        let err = scratch.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        let o = try FileHandle(forWritingTo: out), e = try FileHandle(forWritingTo: err)
        process.standardOutput = o
        process.standardError = e
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try o.close(); try e.close()
        return KitRun(arguments: arguments, exitCode: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }
}
