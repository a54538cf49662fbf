import Foundation

/// `python3 -m http.server` on 127.0.0.1 (a free port) serving `directory`; stopped on release.
final class LoopbackHTTPServer {
    let process = Process()
    let port: Int

    init(serving directory: URL) throws {
        // The server binds port 0 and writes the port it got to a file, which the test polls.
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("kit-http-port-\(UUID().uuidString)")
        let script = """
            import functools, http.server, sys
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            open(sys.argv[2] + ".tmp", "w").write(str(server.server_address[1]))
            import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            server.serve_forever()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory.path, portFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { try? FileManager.default.removeItem(at: portFile) }
        for _ in 0..<200 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(text) { port = p; return }
            usleep(50_000)
        }
        process.terminate()
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "the loopback HTTP server did not start"])
    }

    deinit { process.terminate(); process.waitUntilExit() }

    var baseURL: String { "http://127.0.0.1:\(port)" }
}
