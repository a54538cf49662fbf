import Synchronization
import CKitPlugin
import CKitProcess
import KitPluginSDK
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plugin library loaded into this process: `dlopen`ed once, never closed, table checked.
///
/// `handle` is called synchronously on the calling thread (never from a Swift concurrency task:
/// kit's commands are synchronous and plugin methods are synchronous `throws` functions), one call
/// at a time per library.
// @unchecked: holds the C function table of a dlopen'ed library; every call goes through `lock`.
public final class PluginLibrary: @unchecked Sendable {
    /// The file as kit found it (absolute).
    public let path: String
    /// The path shown in messages (relative to the repository when inside it).
    public let displayPath: String
    /// The table's `name`.
    public let name: String
    /// The table's `plugin_version`.
    public let pluginVersion: String
    /// The table's `abi_minor`.
    public let abiMinor: Int
    /// The table's `sdk_version`.
    public let sdkVersion: String
    /// The table's `swift_version`.
    public let swiftVersion: String

    private let table: UnsafePointer<kit_plugin_v1>
    private let lock = PluginCallLock()

    private init(path: String, displayPath: String, table: UnsafePointer<kit_plugin_v1>) {
        self.path = path
        self.displayPath = displayPath
        self.table = table
        let t = table.pointee
        name = t.name.map { String(cString: $0) } ?? ""
        pluginVersion = t.plugin_version.map { String(cString: $0) } ?? ""
        abiMinor = Int(t.abi_minor)
        sdkVersion = t.sdk_version.map { String(cString: $0) } ?? ""
        swiftVersion = t.swift_version.map { String(cString: $0) } ?? ""
    }

    /// The smallest table this kit accepts: an ABI 1.0 `struct kit_plugin_v1`.
    public static let minimumTableSize = UInt32(MemoryLayout<kit_plugin_v1>.size)

