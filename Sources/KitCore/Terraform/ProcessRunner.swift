import CKitProcess
import Foundation

/// Runs a child process: output streamed live (inherited descriptors) or captured, SIGINT/SIGTERM
/// forwarded so terraform can release its state lock (a third SIGINT kills it).
public protocol ProcessRunning: Sendable {
    /// Runs and returns the exit status (128+signal when killed). `capture` returns stdout instead of streaming it.
    func run(_ executable: String, _ args: [String], cwd: String, env: [String: String], capture: Bool) throws -> ProcessResult
}

/// A finished process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    /// How many SIGINT/SIGTERM kit received while it ran.
    public var signalsReceived: Int
}

/// Spawns real processes with `posix_spawn` and waits with a blocking `waitpid` (Foundation's
/// `Process` polls for exit on Linux, which added ~50 ms to every terraform command).
public struct SystemProcessRunner: ProcessRunning {
    public init() {}

    public func run(_ executable: String, _ args: [String], cwd: String, env: [String: String], capture: Bool) throws -> ProcessResult {
        let path = try Self.resolve(executable, env: env)
        var pipeFDs: [Int32] = [-1, -1]
        if capture { guard pipe(&pipeFDs) == 0 else { throw POSIXFailure(errno: errno, path: path) } }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        let pid = kit_spawn(path, argv, envp, cwd, capture ? pipeFDs[1] : -1)
        if capture { close(pipeFDs[1]) }
        guard pid > 0 else {
            if capture { close(pipeFDs[0]) }
            throw POSIXFailure(errno: -pid, path: path)
        }
        kit_forward_signals_to(pid)
        var out: [UInt8] = []
        if capture {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(pipeFDs[0], $0.baseAddress, $0.count) }
                if n > 0 { out.append(contentsOf: buffer[0..<n]); continue }
                if n < 0 && errno == EINTR { continue }
                break
            }
            close(pipeFDs[0])
        }
        let status = kit_wait(pid)
        let signals = Int(kit_stop_forwarding())
        return ProcessResult(status: status, stdout: out, signalsReceived: signals)
    }

    /// An executable name looked up on PATH (a path is used as is).
    public static func resolve(_ name: String, env: [String: String]) throws -> String {
        if name.contains("/") { return name }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw TerraformError.commandNotFound(name)
    }
}
