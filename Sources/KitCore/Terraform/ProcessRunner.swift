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

/// Spawns real processes with Foundation's `Process`.
public struct SystemProcessRunner: ProcessRunning {
    public init() {}

    public func run(_ executable: String, _ args: [String], cwd: String, env: [String: String], capture: Bool) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Self.resolve(executable, env: env))
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        p.environment = env
        var pipe: Pipe?
        if capture {
            pipe = Pipe()
            p.standardOutput = pipe
        }
        try p.run()
        kit_forward_signals_to(p.processIdentifier)
        var out: [UInt8] = []
        if let pipe { out = Array(pipe.fileHandleForReading.readDataToEndOfFile()) }
        p.waitUntilExit()
        let signals = Int(kit_stop_forwarding())
        let status: Int32 = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
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
