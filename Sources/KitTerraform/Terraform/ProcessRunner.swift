import CKitProcess
import Foundation
import Synchronization
import KitModel
import KitStacks

/// How a child process ended.
public enum TerminationStatus: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)

    /// The shell-style code: the exit code, or 128 + signal.
    public var code: Int32 {
        switch self {
        case .exited(let c): return c
        case .signaled(let s): return 128 + s
        }
    }
}

/// Where a child's output goes.
public enum ProcessOutput: Sendable {
    /// kit's own descriptor (the terminal).
    case inherit
    /// Read by kit and returned in `ProcessResult.stdout`.
    case capture
    /// Written to this descriptor (a pipe or file kit owns).
    case descriptor(Int32)
}

/// Runs a child process. Every child runs in its own process group, dies with kit, and gets the
/// SIGINT/SIGTERM kit receives forwarded exactly once (a third SIGINT kills it).
public protocol ProcessRunning: Sendable {
    /// Runs and waits. `stdout: .capture` returns the output; stdin is /dev/null when `nullStdin`.
    /// `keepDescriptor` stays open in the child (a lock it must hold until it exits).
    func run(_ executable: String, _ args: [String], cwd: String, env: [String: String],
             stdout: ProcessOutput, stderr: ProcessOutput, nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult
    /// The executable a name means (checked before a run starts, so a bad `command:` fails early).
    func resolve(_ name: String, env: [String: String]) throws -> String
}

extension ProcessRunning {
    /// The executable a name means: a path as is (checked), else looked up on PATH.
    public func resolve(_ name: String, env: [String: String]) throws -> String {
        try SystemProcessRunner.resolve(name, env: env)
    }

    /// Streams or captures stdout; stderr inherited; stdin inherited.
    public func run(_ executable: String, _ args: [String], cwd: String, env: [String: String], capture: Bool) throws -> ProcessResult {
        try run(executable, args, cwd: cwd, env: env, stdout: capture ? .capture : .inherit, stderr: .inherit,
                nullStdin: false, keepDescriptor: nil)
    }
}

/// A finished process.
public struct ProcessResult: Sendable {
    /// How it ended.
    public var termination: TerminationStatus
    public var stdout: [UInt8]
    /// How many SIGINT/SIGTERM kit had received when it ended (since kit first spawned a child).
    public var signalsReceived: Int

    /// The exit code, or 128 + signal.
    public var status: Int32 { termination.code }

    public init(termination: TerminationStatus, stdout: [UInt8] = [], signalsReceived: Int = 0) {
        self.termination = termination
        self.stdout = stdout
        self.signalsReceived = signalsReceived
    }
}

/// Process-wide interrupt state: how many SIGINT/SIGTERM kit received since it started forwarding.
public enum Interrupts {
    /// Installs kit's forwarding handler (idempotent). After this, SIGINT no longer kills kit: the
    /// runners see `received > 0` and stop starting work.
    public static func install() { kit_signals_install() }
    /// Signals received so far.
    public static var received: Int { Int(kit_signals_received()) }
}

/// Spawns real processes (fork/exec in C: own process group, `PR_SET_PDEATHSIG`, CLOEXEC pipes) and
/// waits with a blocking `waitpid`.
public struct SystemProcessRunner: ProcessRunning {
    public init() {}

