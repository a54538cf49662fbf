// kit-plugin-host: runs one provider plugin in its own process for kit's isolated mode.
//
// Usage: kit-plugin-host <path-to-plugin.so> [--display <path shown in messages>]
//
// Loads the library with the same checks as kit (ELF, permissions, magic, ABI major, struct_size,
// Swift toolchain gate), writes {"hello": {...}} or {"fatal": "<message>"} on stdout, then reads one
// JSON request per line on stdin and writes, per request, any number of event lines followed by one
// normalized response line ({"ok": ...}). Exits 0 at EOF on stdin.
import KitCore
import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif

func writeLine(_ value: JSONValue) {
    var bytes = value.serializedBytes()
    bytes.append(0x0A)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, bytes.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { exit(1) }
        offset += n
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var display: String?
if let flag = arguments.firstIndex(of: "--display"), flag + 1 < arguments.count {
    display = arguments[flag + 1]
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count == 1 else {
    writeLine(.object(["fatal": .string("usage: kit-plugin-host <path-to-plugin.so> [--display <path>]")]))
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

while let line = readLine(strippingNewline: true) {
    if line.isEmpty { continue }
    let request: JSONValue
    do {
        request = try JSONValue.parse(line)
    } catch {
        writeLine(PluginResponse.failure(code: "bad_request", message: "\(error)"))
        continue
    }
    let response = library.call(request) { event in
        if case .object(let members) = event, members["event"] != nil, members["ok"] == nil {
            writeLine(event)
        } else {
            writeLine(.object(["event": event]))
        }
    }
    writeLine(response)
}
exit(0)
