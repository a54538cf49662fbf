import CKitPlugin
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exports a `ProviderPlugin` through the C ABI (`kit_plugin_v1`, see `kit_plugin.h`).
///
/// A plugin library exports itself with one declaration:
///
/// ```swift
/// @_cdecl("kit_plugin_v1")
/// public func kitPluginV1() -> UnsafeRawPointer { KitPluginExport.table(for: AWSPlugin.self) }
/// ```
///
/// The plugin instance and its table are created on the first call and live for the rest of the
/// process; later calls return the same pointer. `handle` decodes the request, dispatches by `op`,
/// and encodes the response: a thrown `PluginError` (or any other Swift error) becomes status 1 with
/// `{"ok": false, "error": {...}}`; a request that is not valid JSON or not a known op becomes status 2.
public enum KitPluginExport {
    /// The `struct kit_plugin_v1` table for `type`, created once per type.
    ///
    /// Up to `maxPluginsPerImage` plugin types can be exported from one process image (a normal
    /// plugin library exports one).
    public static func table<P: ProviderPlugin>(for type: P.Type) -> UnsafeRawPointer {
        ExportedPlugins.shared.table(for: type)
    }

    /// How many distinct plugin types one image can export.
    public static let maxPluginsPerImage = 8
}

/// One exported plugin: its instance and its table.
// @unchecked: the plugin instance behind the C table kit calls through `kit_plugin_v1`; kit
// serialises calls to one plugin, so its state is never touched by two threads at once.
final class ExportedPlugin: @unchecked Sendable {
    let plugin: any ProviderPlugin
    let table: UnsafeMutablePointer<kit_plugin_v1>

    init(plugin: any ProviderPlugin, table: UnsafeMutablePointer<kit_plugin_v1>) {
        self.plugin = plugin
        self.table = table
    }
}

/// The registry of exported plugins in this image; each gets a slot with its own C `handle`.
final class ExportedPlugins: Sendable {
    static let shared = ExportedPlugins()

    private struct State {
        var byType: [ObjectIdentifier: Int] = [:]
        var slots: [ExportedPlugin] = []
    }
    private let state = Mutex(State())

    func table<P: ProviderPlugin>(for type: P.Type) -> UnsafeRawPointer {
        let address: UInt = state.withLock { state in
            if let slot = state.byType[ObjectIdentifier(type)] {
                return UInt(bitPattern: state.slots[slot].table)
            }
            let slot = state.slots.count
            precondition(slot < KitPluginExport.maxPluginsPerImage,
                         "KitPluginSDK: more than \(KitPluginExport.maxPluginsPerImage) plugin types exported from one image")
            let plugin = P()
            let description = plugin.describe()
            let table = UnsafeMutablePointer<kit_plugin_v1>.allocate(capacity: 1)
            table.initialize(to: kit_plugin_v1(
                magic: KIT_PLUGIN_MAGIC,
                abi_major: UInt32(KIT_PLUGIN_ABI_MAJOR),
                abi_minor: UInt32(KIT_PLUGIN_ABI_MINOR),
                struct_size: UInt32(MemoryLayout<kit_plugin_v1>.size),
                reserved0: 0,
                name: UnsafePointer(strdup(description.name)),
                plugin_version: UnsafePointer(strdup(description.version)),
                sdk_version: UnsafePointer(strdup(KitPluginSDKInfo.version)),
                swift_version: UnsafePointer(strdup(SwiftToolchain.version)),
                handle: slotHandlers[slot],
                free_buffer: { buffer in
                    guard let buffer else { return }
                    free(buffer.pointee.data)
                    buffer.pointee.data = nil
                    buffer.pointee.len = 0
                }))
            state.slots.append(ExportedPlugin(plugin: plugin, table: table))
            state.byType[ObjectIdentifier(type)] = slot
            return UInt(bitPattern: table)
        }
        return UnsafeRawPointer(bitPattern: address)!
    }

    func plugin(at slot: Int) -> ExportedPlugin {
        state.withLock { $0.slots[slot] }
    }
}

typealias HandleFunction = @convention(c) (
    UnsafePointer<kit_host_v1>?, UnsafePointer<UInt8>?, UInt64, UnsafeMutablePointer<kit_buffer>?
) -> Int32

/// One C entry point per slot (C function pointers cannot capture which plugin they belong to).
let slotHandlers: [HandleFunction] = [
    { handleRequest(slot: 0, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 1, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 2, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 3, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 4, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 5, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 6, host: $0, request: $1, length: $2, out: $3) },
    { handleRequest(slot: 7, host: $0, request: $1, length: $2, out: $3) },
]

/// Forwards events to the host's `emit` for the duration of one call.
struct HostEventSink: PluginEventSink {
    let host: UnsafePointer<kit_host_v1>?

    func emit(_ event: JSONValue) {
        guard let host else { return }
        let bytes = event.serializedBytes()
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                kit_host_emit(host, chars.baseAddress, UInt64(chars.count))
            }
        }
    }
}

/// Decodes, dispatches and encodes one request for the plugin in `slot`.
func handleRequest(slot: Int, host: UnsafePointer<kit_host_v1>?, request: UnsafePointer<UInt8>?,
                   length: UInt64, out: UnsafeMutablePointer<kit_buffer>?) -> Int32 {
    guard let out else { return 2 }
    let status: Int32
    let body: JSONValue
    do {
        let json = try JSONValue.parse(bytes: UnsafeRawBufferPointer(start: request, count: Int(length)))
        let parsed = try PluginRequest(json: json)
        let plugin = ExportedPlugins.shared.plugin(at: slot).plugin
        (status, body) = dispatchRequest(parsed, to: plugin, events: HostEventSink(host: host))
    } catch {
        status = 2
        body = PluginError(code: "bad_request", message: "\(error)").responseJSON
    }
    writeResponse(body, to: out)
    return status
}

/// Runs one request against `plugin`; errors become status 1 with an error body.
func dispatchRequest(_ request: PluginRequest, to plugin: any ProviderPlugin, events: PluginEventSink) -> (Int32, JSONValue) {
    do {
        switch request {
        case .describe: return (0, plugin.describe().json)
        case .adapt(let r): return (0, try plugin.adapt(r, events: events).json)
        case .review(let r): return (0, Finding.responseJSON(try plugin.review(r, events: events)))
        case .validate(let r): return (0, Finding.responseJSON(try plugin.validate(r, events: events)))
        case .after(let r): return (0, Finding.responseJSON(try plugin.after(r, events: events)))
        case .readState(let r): return (0, try plugin.readState(r, events: events).json)
        case .fetchSource(let r): return (0, try plugin.fetchSource(r, events: events).json)
        case .store(let r): return (0, try plugin.store(r, events: events).json)
        case .function(let r): return (0, .object(["ok": .bool(true), "value": try plugin.function(r, events: events)]))
        }
    } catch let error as PluginError {
        return (1, error.responseJSON)
    } catch {
        return (1, PluginError(code: "plugin_error", message: "\(error)").responseJSON)
    }
}

/// Copies `body`'s compact JSON into a malloc'd buffer the host frees with `free_buffer`.
func writeResponse(_ body: JSONValue, to out: UnsafeMutablePointer<kit_buffer>) {
    let bytes = body.serializedBytes()
    let data = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: UInt8.self)
    bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: bytes.count) }
    out.pointee = kit_buffer(data: data, len: UInt64(bytes.count), owner: nil)
}
