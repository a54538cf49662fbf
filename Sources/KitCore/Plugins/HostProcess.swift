#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process with pipes to its stdin and stdout (stderr is inherited), started with posix_spawn.
final class HostProcess {
    let pid: pid_t
    private var input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    private var reaped: Int32?

    private init(pid: pid_t, input: Int32, output: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
    }

    /// Starts `executable` with `arguments`.
    static func spawn(executable: String, arguments: [String]) throws -> HostProcess {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            throw PluginLoadError.hostFailed(path: executable, reason: "pipe: \(String(cString: strerror(errno)))")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
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
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        Glibc.close(toChild[0])
        Glibc.close(fromChild[1])
        guard rc == 0 else {
            Glibc.close(toChild[1])
            Glibc.close(fromChild[0])
            throw PluginLoadError.hostFailed(path: executable, reason: "posix_spawn: \(String(cString: strerror(rc)))")
        }
        return HostProcess(pid: pid, input: toChild[1], output: fromChild[0])
    }

    /// Writes all of `bytes`; false when the child's input is closed.
    func write(_ bytes: [UInt8]) -> Bool {
        guard input >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// The next line without its newline, or nil at EOF.
    func readLine() -> [UInt8]? {
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            scanned = buffer.count
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Closes the child's stdin (it exits at EOF).
    func closeInput() {
        if input >= 0 { Glibc.close(input); input = -1 }
    }

    /// Waits for the child and returns its raw wait status.
    func wait() -> Int32 {
        if let reaped { return reaped }
        closeInput()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        Glibc.close(output)
        reaped = status
        return status
    }

    /// Kills and reaps the child.
    func terminate() {
        if reaped == nil {
            kill(pid, SIGKILL)
            _ = wait()
        }
    }

    deinit { terminate() }

    /// The signal that killed the child, if any.
    static func terminatingSignal(_ status: Int32) -> Int32? {
        let signal = status & 0x7f
        return signal != 0 && signal != 0x7f ? signal : nil
    }

    /// The exit code of a child that exited normally.
    static func exitCode(_ status: Int32) -> Int32 { (status >> 8) & 0xff }

    /// `exit 1` or `signal 11`.
    static func describe(_ status: Int32) -> String {
        if let signal = terminatingSignal(status) { return "signal \(signal)" }
        return "exit \(exitCode(status))"
    }
}
