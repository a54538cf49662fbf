import KitPluginSDK
import KitModel
import KitStacks

/// A plugin kit has loaded and described, in-process or in a `kit-plugin-host` process.
///
/// Calls are synchronous and serialized per plugin; they run on the caller's thread (in-process) or
/// block it while the host answers (isolated). Call them from kit's synchronous command code, not
/// from inside a Swift concurrency task.
// @unchecked: wraps a `PluginLibrary` or an `IsolatedPluginClient` (both C-level resources, each
// serialising its own calls); `description` is written once while loading; `onEvent` and `onLog`
// live in `LockedValue`s.
public final class LoadedPlugin: @unchecked Sendable {
    /// The plugin's name from its table, e.g. `aws`.
    public let name: String
    /// The plugin's own version.
    public let version: String
    /// The library file (absolute).
    public let path: String
    /// The path shown in messages.
    public let displayPath: String
    /// The ABI minor version the plugin was built against.
    public let abiMinor: Int
    /// The KitPluginSDK version it was built with ("" for non-SDK plugins).
    public let sdkVersion: String
    /// The Swift `major.minor` it was built with ("" when it does not use the Swift runtime).
    public let swiftVersion: String
    /// Its `describe` answer.
    public private(set) var description: PluginDescription
    /// True when it runs in a `kit-plugin-host` process.
    public let isolated: Bool
    /// True for a plugin shipped with kit (see `PluginIsolation.auto`).
    public let firstParty: Bool
    /// The longest one call may take, in seconds (nil: no limit).
    public let timeout: Double?
    /// Receives the raw events the plugin streams during a call (`{"event": "log", …}`).
    public var onEvent: ((JSONValue) -> Void)? {
        get { eventHandler.current }
        set { eventHandler.current = newValue }
    }
    /// Receives the plugin's log events and every line it writes to stdout or stderr, attributed to it.
    public var onLog: ((PluginLogLine) -> Void)? {
        get { logHandler.current }
        set {
            logHandler.current = newValue
            if case .isolated(let client) = channel { client.onLog = logForwarder() }
        }
    }
    private let eventHandler = LockedValue<((JSONValue) -> Void)?>(nil)
    private let logHandler = LockedValue<((PluginLogLine) -> Void)?>(nil)

    private let channel: Channel

    enum Channel {
        case inProcess(PluginLibrary)
        case isolated(IsolatedPluginClient)
    }

    init(library: PluginLibrary, firstParty: Bool = false, timeout: Double? = nil, onLog: ((PluginLogLine) -> Void)? = nil) throws {
        self.firstParty = firstParty
        self.timeout = timeout
        logHandler.current = onLog
        name = library.name
        version = library.pluginVersion
        path = library.path
        displayPath = library.displayPath
        abiMinor = library.abiMinor
        sdkVersion = library.sdkVersion
        swiftVersion = library.swiftVersion
        isolated = false
        channel = .inProcess(library)
        description = PluginDescription(name: name, version: version, backendTypes: [], providers: [], policies: [])
        description = try describeOrThrow()
    }

    init(client: IsolatedPluginClient, firstParty: Bool = false, onLog: ((PluginLogLine) -> Void)? = nil) throws {
        let hello = client.hello
        self.firstParty = firstParty
        self.timeout = client.timeout
        logHandler.current = onLog
        name = hello.name
        version = hello.pluginVersion
        path = client.path
        displayPath = client.displayPath
        abiMinor = hello.abiMinor
        sdkVersion = hello.sdkVersion
        swiftVersion = hello.swiftVersion
        isolated = true
        channel = .isolated(client)
        description = PluginDescription(name: name, version: version, backendTypes: [], providers: [], policies: [])
        client.onLog = logForwarder()
        description = try describeOrThrow()
    }

    private func describeOrThrow() throws -> PluginDescription {
        do {
            return try describe()
        } catch let error as PluginCallError {
            throw PluginLoadError.describeFailed(path: displayPath, reason: error.description)
        } catch {
            throw PluginLoadError.describeFailed(path: displayPath, reason: "\(error)")
        }
    }

    /// Sends a raw request object and returns the `ok: true` response body; throws `PluginCallError`.
    public func send(_ request: JSONValue) throws -> JSONValue {
        let op = request["op"]?.stringValue ?? "?"
        let response: JSONValue
        let events: ((JSONValue) -> Void)? = (onEvent == nil && onLog == nil) ? nil : { [weak self] event in
            guard let self else { return }
            self.onEvent?(event)
            if let onLog = self.onLog { onLog(PluginLogLine(plugin: self.name, event: event)) }
        }
        switch channel {
        case .inProcess(let library):
            // First-party plugins do not print; others opted into kit's process get fd 1 captured.
            let log = logForwarder()
            response = library.guardedCall(request, op: op, timeout: timeout, captureStdout: !firstParty,
                                           events: events, onOutput: log.map { f in { f("stdout", $0) } })
        case .isolated(let client): response = try client.call(request, op: op, pluginName: name, events: events)
        }
        return try PluginResponse.unwrap(response, plugin: name, op: op)
    }

    /// Asks the plugin who it is (again).
    public func describe() throws -> PluginDescription {
        let body = try send(PluginRequest.describe.json)
        return try decode("describe") { try PluginDescription(json: body) }
    }

    /// Shapes a terraform run: backend, environment, provider overrides, arguments, findings.
    public func adapt(_ request: AdaptRequest) throws -> AdaptResponse {
        let body = try send(request.json)
        return try decode("adapt") { try AdaptResponse(json: body) }
    }