    /// Checks the file, `dlopen`s it and checks its table: magic, then ABI major, then ABI minor (not
    /// newer than kit's), then `struct_size`,
    /// then the Swift toolchain gate — in that order, touching nothing else before they pass.
    public static func open(path: String, displayPath: String, pin: (name: String, sha256: String)? = nil) throws -> PluginLibrary {
        // The file is opened once; every check reads that descriptor, and the library is loaded from
        // it (/proc/self/fd/N), so the file cannot be swapped between the checks and dlopen.
        try PluginFileCheck.checkPermissions(path: path, display: displayPath)
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PluginLoadError.unreadable(path: displayPath, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        try PluginFileCheck.checkNotWritable(fd: fd, display: displayPath)
        let elf = try PluginFileCheck.checkELF(fd: fd, display: displayPath)
        if let pin {
            let actual = try PluginFileCheck.sha256(fd: fd, display: displayPath)
            guard actual == pin.sha256.lowercased() else {
                throw PluginLoadError.pinMismatch(path: displayPath, name: pin.name, expected: pin.sha256.lowercased(), actual: actual)
            }
        }
        // dlopen knows libraries by name first: a descriptor number that is closed and reused would make
        // the next plugin's /proc/self/fd/N name the previous library. A duplicate kept open for the life
        // of the process (plugins are never unloaded) keeps every name unique.
        let kept = fcntl(fd, F_DUPFD_CLOEXEC, 64)
        guard kept >= 0 else { throw PluginLoadError.unreadable(path: displayPath, reason: String(cString: strerror(errno))) }
        guard let handle = dlopen("/proc/self/fd/\(kept)", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            close(kept)
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw PluginLoadError.dlopenFailed(path: displayPath, reason: reason)
        }
        // Never dlclose: unmapping Swift code breaks later dynamic casts.
        guard let symbol = dlsym(handle, "kit_plugin_v1") else { throw PluginLoadError.missingEntryPoint(path: displayPath) }
        let entry = unsafeBitCast(symbol, to: kit_plugin_v1_entry.self)
        guard let tablePointer = entry() else { throw PluginLoadError.missingEntryPoint(path: displayPath) }
        let raw = UnsafeRawPointer(tablePointer)
        let magic = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        guard magic == KIT_PLUGIN_MAGIC else { throw PluginLoadError.badMagic(path: displayPath, found: magic) }
        let major = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard major == UInt32(KIT_PLUGIN_ABI_MAJOR) else {
            throw PluginLoadError.abiMajorMismatch(path: displayPath, found: major, expected: UInt32(KIT_PLUGIN_ABI_MAJOR))
        }
        let minor = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        guard minor <= UInt32(KIT_PLUGIN_ABI_MINOR) else {
            throw PluginLoadError.abiMinorTooNew(path: displayPath, found: minor, supported: UInt32(KIT_PLUGIN_ABI_MINOR))
        }
        let size = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
        guard size >= minimumTableSize else {
            throw PluginLoadError.structTooSmall(path: displayPath, found: size, minimum: minimumTableSize)
        }
        let library = PluginLibrary(path: path, displayPath: displayPath, table: tablePointer)
        if elf.sharesSwiftRuntime {
            let found = SwiftToolchain.majorMinor(library.swiftVersion)
            guard found == SwiftToolchain.version else {
                throw PluginLoadError.toolchainMismatch(path: displayPath, found: library.swiftVersion, expected: SwiftToolchain.version)
            }
        }
        guard library.table.pointee.handle != nil else { throw PluginLoadError.missingEntryPoint(path: displayPath) }
        return library
    }

    /// Calls `handle` with one request and returns the normalized response (`{"ok": …}`).
    public func call(_ request: JSONValue, events: ((JSONValue) -> Void)?) -> JSONValue {
        let bytes = request.serializedBytes()
        let forward: ((UnsafeRawBufferPointer) -> Void)? = events.map { handler in { handler(PluginEvent.decode($0)) } }
        return bytes.withUnsafeBytes { request in
            callRaw(request, events: forward) { status, body in PluginResponse.normalize(status: status, body: body) }
        }
    }

    /// Calls `handle` with the request's bytes as they are (no parsing here): `events` sees each
    /// emitted event's bytes, `response` the status and body, both valid only inside the closure.
    /// `kit-plugin-host` forwards requests and answers this way, so that only kit parses them.
    public func callRaw<Result: Sendable>(_ request: UnsafeRawBufferPointer, events: ((UnsafeRawBufferPointer) -> Void)?,
                                response: (Int32, UnsafeRawBufferPointer) -> Result) -> Result {
        lock.withLock {
            let sink = EventForwarder(handler: events)
            let context = Unmanaged.passRetained(sink)
            defer { context.release() }
            var host = kit_host_v1(struct_size: UInt32(MemoryLayout<kit_host_v1>.size),
                                   abi_major: UInt32(KIT_PLUGIN_ABI_MAJOR),
                                   ctx: context.toOpaque(),
                                   emit: { ctx, json, len in
                                       guard let ctx else { return }
                                       let sink = Unmanaged<EventForwarder>.fromOpaque(ctx).takeUnretainedValue()
                                       sink.forward(UnsafeRawBufferPointer(start: json, count: Int(len)))
                                   })
            var out = kit_buffer(data: nil, len: 0, owner: nil)
            let status = kit_plugin_call_handle(table, &host, request.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                UInt64(request.count), &out)
            let body = UnsafeRawBufferPointer(start: out.data, count: out.data == nil ? 0 : Int(out.len))
            let result = response(status, body)
            kit_plugin_call_free(table, &out)
            return result
        }
    }
}

extension PluginLibrary {
    /// Calls `handle` in kit's own process under kit's guards: a crash, an `exit()` or a call
    /// running past `timeout` seconds ends kit with one error line naming the plugin and `op`
    /// (status 1, never the plugin's own status). With `captureStdout`, fd 1 is redirected to a pipe
    /// around the call and what the plugin wrote comes back through `onOutput` line by line, so it
    /// cannot corrupt kit's machine-readable output (up to 1 MiB per call; more is dropped).
    public func guardedCall(_ request: JSONValue, op: String, timeout: Double?, captureStdout: Bool,
                            events: ((JSONValue) -> Void)?, onOutput: ((String) -> Void)?) -> JSONValue {
        kit_guard_install()
        let capturing = captureStdout && kit_stdout_capture_begin() == 0
        kit_guard_begin(name, op, timeout.map { UInt64(max(0, $0) * 1000) } ?? 0)
        let response = call(request, events: events)
        kit_guard_end()
        if capturing {
            kit_stdout_capture_end()
            var captured: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { kit_stdout_capture_read($0.baseAddress, UInt($0.count)) }
                if n <= 0 { break }
                captured.append(contentsOf: chunk[0..<n])
            }
            if !captured.isEmpty, let onOutput {
                if captured.last == 0x0A { captured.removeLast() }
                for line in captured.split(separator: 0x0A, omittingEmptySubsequences: false) {
                    onOutput(String(decoding: line, as: UTF8.self))
                }
            }
        }
        return response
    }
}

/// Receives `emit` calls for one `handle` call.
final class EventForwarder {
    let handler: ((UnsafeRawBufferPointer) -> Void)?

    init(handler: ((UnsafeRawBufferPointer) -> Void)?) { self.handler = handler }

    func forward(_ bytes: UnsafeRawBufferPointer) { handler?(bytes) }
}

/// What an emitted event's bytes mean to kit.
public enum PluginEvent {
    /// The event as JSON; bytes that are not JSON become `{"event": "raw", "text": …}`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> JSONValue {
        (try? JSONValue.parse(bytes: bytes))
            ?? .object(["event": .string("raw"), "text": .string(String(decoding: bytes, as: UTF8.self))])
    }
}

/// A pthread mutex serializing calls into one plugin.
public final class PluginCallLock: Sendable {
    private let mutex = Mutex<Void>(())

    public init() {}

    public func withLock<T: Sendable>(_ body: () throws -> T) rethrows -> T {
        try mutex.withLock { _ in try body() }
    }
}