    public func run(_ executable: String, _ args: [String], cwd: String, env: [String: String],
                    stdout: ProcessOutput, stderr: ProcessOutput, nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult {
        try run(executable, args, cwd: cwd, env: env, stdout: stdout, stderr: stderr,
                stdin: nullStdin ? KIT_STDIN_NULL : KIT_STDIN_INHERIT, keepDescriptor: keepDescriptor)
    }

    /// `run` with stdin read from `stdin` (a descriptor, `KIT_STDIN_NULL` or `KIT_STDIN_INHERIT`).
    package func run(_ executable: String, _ args: [String], cwd: String, env: [String: String],
             stdout: ProcessOutput, stderr: ProcessOutput, stdin: Int32, keepDescriptor: Int32?) throws -> ProcessResult {
        let path = try Self.resolve(executable, env: env)
        var pipeFDs: [Int32] = [-1, -1]
        if case .capture = stdout {
            guard kit_pipe(&pipeFDs) == 0 else { throw POSIXFailure(errno: errno, path: path) }
        }
        func fd(_ o: ProcessOutput, capture: Int32) -> Int32 {
            switch o {
            case .inherit: return -1
            case .capture: return capture
            case .descriptor(let d): return d
            }
        }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = env.keys.sorted().map { strdup("\($0)=\(env[$0]!)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // An interactive run keeps terraform in kit's process group so it can read its prompt from the terminal.
        let ownGroup = stdin != KIT_STDIN_INHERIT || isatty(STDIN_FILENO) != 1
        let pid = kit_spawn(path, argv, envp, cwd, fd(stdout, capture: pipeFDs[1]), fd(stderr, capture: -1),
                            stdin, keepDescriptor ?? -1, ownGroup ? 1 : 0)
        if pipeFDs[1] >= 0 { close(pipeFDs[1]) }
        guard pid > 0 else {
            if pipeFDs[0] >= 0 { close(pipeFDs[0]) }
            throw POSIXFailure(errno: -pid, path: path)
        }
        var out: [UInt8] = []
        if pipeFDs[0] >= 0 {
            out = DescriptorReader.readAll(pipeFDs[0])
            close(pipeFDs[0])
        }
        var signal: Int32 = 0
        let code = kit_wait(pid, &signal)
        let termination: TerminationStatus = signal != 0 ? .signaled(signal) : .exited(code)
        return ProcessResult(termination: termination, stdout: out, signalsReceived: Interrupts.received)
    }

    /// An executable name looked up on PATH (a path is used as is).
    public static func resolve(_ name: String, env: [String: String]) throws -> String {
        if name.contains("/") {
            var st = stat()
            guard stat(name, &st) == 0 else { throw TerraformError.commandUnusable(command: name, problem: "does not exist") }
            if (st.st_mode & S_IFMT) == S_IFDIR { throw TerraformError.commandUnusable(command: name, problem: "is a folder") }
            guard (st.st_mode & S_IFMT) == S_IFREG, access(name, X_OK) == 0, (st.st_mode & 0o111) != 0 else {
                throw TerraformError.commandUnusable(command: name, problem: "is not an executable file")
            }
            return name
        }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw TerraformError.commandNotFound(name)
    }
}

/// `pipe2(O_CLOEXEC)`: 0, or -1 with errno set.
public func kitPipe(_ fds: inout [Int32]) -> Int32 { kit_pipe(&fds) }

/// Wraps a runner and adds up how long its children ran (wall time), for `KIT_STATS` and the
/// estate benchmark (kit's own time = the command's time minus this).
public final class TimedProcessRunner: ProcessRunning {
    public let base: ProcessRunning
    private let total = Mutex<(nanoseconds: UInt64, count: Int)>((0, 0))

    public init(base: ProcessRunning = SystemProcessRunner()) { self.base = base }

    public func resolve(_ name: String, env: [String: String]) throws -> String { try base.resolve(name, env: env) }

    /// Milliseconds spent in children so far, and how many ran.
    public var elapsed: (milliseconds: Double, count: Int) {
        total.withLock { (Double($0.nanoseconds) / 1e6, $0.count) }
    }

    public func run(_ executable: String, _ args: [String], cwd: String, env: [String: String],
                    stdout: ProcessOutput, stderr: ProcessOutput, nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let spent = DispatchTime.now().uptimeNanoseconds - start
            total.withLock { $0.nanoseconds += spent; $0.count += 1 }
        }
        return try base.run(executable, args, cwd: cwd, env: env, stdout: stdout, stderr: stderr,
                            nullStdin: nullStdin, keepDescriptor: keepDescriptor)
    }
}
