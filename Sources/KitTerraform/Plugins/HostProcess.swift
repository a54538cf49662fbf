import CKitProcess
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KitModel
import KitStacks

/// A `kit-plugin-host` child started through kit's process layer (`kit_spawn_session`: own process
/// group, `PR_SET_PDEATHSIG`, CLOEXEC descriptors, SIGINT/SIGTERM forwarded), so Ctrl-C and kit's
/// death stop it too.
///
/// The host is reused by every later call, from any job's thread, so its lifetime is the process's:
/// it is forked by kit's long-lived session thread (`kit_spawn_session`), not by the job that first
/// needed it — on Linux the death signal fires when the forking *thread* exits, which killed the
/// host with signal 15 as soon as the first component of an estate run finished (issue 19).
///
/// The protocol runs over a socket pair on its own descriptor (`--protocol-fd N` in the child); the
/// child's stdin is `/dev/null` and its stdout and stderr are pipes that kit reads as log lines, so
/// nothing the plugin prints can be taken for a protocol answer.
final class HostProcess {
    /// What one wait for input produced.
    enum Input {
        /// One protocol line (without its newline).
        case line([UInt8])
        /// The protocol descriptor reached end of file.
        case end
        /// The deadline passed.
        case timedOut
    }

    let pid: pid_t
    private var channel: Int32
    private var logs: [(fd: Int32, stream: String, pending: [UInt8])]
    private var buffer: [UInt8] = []
    /// One read buffer for the life of the host (a fresh 64 KiB array per read cost more than the call).
    private var chunk = [UInt8](repeating: 0, count: 65536)
    private var reaped: TerminationStatus?
    /// Receives each line the child writes to stdout or stderr: (stream, text).
    var onLog: ((String, String) -> Void)?
    /// How long to poll the channel without sleeping before blocking, in nanoseconds (0: never);
    /// only while the host last answered from another CPU than the caller's.
    var spinNanoseconds = 0
    /// The CPU the host wrote its last answer on (-1: unknown).
    private(set) var hostCPU: Int32 = -1

    private init(pid: pid_t, channel: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid
        self.channel = channel
        self.logs = [(stdout, "stdout", []), (stderr, "stderr", [])]
    }

