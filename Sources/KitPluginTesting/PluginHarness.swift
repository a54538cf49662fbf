import CKitPlugin
import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif

/// Drives a `ProviderPlugin` the way kit does — JSON requests through its exported C table
/// (`KitPluginExport.table(for:)` → `handle` → `free_buffer`) — so a plugin package can test itself
/// with `swift test`, without kit, a stack repository or terraform.
///
/// ```swift
/// import KitPluginTesting
/// import Testing
/// @testable import KitGcp
///
/// @Test func flagsMissingTags() throws {
///     let harness = PluginHarness(GcpPlugin.self)
///     let findings = try harness.validate(component: .object(["vars": .object([:])]))
///     #expect(findings.map(\.policy) == ["gcp.tags.required"])
/// }
/// ```
public struct PluginHarness {
    /// One raw exchange: the status `handle` returned, the response JSON and the events emitted.
    public struct Exchange {
        /// `handle`'s status (0 ok, 1 error, 2 bad request, 3 internal).
        public var status: Int32
        /// The response body as JSON (`.null` when it was empty or not JSON).
        public var response: JSONValue
        /// The response bytes as text.
        public var text: String
        /// Events the plugin emitted during the call.
        public var events: [JSONValue]
    }

    private let table: UnsafePointer<kit_plugin_v1>

    /// A harness for the plugin type `P` (its exported table is created once per process).
    public init<P: ProviderPlugin>(_ type: P.Type) {
        table = KitPluginExport.table(for: type).assumingMemoryBound(to: kit_plugin_v1.self)
    }

    /// The table's `name`.
    public var name: String { String(cString: table.pointee.name) }

    /// Sends one request object and returns the raw exchange.
    public func exchange(_ request: JSONValue) -> Exchange {
        let bytes = request.serializedBytes()
        let box = EventBox()
        let context = Unmanaged.passRetained(box)
        defer { context.release() }
        var host = kit_host_v1(struct_size: UInt32(MemoryLayout<kit_host_v1>.size), abi_major: UInt32(KIT_PLUGIN_ABI_MAJOR),
                               ctx: context.toOpaque(), emit: { ctx, json, len in
                                   guard let ctx, let json else { return }
                                   let box = Unmanaged<EventBox>.fromOpaque(ctx).takeUnretainedValue()
                                   let raw = UnsafeRawBufferPointer(start: json, count: Int(len))
                                   box.events.append((try? JSONValue.parse(bytes: raw)) ?? .string(String(decoding: raw, as: UTF8.self)))
                               })
        var out = kit_buffer(data: nil, len: 0, owner: nil)
        let status = bytes.withUnsafeBufferPointer { kit_plugin_call_handle(table, &host, $0.baseAddress, UInt64($0.count), &out) }
        let body = UnsafeRawBufferPointer(start: out.data, count: out.data == nil ? 0 : Int(out.len))
        let text = String(decoding: body, as: UTF8.self)
        let response = (try? JSONValue.parse(bytes: body)) ?? .null
        kit_plugin_call_free(table, &out)
        return Exchange(status: status, response: response, text: text, events: box.events)
    }

    /// The `ok: true` body of a response, or the plugin's error as a `PluginError`.
    public func send(_ request: JSONValue) throws -> JSONValue {
        let result = exchange(request)
        if result.status == 0, result.response["ok"]?.boolValue == true { return result.response }
        if let error = result.response["error"], let decoded = try? PluginError(json: error) { throw decoded }
        throw PluginError(code: "harness", message: "status \(result.status) with response '\(result.text.prefix(200))'")
    }

    /// `describe`.
    public func describe() throws -> PluginDescription { try PluginDescription(json: send(PluginRequest.describe.json)) }

    /// `adapt` for a component document.
    public func adapt(component: JSONValue, operation: String = "plan", stack: String = "test", workspace: String = "test",
                      ci: Bool = false) throws -> AdaptResponse {
        try AdaptResponse(json: send(AdaptRequest(operation: operation, component: component, stack: stack, workspace: workspace, ci: ci).json))
    }

    /// `review` of a plan (`terraform show -json`) for a component document.
    public func review(component: JSONValue, plan: JSONValue, operation: String = "apply") throws -> [Finding] {
        try Finding.decodeResponse(send(ReviewRequest(operation: operation, component: component, plan: plan).json))
    }

    /// `validate` of a component document.
    public func validate(component: JSONValue) throws -> [Finding] {
        try Finding.decodeResponse(send(ValidateRequest(component: component).json))
    }

    /// `read_state` (ABI 1.1) for a backend block.
    public func readState(backendType: String, backend: JSONValue, workspace: String = "default",
                          env: [String: String] = [:]) throws -> ReadStateResponse {
        try ReadStateResponse(json: send(ReadStateRequest(backendType: backendType, backend: backend, workspace: workspace, env: env).json))
    }

    /// Parses JSON text (a component document or a plan), e.g. from a fixture file's contents.
    public static func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }
}

final class EventBox { var events: [JSONValue] = [] }
