// kit-plugin-host: runs one provider plugin in its own process for kit's isolated mode.
//
// Usage: kit-plugin-host <path-to-plugin.so> [--display <path shown in messages>] [--protocol-fd N] [--spin-us N]
//
// Loads the library with the same checks as kit (ELF, permissions, magic, ABI major and minor,
// struct_size, Swift toolchain gate), writes {"hello": {...}} or {"fatal": "<message>"} on the
// protocol descriptor, then reads one JSON request per line from it and hands it to the plugin
// unparsed; per request it writes any number of event frames (`E <length>\n<bytes>`) and one
// response frame (`R <status> <length> <cpu>\n<bytes>`), the plugin's own bytes. A line `cpu N` says
// which CPU kit waits on: while that is not the host's, it polls up to `--spin-us` µs for the next
// request before sleeping (see docs/plugins.md, "Why the CPU numbers"). Exits 0 at end of file.
// kit passes a socket as `--protocol-fd`; without it the protocol uses stdin and a duplicate of
// stdout, and the plugin's own stdout is sent to stderr so it can never be read as an answer.
import CKitProcess
import KitPluginRuntime
import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif

/// The whole host: locals only, so nothing is shared across concurrency domains.
func runHost() -> Never {
    var arguments = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String) -> String? {
        guard let flag = arguments.firstIndex(of: name), flag + 1 < arguments.count else { return nil }
        let value = arguments[flag + 1]
        arguments.removeSubrange(flag...(flag + 1))
        return value
    }
    let display = option("--display")
    let protocolFD = option("--protocol-fd").flatMap { Int32($0) }
    let spinNanoseconds = option("--spin-us").flatMap { Int($0) }.map { max(0, min($0, 10_000)) * 1000 } ?? 0

    let input: Int32
    let output: Int32
    if let protocolFD {
        input = protocolFD
        output = protocolFD
    } else {
        input = 0
        output = fcntl(1, F_DUPFD_CLOEXEC, 3)
        dup2(2, 1)
    }

    func writeLine(_ value: JSONValue) {
        var bytes = value.serializedBytes()
        bytes.append(0x0A)
        if !DescriptorReader.writeAll(output, bytes) { exit(1) }
    }

    guard arguments.count == 1 else {
        writeLine(.object(["fatal": .string("usage: kit-plugin-host <path-to-plugin.so> [--display <path>] [--protocol-fd N] [--spin-us N]")]))
        exit(64)
    }
    let path = arguments[0]

    let library: PluginLibrary
    do {
        library = try PluginLibrary.open(path: path, displayPath: display ?? path)
    } catch {
        writeLine(.object(["fatal": .string("\(error)")]))
        exit(1)
    }

    writeLine(.object(["hello": .object([
        "name": .string(library.name),
        "plugin_version": .string(library.pluginVersion),
        "abi_minor": .int(library.abiMinor),
        "sdk_version": .string(library.sdkVersion),
        "swift_version": .string(library.swiftVersion),
    ])]))

    var pending: [UInt8] = []
    // The CPU kit's calling thread was on at its last request (`cpu N` line), -1: unknown.
    var peerCPU: Int32 = -1
    var chunk = [UInt8](repeating: 0, count: 65536)
    func nextLine() -> [UInt8]? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            // While kit runs on another CPU, its next request usually follows within microseconds:
            // poll for it rather than let this CPU go idle and be woken again.
            if peerCPU >= 0 && peerCPU != kit_current_cpu() { _ = kit_spin_readable(input, spinNanoseconds) }
            let n = chunk.withUnsafeMutableBytes { kit_read(input, $0.baseAddress, UInt($0.count)) }
            if n <= 0 { return nil }
            pending.append(contentsOf: chunk[0..<n])
        }
    }

    // Requests and answers pass through unparsed: only kit parses them (as it does in-process).
    func writeFrame(_ header: String, _ body: UnsafeRawBufferPointer) {
        var frame = Array(header.utf8)
        frame.append(0x0A)
        frame.append(contentsOf: body)
        if !DescriptorReader.writeAll(output, frame) { exit(1) }
    }
    while let line = nextLine() {
        if line.isEmpty { continue }
        if line.starts(with: Array("cpu ".utf8)) {
            peerCPU = Int32(String(decoding: line.dropFirst(4), as: UTF8.self)) ?? -1
            continue
        }
        line.withUnsafeBytes { request in
            library.callRaw(request, events: { event in
                writeFrame("E \(event.count)", event)
            }, response: { status, body in
                // What the plugin printed reaches kit (as its log lines) before the answer does.
                fflush(nil)
                writeFrame("R \(status) \(body.count) \(kit_current_cpu())", body)
            })
        }
    }
    exit(0)
}

runHost()