    /// Starts `executable` with `arguments` plus `--protocol-fd N`.
    static func spawn(executable: String, arguments: [String]) throws -> HostProcess {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw PluginLoadError.hostFailed(path: executable, reason: "socketpair: \(String(cString: strerror(errno)))")
        }
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        guard kit_pipe(&out) == 0, kit_pipe(&err) == 0 else {
            let reason = String(cString: strerror(errno))
            for fd in pair + out + err where fd >= 0 { close(fd) }
            throw PluginLoadError.hostFailed(path: executable, reason: "pipe: \(reason)")
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments + ["--protocol-fd", "\(pair[1])"]).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Without SWIFT_BACKTRACE set by the user, keep the Swift runtime's crash backtrace out of kit's
        // stderr: kit reports the crash itself as a typed error.
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            environment.append(String(cString: pointer))
            entry += 1
        }
        if !environment.contains(where: { $0.hasPrefix("SWIFT_BACKTRACE=") }) { environment.append("SWIFT_BACKTRACE=enable=no") }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        let pid = kit_spawn_session(executable, argv, envp, nil, out[1], err[1], KIT_STDIN_NULL, pair[1], 1)
        close(pair[1]); close(out[1]); close(err[1])
        guard pid > 0 else {
            close(pair[0]); close(out[0]); close(err[0])
            throw PluginLoadError.hostFailed(path: executable, reason: "spawn: \(String(cString: strerror(-pid)))")
        }
        for fd in [out[0], err[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return HostProcess(pid: pid, channel: pair[0], stdout: out[0], stderr: err[0])
    }

    /// Writes all of `bytes` to the protocol descriptor; false when the child is gone.
    func write(_ bytes: [UInt8]) -> Bool {
        guard channel >= 0 else { return false }
        return bytes.withUnsafeBytes { kit_write_all(channel, $0.baseAddress, UInt($0.count)) } >= 0
    }

    /// One frame the host wrote for a request.
    enum Frame {
        /// An event's bytes, as the plugin emitted them.
        case event([UInt8])
        /// The plugin's status and response body.
        case response(status: Int32, body: [UInt8])
        /// A header that is not `E <length>` or `R <status> <length> [<cpu>]` (its text).
        case malformed(String)
        /// The protocol descriptor reached end of file.
        case end
        /// The deadline passed.
        case timedOut
    }

    /// The next protocol line, reading the child's stdout and stderr meanwhile; waits at most until
    /// `deadline` (CLOCK_MONOTONIC seconds, nil: no limit).
    func readLine(deadline: Double?) -> Input {
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            scanned = buffer.count
            if let stop = receive(deadline: deadline) { return stop }
        }
    }

    /// The next frame: a header line, then exactly the bytes it announces.
    func readFrame(deadline: Double?) -> Frame {
        let header: [UInt8]
        switch readLine(deadline: deadline) {
        case .line(let line): header = line
        case .end: return .end
        case .timedOut: return .timedOut
        }
        let fields = header.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
        let kind = fields.first
        // `R <status> <length> [<cpu>]`: the host's CPU is a scheduling hint (older hosts omit it).
        guard (kind == "E" && fields.count == 2) || (kind == "R" && (fields.count == 3 || fields.count == 4)),
              let length = Int(fields[kind == "E" ? 1 : 2]), length >= 0,
              kind == "E" || Int32(fields[1]) != nil else {
            return .malformed(String(decoding: header.prefix(200), as: UTF8.self))
        }
        while buffer.count < length {
            if let stop = receive(deadline: deadline) {
                if case .timedOut = stop { return .timedOut }
                return .end
            }
        }
        let body = Array(buffer[..<length])
        buffer.removeSubrange(..<length)
        if kind == "E" { return .event(body) }
        hostCPU = fields.count == 4 ? Int32(fields[3]) ?? -1 : -1
        // The answer may have been read together with earlier frames, before the plugin's last
        // output was polled: report that output first.
        drainLogs()
        return .response(status: Int32(fields[1])!, body: body)
    }

    /// Waits for protocol bytes (appended to `buffer`), reporting log lines meanwhile; nil when
    /// bytes arrived, else why not.
    ///
    /// `poll` reports every ready descriptor at once; log lines are reported before protocol bytes
    /// that arrived with them.
    private func receive(deadline: Double?) -> Input? {
        while true {
            guard channel >= 0 else { return .end }
            if spinNanoseconds > 0 && hostCPU >= 0 && hostCPU != kit_current_cpu() {
                _ = kit_spin_readable(channel, spinNanoseconds)
            }
            var fds = [pollfd(fd: channel, events: Int16(POLLIN), revents: 0)]
            for log in logs where log.fd >= 0 { fds.append(pollfd(fd: log.fd, events: Int16(POLLIN), revents: 0)) }
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - HostProcess.now()
                if left <= 0 { return .timedOut }
                timeout = Int32(min(left * 1000 + 1, Double(Int32.max)))
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { return .timedOut }
            if fds.dropFirst().contains(where: { $0.revents != 0 }) { drainLogs() }
            if fds[0].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { kit_read(channel, $0.baseAddress, UInt($0.count)) }
                if n <= 0 {
                    drainLogs()
                    return .end
                }
                buffer.append(contentsOf: chunk[0..<n])
                return nil
            }
        }
    }

    /// Reads whatever the child has written to stdout/stderr so far and reports complete lines.
    func drainLogs() {
        for i in logs.indices where logs[i].fd >= 0 {
            while true {
                let n = chunk.withUnsafeMutableBytes { kit_read(logs[i].fd, $0.baseAddress, UInt($0.count)) }
                if n == 0 {
                    flushPending(i)
                    close(logs[i].fd)
                    logs[i].fd = -1
                    break
                }
                if n < 0 { break }
                logs[i].pending.append(contentsOf: chunk[0..<n])
                while let newline = logs[i].pending.firstIndex(of: 0x0A) {
                    let line = Array(logs[i].pending[..<newline])
                    logs[i].pending.removeSubrange(...newline)
                    onLog?(logs[i].stream, String(decoding: line, as: UTF8.self))
                }
            }
        }
    }

    private func flushPending(_ i: Int) {
        guard !logs[i].pending.isEmpty else { return }
        onLog?(logs[i].stream, String(decoding: logs[i].pending, as: UTF8.self))
        logs[i].pending.removeAll()
    }

    /// Closes the protocol descriptor (the host exits at end of file).
    func closeInput() {
        if channel >= 0 { close(channel); channel = -1 }
    }

    /// Waits for the child, reports its remaining log lines, and returns how it ended.
    func wait() -> TerminationStatus {
        if let reaped { return reaped }
        closeInput()
        var signal: Int32 = 0
        let code = kit_wait(pid, &signal)
        let status: TerminationStatus = signal != 0 ? .signaled(signal) : .exited(code)
        drainLogs()
        for i in logs.indices where logs[i].fd >= 0 {
            flushPending(i)
            close(logs[i].fd)
            logs[i].fd = -1
        }
        reaped = status
        return status
    }

    /// Kills the child's process group and reaps it.
    func terminate() {
        if reaped == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = wait()
        }
    }

    deinit { terminate() }

    /// CLOCK_MONOTONIC seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `exit 1` or `signal 11`.
    static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .signaled(let s): return "signal \(s)"
        case .exited(let c): return "exit \(c)"
        }
    }
}
