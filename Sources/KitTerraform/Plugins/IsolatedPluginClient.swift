import CKitProcess
import KitPluginSDK
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KitModel
import KitStacks

/// Runs one plugin in a `kit-plugin-host` process and talks to it over pipes.
///
/// The host is started through kit's process layer (own process group, dies with kit, Ctrl-C
/// forwarded). The protocol runs on its own descriptor, a socket pair (one JSON document per line,
/// UTF-8); the plugin's stdout and stderr are separate pipes whose lines go to `onLog`.
/// On start the host writes
/// `{"hello": {"name", "plugin_version", "abi_minor", "sdk_version", "swift_version"}}` or
/// `{"fatal": "<message>"}`; then for every request line kit writes, the host hands the bytes to the
/// plugin unparsed and writes zero or more event frames (`E <length>\n<bytes>`) and one response
/// frame (`R <status> <length> <cpu>\n<bytes>`). kit decodes and normalizes them exactly as it does
/// for an in-process call (`PluginEvent`, `PluginResponse`). A crash, EOF or garbage becomes a
/// `PluginCallError` naming the plugin; the next call starts a fresh host.
// @unchecked: owns a child process and its descriptors (a C-level resource); `hello`, `onLog` and
// `process` change only inside `lock` (or in `init`, before the client is shared).
public final class IsolatedPluginClient: @unchecked Sendable {
    /// The host's hello: what the plugin's table says.
    public struct Hello: Equatable, Sendable {
        /// The table's `name`.
        public var name: String
        /// The table's `plugin_version`.
        public var pluginVersion: String
        /// The table's `abi_minor`.
        public var abiMinor: Int
        /// The table's `sdk_version`.
        public var sdkVersion: String
        /// The table's `swift_version`.
        public var swiftVersion: String
    }

    /// The plugin library path.
    public let path: String
    /// The path shown in messages.
    public let displayPath: String
    /// The `kit-plugin-host` executable.
    public let hostExecutable: String
    /// The longest a call (or the start-up handshake) may take, in seconds; nil: no limit.
    public let timeout: Double?
    /// How long kit and the host poll for each other's message before sleeping, when they run on
    /// different CPUs (`PluginSettings.spinMicroseconds`).
    public let spinMicroseconds: Int
    /// What the host reported on its last start.
    public private(set) var hello: Hello
    /// Receives each line the plugin writes to stdout or stderr: (stream, text). Set under `lock`,
    /// so a call in flight finishes with the handler it started with.
    public var onLog: ((String, String) -> Void)? {
        get { logHandler.current }
        set {
            logHandler.current = newValue
            lock.withLock { process?.onLog = newValue }
        }
    }
    private let logHandler = LockedValue<((String, String) -> Void)?>(nil)
    private var process: HostProcess?
    private let lock = PluginCallLock()

    /// Starts the host for `path` and reads its hello; throws `PluginLoadError.hostFailed` on refusal.
    public init(path: String, displayPath: String, hostExecutable: String, timeout: Double? = nil,
                spinMicroseconds: Int = PluginSettings.defaultSpinMicroseconds,
                onLog: ((String, String) -> Void)? = nil) throws {
        self.path = path
        self.displayPath = displayPath
        self.hostExecutable = hostExecutable
        self.timeout = timeout
        self.spinMicroseconds = spinMicroseconds
        logHandler.current = onLog
        let (process, hello) = try Self.start(path: path, displayPath: displayPath, hostExecutable: hostExecutable,
                                              timeout: timeout, spinMicroseconds: spinMicroseconds, onLog: onLog)
        self.process = process
        self.hello = hello
    }

    deinit { process?.terminate() }

