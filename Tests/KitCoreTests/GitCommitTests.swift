import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `GitCommit.head` reads `HEAD` from the repository's files instead of starting git; every layout
/// it reads must give exactly what `git rev-parse HEAD` gives, and anything unusual must ask git.
@Suite struct GitCommitTests {
    @discardableResult
    static func git(_ args: [String], in dir: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func repository() throws -> String {
        let root = FixtureRepo.sessionRoot + "/git-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/sub/dir", withIntermediateDirectories: true)
        try git(["init", "-q"], in: root)
        try "a\n".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
        try git(["add", "a.txt"], in: root)
        try git(["commit", "-q", "-m", "one"], in: root)
        return root
    }

    @Test func looseRefPackedRefDetachedAndWorktreeAgreeWithGit() throws {
        let root = try Self.repository()
        let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        // A loose branch ref, read from a subdirectory.
        #expect(GitCommit.headFromFiles(in: root + "/sub/dir", environment: env) == (try Self.git(["rev-parse", "HEAD"], in: root)))
        // A second commit, then every ref packed.
        try "b\n".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
        try Self.git(["commit", "-q", "-am", "two"], in: root)
        try Self.git(["pack-refs", "--all"], in: root)
        #expect(!FileManager.default.fileExists(atPath: root + "/.git/refs/heads/main"))
        #expect(GitCommit.headFromFiles(in: root, environment: env) == (try Self.git(["rev-parse", "HEAD"], in: root)))
        // Detached HEAD.
        let first = try Self.git(["rev-parse", "HEAD~1"], in: root)
        try Self.git(["checkout", "-q", "--detach", first], in: root)
        #expect(GitCommit.headFromFiles(in: root, environment: env) == first)
        // A linked worktree: `.git` is a file, refs live in the common directory.
        try Self.git(["checkout", "-q", "main"], in: root)
        let tree = root + "-wt"
        try Self.git(["worktree", "add", "-q", "-b", "other", tree, first], in: root)
        #expect(GitCommit.headFromFiles(in: tree, environment: env) == first)
        #expect(GitCommit.head(in: tree, environment: env) == (try Self.git(["rev-parse", "HEAD"], in: tree)))
    }

    @Test func unusualSetupsAskGit() throws {
        let root = try Self.repository()
        // GIT_DIR and friends change git's answer: the files are not read.
        #expect(GitCommit.headFromFiles(in: root, environment: ["GIT_DIR": "/elsewhere"]) == nil)
        #expect(GitCommit.headFromFiles(in: root, environment: ["GIT_CONFIG_COUNT": "1"]) == nil)
        // Settings that do not change the answer (TLS for fetches) leave the files readable.
        #expect(GitCommit.headFromFiles(in: root, environment: ["GIT_SSL_CAINFO": "/etc/ssl/certs/ca.crt"]) != nil)
        // A branch with no commit yet (an unborn HEAD) has no commit: nil, as git fails.
        let empty = FixtureRepo.sessionRoot + "/git-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try Self.git(["init", "-q"], in: empty)
        #expect(GitCommit.headFromFiles(in: empty, environment: [:]) == nil)
        #expect(GitCommit.head(in: empty, environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) == nil)
        // Not a repository at all.
        #expect(GitCommit.headFromFiles(in: "/proc", environment: [:]) == nil)
        #expect(GitCommit.lookUp(in: "/proc", environment: [:]) == .noRepository)
        // The unborn branch is unsure (git answers), not "no repository".
        #expect(GitCommit.lookUp(in: empty, environment: [:]) == .unsure)
    }

    /// Outside any repository the files answer and git is not started (it would only say
    /// "not a git repository"); a directory that may be a bare repository still asks git, and git's
    /// answer there is the one kit gives.
    @Test func noRepositoryStartsNoGit() throws {
        let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let outside = FixtureRepo.sessionRoot + "/no-git-\(UUID().uuidString)/a/b"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        // Only meaningful when the temporary directory is itself outside every repository, as git says.
        let gitSays = try Self.git(["rev-parse", "HEAD"], in: outside)
        try #require(gitSays.isEmpty)
        #expect(GitCommit.lookUp(in: outside, environment: env) == .noRepository)
        let counting = CountingProcesses()
        #expect(GitCommit.head(in: outside, environment: env, processes: counting) == nil)
        #expect(counting.runs.value == 0)

        let bare = FixtureRepo.sessionRoot + "/bare-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        try Self.git(["init", "-q", "--bare"], in: bare)
        #expect(GitCommit.lookUp(in: bare, environment: env) == .unsure)
        // A stray `.git` kit cannot read (a dangling link) is not "no repository" either.
        let odd = FixtureRepo.sessionRoot + "/odd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: odd + "/.git", withDestinationPath: odd + "/missing")
        #expect(GitCommit.lookUp(in: odd, environment: env) == .unsure)
    }

    /// A process runner that counts runs and runs nothing.
    final class CountingProcesses: ProcessRunning, @unchecked Sendable {
        let runs = Counter()
        func run(_ executable: String, _ args: [String], cwd: String, env: [String: String],
                 stdout: ProcessOutput, stderr: ProcessOutput, nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult {
            runs.value += 1
            return ProcessResult(termination: .exited(128))
        }
        final class Counter: @unchecked Sendable { var value = 0 }
    }
}
