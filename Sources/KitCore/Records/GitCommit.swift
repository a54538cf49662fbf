import Foundation
import KitModel
import KitStacks
import KitTerraform
/// The commit checked out in a repository, for run records.
public enum GitCommit {
    /// The commit `git rev-parse HEAD` prints in `directory`, or nil when it is not a git repository or
    /// git is missing. Read from the repository's files when that is unambiguous (`HEAD`, a loose ref
    /// or `packed-refs`, worktrees through `commondir`), which spares a git process on every run;
    /// anything else — a `GIT_*` setting, a symbolic ref kit cannot follow, an odd file — asks git.
    public static func head(in directory: String, environment: [String: String], processes: ProcessRunning = SystemProcessRunner()) -> String? {
        switch lookUp(in: directory, environment: environment) {
        case .commit(let commit): return commit
        case .noRepository: return nil  // git would say "not a git repository": no process for that answer
        case .unsure: break
        }
        guard (try? SystemProcessRunner.resolve("git", env: environment)) != nil else { return nil }
        let devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { if devnull >= 0 { close(devnull) } }
        guard let result = try? processes.run("git", ["rev-parse", "HEAD"], cwd: directory, env: environment,
                                              stdout: .capture, stderr: devnull >= 0 ? .descriptor(devnull) : .inherit,
                                              nullStdin: true, keepDescriptor: nil),
              result.status == 0 else { return nil }
        let text = String(decoding: result.stdout, as: UTF8.self).trimmingSpaces()
        return isObjectName(text) ? text : nil
    }

    /// What the files say of `HEAD`.
    enum FileAnswer: Equatable {
        /// The commit `git rev-parse HEAD` prints.
        case commit(String)
        /// No directory from `directory` up to `/` or the file-system boundary holds a `.git` or is
        /// a bare repository: git finds no repository either.
        case noRepository
        /// Anything else (an unborn branch, a ref kit cannot follow, an odd `.git`, `GIT_*` settings): ask git.
        case unsure
    }

    /// `HEAD`'s commit from the files of the repository holding `directory`, or nil when unsure or
    /// when there is no repository.
    static func headFromFiles(in directory: String, environment: [String: String], fileSystem: FileSystem = LocalFileSystem()) -> String? {
        if case .commit(let commit) = lookUp(in: directory, environment: environment, fileSystem: fileSystem) { return commit }
        return nil
    }

    /// What the repository's files say of `HEAD` (see `FileAnswer`).
    static func lookUp(in directory: String, environment: [String: String], fileSystem: FileSystem = LocalFileSystem()) -> FileAnswer {
        // Git's own settings that change which repository or ref it reads: then git answers.
        if environment.keys.contains(where: { gitSettings.contains($0) || $0.hasPrefix("GIT_CONFIG") }) { return .unsure }
        func text(_ path: String) -> String? {
            guard let bytes = try? fileSystem.readRegularFile(path, limit: 1 << 20) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
        var dir = Paths.normalize(directory)
        var gitDir: String?
        // Like git, the search stops at a file-system boundary.
        func device(_ path: String) -> UInt64? {
            var st = stat()
            return stat(path, &st) == 0 ? UInt64(st.st_dev) : nil
        }
        func exists(_ path: String) -> Bool {
            var st = stat()
            return lstat(path, &st) == 0
        }
        guard let startDevice = device(dir) else { return .unsure }
        while gitDir == nil {
            // Past the boundary git stops looking (without GIT_DISCOVERY_ACROSS_FILESYSTEM, excluded above).
            guard device(dir) == startDevice else { return .noRepository }
            let dotGit = Paths.join(dir, ".git")
            if fileSystem.isDirectory(dotGit) {
                gitDir = dotGit
            } else if let link = text(dotGit) {
                guard link.hasPrefix("gitdir: ") else { return .unsure }
                let target = String(link.dropFirst("gitdir: ".count)).trimmingSpaces()
                gitDir = target.hasPrefix("/") ? target : Paths.join(dir, target)
            } else if exists(dotGit) || exists(Paths.join(dir, "HEAD")) {
                // A `.git` kit cannot read, or a directory that may itself be a bare repository.
                return .unsure
            } else if dir == "/" || dir.isEmpty {
                return .noRepository
            } else {
                dir = Paths.dirname(dir)
            }
        }
        guard let gitDir, let head = text(Paths.join(gitDir, "HEAD"))?.trimmingSpaces() else { return .unsure }
        if isObjectName(head) { return .commit(head) }
        guard head.hasPrefix("ref: refs/") else { return .unsure }
        let ref = String(head.dropFirst("ref: ".count))
        guard !ref.contains(".."), !ref.contains(" ") else { return .unsure }
        var commonDir = gitDir
        if let common = text(Paths.join(gitDir, "commondir"))?.trimmingSpaces(), !common.isEmpty {
            commonDir = common.hasPrefix("/") ? common : Paths.join(gitDir, common)
        }
        for base in [gitDir, commonDir] {
            if let loose = text(Paths.join(base, ref))?.trimmingSpaces() {
                return isObjectName(loose) ? .commit(loose) : .unsure
            }
        }
        guard let packed = text(Paths.join(commonDir, "packed-refs")) else { return .unsure }
        for line in packed.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("^") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[1] == ref { return isObjectName(String(parts[0])) ? .commit(String(parts[0])) : .unsure }
        }
        return .unsure
    }

    /// Environment variables that change which repository, work tree or refs git reads.
    static let gitSettings: Set<String> = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES",
                                           "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_NAMESPACE", "GIT_REF_PARANOIA"]

    /// A full object name: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits.
    static func isObjectName(_ s: String) -> Bool {
        (s.utf8.count == 40 || s.utf8.count == 64) && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