    /// Reviews a plan.
    public func review(_ request: ReviewRequest) throws -> [Finding] {
        let body = try send(request.json)
        return try decode("review") { try Finding.decodeResponse(body) }
    }

    /// Checks a configuration with no terraform run.
    public func validate(_ request: ValidateRequest) throws -> [Finding] {
        let body = try send(request.json)
        return try decode("validate") { try Finding.decodeResponse(body) }
    }

    /// Tells the plugin a command finished.
    public func after(_ request: AfterRequest) throws -> [Finding] {
        let body = try send(request.json)
        return try decode("after") { try Finding.decodeResponse(body) }
    }

    /// True when the plugin was built for ABI 1.1 or later and so understands `read_state`.
    public var speaksReadState: Bool { abiMinor >= 1 }

    /// Reads a component's state document from its backend (ABI 1.1). Returns nil when the plugin is
    /// older than ABI 1.1 (it is not asked) or answers `unsupported_op`; other failures throw.
    public func readState(_ request: ReadStateRequest) throws -> ReadStateResponse? {
        guard speaksReadState else { return nil }
        let body: JSONValue
        do { body = try send(request.json) } catch PluginCallError.pluginError(_, _, PluginError.unsupportedOpCode, let message, _) {
            onLog?(PluginLogLine(plugin: name, level: "debug", message: "read_state: \(message); kit asks terraform instead", source: "event"))
            return nil
        }
        return try decode("read_state") { try ReadStateResponse(json: body) }
    }

    /// Brings a vendored source from the plugin's storage (the optional op `fetch_source`). Returns
    /// nil when the plugin does not serve the URL (`unsupported_op`) or predates the op (status 2,
    /// bad request); other failures throw.
    public func fetchSource(_ request: FetchSourceRequest) throws -> FetchSourceResponse? {
        guard let body = try optionalOp("fetch_source", request.json) else { return nil }
        return try decode("fetch_source") { try FetchSourceResponse(json: body) }
    }

    /// Reads or writes a store value (the optional op `store`); nil when the plugin serves no store
    /// of that kind or predates the op.
    public func store(_ request: StoreRequest) throws -> StoreResponse? {
        guard let body = try optionalOp("store", request.json) else { return nil }
        return try decode("store") { try StoreResponse(json: body) }
    }

    /// Evaluates a provider YAML function (the optional op `function`); nil when the plugin does not
    /// evaluate it or predates the op.
    public func function(_ request: FunctionRequest) throws -> JSONValue? {
        guard let body = try optionalOp("function", request.json) else { return nil }
        return try decode("function") {
            guard let v = body["value"] else { throw MessageDecodingError.missingField("value", context: "function response") }
            return v
        }
    }

    /// Sends an optional op: `unsupported_op`, or status 2 from a plugin that predates the op, is nil
    /// (kit built the request, so a plugin that cannot read it predates the op: any language's plugin
    /// answers an op it does not know with status 2, whatever its message says).
    private func optionalOp(_ op: String, _ request: JSONValue) throws -> JSONValue? {
        do { return try send(request) } catch PluginCallError.pluginError(_, _, PluginError.unsupportedOpCode, let message, _) {
            onLog?(PluginLogLine(plugin: name, level: "debug", message: "\(op): \(message)", source: "event"))
            return nil
        } catch PluginCallError.badRequest(_, _, let message) {
            onLog?(PluginLogLine(plugin: name, level: "debug", message: "\(op): not understood (\(message))", source: "event"))
            return nil
        }
    }

    /// Isolated mode: closes the host's input and waits for it to exit. In-process: nothing
    /// (libraries are never unloaded).
    public func shutdown() {
        if case .isolated(let client) = channel { client.close() }
    }

    private func logForwarder() -> ((String, String) -> Void)? {
        guard onLog != nil else { return nil }
        return { [weak self] stream, text in
            guard let self, let onLog = self.onLog else { return }
            onLog(PluginLogLine(plugin: self.name, level: stream == "stderr" ? "warning" : "info", message: text, source: stream))
        }
    }

    private func decode<T>(_ op: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw PluginCallError.invalidResponse(plugin: name, op: op, reason: "\(error)")
        }
    }
}

/// One line a plugin logged: an `{"event": "log"}` it emitted, or a line it wrote to stdout/stderr.
public struct PluginLogLine: Equatable, Sendable {
    /// The plugin's name.
    public var plugin: String
    /// `debug`, `info`, `warning` or `error` (stdout lines are `info`, stderr lines `warning`).
    public var level: String
    /// The text.
    public var message: String
    /// `event`, `stdout` or `stderr`.
    public var source: String

    /// Creates a line.
    public init(plugin: String, level: String, message: String, source: String) {
        self.plugin = plugin
        self.level = level
        self.message = message
        self.source = source
    }

    /// A line from an emitted event: `level` and `message` when present, else the event's JSON.
    public init(plugin: String, event: JSONValue) {
        let level = event["level"]?.stringValue ?? "info"
        let message = event["message"]?.stringValue ?? event.serialized()
        self.init(plugin: plugin, level: level, message: message, source: "event")
    }

    /// `plugin 'aws': message` — how kit's diagnostics show it.
    public var text: String { "plugin '\(plugin)': \(message)" }
}
extension LoadedPlugin: FunctionServing {}
