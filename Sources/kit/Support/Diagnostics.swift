import Foundation
import KitCore

/// The one place kit prints errors, warnings and notes: stderr, coloured only on a TTY without NO_COLOR.
final class Diagnostics: @unchecked Sendable {
    static let shared = Diagnostics()
    private let lock = NSLock()
    let colour: Bool

    init() {
        let env = ProcessInfo.processInfo.environment
        colour = isatty(2) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    func error(_ message: String) { emit("error", "31", message) }
    func warning(_ message: String) { emit("warning", "33", message) }
    func note(_ message: String) { emit("note", "36", message) }

    private func emit(_ label: String, _ code: String, _ message: String) {
        let prefix = colour ? "\u{1B}[1;\(code)m\(label):\u{1B}[0m " : "\(label): "
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write((prefix + message + "\n").data(using: .utf8)!)
    }
}

/// Writes command output to stdout in one piece.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(text.data(using: .utf8)!)
    }

    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }
}