    private static func start(path: String, displayPath: String, hostExecutable: String, timeout: Double?,
                              spinMicroseconds: Int, onLog: ((String, String) -> Void)?) throws -> (HostProcess, Hello) {
        ignoreSIGPIPE()
        let process = try HostProcess.spawn(executable: hostExecutable,
                                            arguments: [path, "--display", displayPath, "--spin-us", "\(spinMicroseconds)"])
        process.spinNanoseconds = spinMicroseconds * 1000
        process.onLog = onLog
        let line: [UInt8]
        switch process.readLine(deadline: timeout.map { HostProcess.now() + $0 }) {
        case .line(let l): line = l
        case .end:
            let status = process.wait()
            throw PluginLoadError.hostFailed(path: displayPath, reason: "the host exited (\(HostProcess.describe(status))) before saying hello")
        case .timedOut:
            process.terminate()
            throw PluginLoadError.hostFailed(path: displayPath, reason: "the host did not say hello within \(PluginCallError.seconds(timeout ?? 0)) s")
        }
        guard let json = try? parseJSONLine(line) else {
            process.terminate()
            throw PluginLoadError.hostFailed(path: displayPath, reason: "the host's first line is not json")
        }
        if let fatal = json["fatal"]?.stringValue {
            _ = process.wait()
            throw PluginLoadError.hostFailed(path: displayPath, reason: fatal)
        }
        guard let h = json["hello"] else {
            process.terminate()
            throw PluginLoadError.hostFailed(path: displayPath, reason: "the host's first line has no 'hello'")
        }
        let hello = Hello(name: h["name"]?.stringValue ?? "", pluginVersion: h["plugin_version"]?.stringValue ?? "",
                          abiMinor: h["abi_minor"]?.intValue ?? 0, sdkVersion: h["sdk_version"]?.stringValue ?? "",
                          swiftVersion: h["swift_version"]?.stringValue ?? "")
        return (process, hello)
    }

    /// Sends one request and returns the normalized response; `events` sees every event line first.
    ///
    /// A crash, an exit, a closed channel, a line that is not a JSON object, or no answer before the
    /// timeout is a `PluginCallError` naming the plugin and `op`; the host is then stopped and the
    /// next call starts a fresh one.
    public func call(_ request: JSONValue, op: String, pluginName: String, events: ((JSONValue) -> Void)?) throws -> JSONValue {
        try lock.withLock {
            let process: HostProcess
            if let current = self.process {
                process = current
            } else {
                let (fresh, hello) = try Self.start(path: path, displayPath: displayPath, hostExecutable: hostExecutable,
                                                    timeout: timeout, spinMicroseconds: spinMicroseconds, onLog: logHandler.current)
                self.process = fresh
                self.hello = hello
                process = fresh
            }
            // `cpu N` tells the host where kit waits, so it polls for the next request only when the
            // two run on different CPUs (see `HostProcess.spinNanoseconds`).
            var line = Array("cpu \(kit_current_cpu())\n".utf8)
            line.append(contentsOf: request.serializedBytes())
            line.append(0x0A)
            let written = process.write(line)
            let deadline = timeout.map { HostProcess.now() + $0 }
            while true {
                switch written ? process.readFrame(deadline: deadline) : .end {
                case .event(let bytes):
                    events?(bytes.withUnsafeBytes { PluginEvent.decode($0) })
                case .response(let status, let body):
                    return body.withUnsafeBytes { PluginResponse.normalize(status: status, body: $0) }
                case .malformed(let header):
                    self.process = nil
                    process.terminate()
                    throw PluginCallError.invalidResponse(plugin: pluginName, op: op, reason: "the host wrote a frame header kit does not know: '\(header)'")
                case .timedOut:
                    self.process = nil
                    process.terminate()
                    throw PluginCallError.timedOut(plugin: pluginName, op: op, seconds: timeout ?? 0)
                case .end:
                    self.process = nil
                    let status = process.wait()
                    switch status {
                    case .signaled(let signal):
                        if (signal == SIGINT || signal == SIGTERM) && Interrupts.received > 0 {
                            throw PluginCallError.interrupted(plugin: pluginName, op: op)
                        }
                        throw PluginCallError.crashed(plugin: pluginName, op: op, signal: signal)
                    case .exited(let code):
                        throw PluginCallError.exited(plugin: pluginName, op: op, status: code)
                    }
                }
            }
        }
    }

    /// Closes the host's input and waits for it to exit.
    public func close() {
        lock.withLock {
            process?.closeInput()
            _ = process?.wait()
            process = nil
        }
    }

    private static func ignoreSIGPIPE() {
        // A host that died must surface as an error from write(2), not kill kit with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }
}

/// Parses one line of bytes.
func parseJSONLine(_ bytes: [UInt8]) throws -> JSONValue {
    try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) }
}
