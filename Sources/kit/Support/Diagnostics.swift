import CKitProcess
import Foundation
import KitCore
import Synchronization

/// The CLI's diagnostic sink: every error, warning, note and finding kit prints goes through it, to
/// stderr. Text by default — the label coloured only on a terminal, never with `NO_COLOR`,
/// `TERM=dumb` or `--no-color` — or one JSON object per line with `--diagnostics json` (or
/// `KIT_DIAGNOSTICS=json`) for machines. A warning or note already printed is not printed again.
final class Diagnostics: DiagnosticSink, Sendable {
    /// The sink of this process: stderr, rendered as the command line and environment ask. `Kit.main`
    /// calls it once and hands the sink to the command (through `CLIContext` and the session).
    static func standardError() -> Diagnostics {
        // Before `--chdir`: only the three variables rendering reads, not the whole environment.
        let rendering = ["KIT_DIAGNOSTICS", "NO_COLOR", "TERM"].reduce(into: [String: String]()) { env, name in
            if let value = getenv(name) { env[name] = String(cString: value) }
        }
        return Diagnostics(arguments: CommandLine.arguments, environment: rendering,
                    stderrIsTerminal: isatty(2) == 1, write: { bytes in
                        _ = bytes.withUnsafeBytes { kit_stderr_write_buffer($0.baseAddress, UInt($0.count)) }
                    })
    }

    enum Format: String { case text, json }
    let colour: Bool
    let format: Format
    private let write: @Sendable ([UInt8]) -> Void
    private let printed = Mutex<Set<Diagnostic>>([])

    /// The rendering follows the command line (`--no-color`, `--diagnostics json`) and the environment,
    /// read once before any command runs so every diagnostic, even a usage error, is rendered the same way.
    init(arguments: [String], environment: [String: String], stderrIsTerminal: Bool, write: @escaping @Sendable ([UInt8]) -> Void) {
        let kitArguments = arguments.prefix { $0 != "--" }
        var format = Format(rawValue: environment["KIT_DIAGNOSTICS"] ?? "") ?? .text
        for (i, a) in kitArguments.enumerated() {
            if a == "--diagnostics", i + 1 < kitArguments.count, let f = Format(rawValue: kitArguments[kitArguments.startIndex + i + 1]) { format = f }
            if a.hasPrefix("--diagnostics="), let f = Format(rawValue: String(a.dropFirst(14))) { format = f }
        }
        self.format = format
        colour = format == .text && stderrIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb" &&
            !kitArguments.contains("--no-color")
        self.write = write
    }

    func emit(_ d: Diagnostic) {
        if d.severity != .error {
            guard printed.withLock({ $0.insert(d).inserted }) else { return }
        }
        let line = format == .json ? JSONWriter.compact(d.value) : d.text(colour: colour)
        write(Array((line + "\n").utf8))
    }

    func error(_ message: String) { emit(Diagnostic(.error, message)) }
    /// An error kit stops on, with the fields it knows (`DiagnosticConvertibleError`): location,
    /// stack, component, plugin, op.
    func error(_ error: any Error) { emit(Diagnostic(error: error)) }
    func warning(_ message: String) { emit(Diagnostic(.warning, message)) }
    func note(_ message: String) { emit(Diagnostic(.note, message)) }
}

/// Writes command output to stdout in one piece: straight from the bytes (`describe stacks` writes a
/// hundred megabytes; a `Data` copy of each megabyte cost 2% of it). An output that cannot be written
/// (a full disk, a closed pipe with SIGPIPE ignored) is an error and exit code 74, not a crash.
enum Output {
    static func write(_ text: String) {
        write(Array(text.utf8))
    }

    static func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if bytes.withUnsafeBytes({ kit_write_all(1, $0.baseAddress, UInt($0.count)) }) < 0 {
            let reason = String(cString: strerror(errno))
            _ = Array("kit: error: cannot write the output: \(reason)\n".utf8).withUnsafeBytes { kit_write_all(2, $0.baseAddress, UInt($0.count)) }
            exit(74)
        }
    }
}
