import Foundation

/// A finished command: exit status, output with terminal colour codes removed, wall time.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double

    /// stdout and stderr together, for messages and searches.
    var output: String { stdout + stderr }
}

/// A child process whose stdout and stderr go to files, so that nothing blocks on a full pipe and the
/// output can be watched while it runs.
///
/// Started with `posix_spawn` the way a shell starts a command: an empty signal mask and default
/// SIGINT/SIGTERM handling. (Foundation's `Process` passes on the spawning thread's mask, and the
/// test runner's threads block SIGINT, which would make every child deaf to it.)
final class RunningCommand: @unchecked Sendable {
    let stdoutPath: String
    let stderrPath: String
    let started = Date()
    let label: String
    /// The process id.
    let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` in `cwd` with exactly `environment`; output files go to `logDirectory`.
    /// `blockedSignals` are blocked in the child from the start (to test a caller that blocks them).
    init(_ executable: String, _ arguments: [String], cwd: String, environment: [String: String],
         logDirectory: String, label: String, blockedSignals: [Int32] = []) throws {
        self.label = label
        let stem = logDirectory + "/" + String(label.map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(80))
        var unique = stem
        var n = 1
        while FileManager.default.fileExists(atPath: unique + ".stdout") { n += 1; unique = "\(stem)-\(n)" }
        stdoutPath = unique + ".stdout"
        stderrPath = unique + ".stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in blockedSignals { sigaddset(&mask, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // `sh` changes directory and execs the command (same pid); Glibc's addchdir_np is not in Swift's Glibc module.
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd, executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw IntegrationSetupError("cannot start '\(executable)': \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    /// True until the process has exited (and been reaped).
    var isRunning: Bool { reap(block: false) == nil }

    /// The exit status: the exit code, or 128+signal when a signal ended it; nil while running.
    var terminationStatus: Int32? { reap(block: false) }

    /// Blocks until the process exits; returns the status as `terminationStatus` does.
    @discardableResult
    func waitUntilExit() -> Int32 { reap(block: true)! }

    private func reap(block: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var raw: Int32 = 0
        var got: pid_t
        repeat { got = waitpid(pid, &raw, block ? 0 : WNOHANG) } while got < 0 && errno == EINTR
        guard got == pid else { return nil }
        let signal = raw & 0x7f
        exitStatus = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return exitStatus
    }

    /// Everything written so far (stdout then stderr), colour codes removed.
    func outputSoFar() -> String { Self.read(stdoutPath) + Self.read(stderrPath) }

    /// Waits until the output contains `text`; throws when the process ends first or time runs out.
    func waitForOutput(containing text: String, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if outputSoFar().contains(text) { return }
            if let status = terminationStatus {
                if outputSoFar().contains(text) { return }
                throw IntegrationSetupError("'\(label)' ended (status \(status)) before printing '\(text)':\n\(outputSoFar())")
            }
            usleep(50_000)
        }
        throw IntegrationSetupError("'\(label)' did not print '\(text)' within \(Int(timeout)) s:\n\(outputSoFar())")
    }

    /// Sends SIGINT to the process (only to it, not to its children).
    func interrupt() { kill(pid, SIGINT) }

    /// Waits for the exit; after `timeout` seconds the process is killed and this throws.
    func wait(timeout: Double) throws -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(20_000) }
        if isRunning {
            kill(pid, SIGKILL)
            waitUntilExit()
            throw IntegrationSetupError("'\(label)' did not finish within \(Int(timeout)) s and was killed; output so far:\n\(outputSoFar())")
        }
        return CommandResult(status: waitUntilExit(), stdout: Self.read(stdoutPath), stderr: Self.read(stderrPath),
                             seconds: Date().timeIntervalSince(started))
    }

    /// Runs to completion.
    static func run(_ executable: String, _ arguments: [String], cwd: String, environment: [String: String],
                    logDirectory: String, label: String, timeout: Double = 120) throws -> CommandResult {
        try RunningCommand(executable, arguments, cwd: cwd, environment: environment, logDirectory: logDirectory, label: label)
            .wait(timeout: timeout)
    }

    static func read(_ path: String) -> String {
        stripColour(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self))
    }

    /// Removes ANSI escape sequences (terraform colours its output even without a terminal).
    static func stripColour(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var inEscape = false
        var sawBracket = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if !sawBracket {
                    if scalar == "[" { sawBracket = true; continue }
                    inEscape = false
                    continue
                }
                if (0x40...0x7E).contains(scalar.value) { inEscape = false; sawBracket = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; sawBracket = false; continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
