import Foundation
/// The commit checked out in a repository, for run records.
public enum GitCommit {
    /// `git rev-parse HEAD` in `directory`, or nil when it is not a git repository or git is missing.
    public static func head(in directory: String, environment: [String: String], processes: ProcessRunning = SystemProcessRunner()) -> String? {
        guard (try? SystemProcessRunner.resolve("git", env: environment)) != nil else { return nil }
        let devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { if devnull >= 0 { close(devnull) } }
        guard let result = try? processes.run("git", ["rev-parse", "HEAD"], cwd: directory, env: environment,
                                              stdout: .capture, stderr: devnull >= 0 ? .descriptor(devnull) : .inherit,
                                              nullStdin: true, keepDescriptor: nil),
              result.status == 0 else { return nil }
        let text = String(decoding: result.stdout, as: UTF8.self).trimmingSpaces()
        return text.count == 40 ? text : nil
    }
}
