import KitPluginSDK

/// A plugin kit has loaded and described, in-process or in a `kit-plugin-host` process.
///
/// Calls are synchronous and serialized per plugin; they run on the caller's thread (in-process) or
/// block it while the host answers (isolated). Call them from kit's synchronous command code, not
/// from inside a Swift concurrency task.
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
    /// Receives the events the plugin streams during a call (`{"event": "log", …}`); nil drops them.
    public var onEvent: ((JSONValue) -> Void)?

    private let channel: Channel

    enum Channel {
        case inProcess(PluginLibrary)
        case isolated(IsolatedPluginClient)
    }

    init(library: PluginLibrary) throws {
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

    init(client: IsolatedPluginClient) throws {
        let hello = client.hello
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
        switch channel {
        case .inProcess(let library): response = library.call(request, events: onEvent)
        case .isolated(let client): response = try client.call(request, op: op, pluginName: name, events: onEvent)
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

    /// Isolated mode: closes the host's input and waits for it to exit. In-process: nothing
    /// (libraries are never unloaded).
    public func shutdown() {
        if case .isolated(let client) = channel { client.close() }
    }

    private func decode<T>(_ op: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw PluginCallError.invalidResponse(plugin: name, op: op, reason: "\(error)")
        }
    }
}
