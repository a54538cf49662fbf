import Foundation
import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// Where the estate's output goes: one writer, so lines and blocks never interleave mid-line.
public final class EstateOutput: Sendable {
    private let fd: Int32
    private let lock = Mutex<Void>(())

    /// Writes to a duplicate of descriptor `fd` (stdout for the CLI), taken now: an in-process
    /// plugin call redirects fd 1 around itself (so a plugin's prints cannot corrupt kit's output),
    /// and another component's lines written meanwhile must still reach the real stdout.
    public init(fd: Int32) {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        self.fd = copy >= 0 ? copy : fd
    }

    /// Writes bytes in one piece.
    public func write(_ bytes: [UInt8]) {
        lock.withLock { _ in _ = DescriptorReader.writeAll(fd, bytes) }
    }
}

/// One component's output during an estate run: terraform's stdout and stderr go into a pipe kit
/// reads line by line; kit's own notes about the component join them. Lines are prefixed with
/// `[<stack>/<component>] `, streamed or held until the component ends (`LogOrder`). terraform's
/// summary lines are counted on the way (`counts`).
public final class ComponentLog: Sendable {
    /// The descriptor children write to (stdout and stderr).
    public let writeDescriptor: Int32
    private let readDescriptor: Int32
    private let prefix: [UInt8]
    private let order: LogOrder
    private let output: EstateOutput
    private struct State {
        var held: [UInt8] = []
        var counts: ChangeCounts?
        var lines = 0
        var closed = false
        var plan = PlanText.Collector()
    }
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    public init(id: InstanceID, order: LogOrder, output: EstateOutput) throws {
        var fds: [Int32] = [-1, -1]
        guard kitPipe(&fds) == 0 else { throw POSIXFailure(errno: errno, path: "pipe") }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        prefix = Array("[\(id.stack)/\(id.component)] ".utf8)
        self.order = order
        self.output = output
        let thread = Thread { [self] in
            DescriptorReader.forEachLine(readDescriptor) { line in self.take(line) }
            close(readDescriptor)
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// A line kit says about the component (a note, a finding).
    public func note(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            take(Array(line.utf8))
        }
    }

    private func take(_ line: [UInt8]) {
        let counted = TerraformOutputScanner.counts(in: line)
        let bytes = prefix + line + [10]
        let streamNow: Bool = state.withLock { s in
            if let counted { s.counts = counted }
            s.lines += 1
            s.plan.take(line)
            if order == .grouped { s.held += bytes; return false }
            return true
        }
        if streamNow { output.write(bytes) }
    }

    /// The output so far as plan text for a summary (bounded; `secrets` masked).
    public func planText(masking secrets: [String]) -> PlanText {
        state.withLock { $0.plan.result(masking: secrets) }
    }

    /// Closes kit's write end, waits for the reader to drain the pipe, and prints a held block.
    /// Returns the last change counts terraform printed.
    @discardableResult
    public func finish() -> ChangeCounts? {
        let already = state.withLock { s -> Bool in
            defer { s.closed = true }
            return s.closed
        }
        if !already {
            close(writeDescriptor)
            finished.wait()
        }
        let (held, counts) = state.withLock { s -> ([UInt8], ChangeCounts?) in
            defer { s.held = [] }
            return (s.held, s.counts)
        }
        if !held.isEmpty { output.write(held) }
        return counts
    }
}

/// A process runner that sends every child's stdout and stderr to a component's log, and gives it
/// /dev/null as stdin (many components run at once; none may read the terminal).
public struct LoggedProcessRunner: ProcessRunning {
    public var base: ProcessRunning
    public var log: ComponentLog

    public init(base: ProcessRunning, log: ComponentLog) {
        self.base = base
        self.log = log
    }

    public func resolve(_ name: String, env: [String: String]) throws -> String { try base.resolve(name, env: env) }

    public func run(_ executable: String, _ args: [String], cwd: String, env: [String: String],
                    stdout: ProcessOutput, stderr: ProcessOutput, nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult {
        func redirect(_ o: ProcessOutput) -> ProcessOutput {
            if case .inherit = o { return .descriptor(log.writeDescriptor) }
            return o
        }
        return try base.run(executable, args, cwd: cwd, env: env, stdout: redirect(stdout), stderr: redirect(stderr),
                            nullStdin: true, keepDescriptor: keepDescriptor)
    }
}
