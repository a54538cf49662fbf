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
final class RunningCommand: @unchecked Sendable {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String
    let started = Date()
    let label: String

    /// Starts `executable` in `cwd` with exactly `environment`; output files go to `logDirectory`.
    init(_ executable: String, _ arguments: [String], cwd: String, environment: [String: String],
         logDirectory: String, label: String) throws {
        self.label = label
        let stem = logDirectory + "/" + label.map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce("") { $0 + String($1) }
        var unique = stem
        var n = 1
        while FileManager.default.fileExists(atPath: unique + ".stdout") { n += 1; unique = "\(stem)-\(n)" }
        stdoutPath = unique + ".stdout"
        stderrPath = unique + ".stderr"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Everything written so far (stdout then stderr), colour codes removed.
    func outputSoFar() -> String { Self.read(stdoutPath) + Self.read(stderrPath) }

    /// Waits until the output contains `text`; throws when the process ends first or time runs out.
    func waitForOutput(containing text: String, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if outputSoFar().contains(text) { return }
            if !process.isRunning {
                if outputSoFar().contains(text) { return }
                throw IntegrationSetupError("'\(label)' ended (status \(process.terminationStatus)) before printing '\(text)':\n\(outputSoFar())")
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
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            throw IntegrationSetupError("'\(label)' did not finish within \(Int(timeout)) s and was killed; output so far:\n\(outputSoFar())")
        }
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CommandResult(status: status, stdout: Self.read(stdoutPath), stderr: Self.read(stderrPath),
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
