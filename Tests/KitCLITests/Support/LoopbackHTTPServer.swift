import Foundation

/// `python3 -m http.server` on 127.0.0.1 (a free port) serving `directory`; stopped on release.
final class LoopbackHTTPServer {
    let process = Process()
    let port: Int

    init(serving directory: URL) throws {
        // The server binds port 0 and writes the port it got to a file, which the test polls.
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("kit-http-port-\(UUID().uuidString)")
        let script = """
            import functools, http.server, signal, sys
            # Foundation's Process hands the child the spawning thread's signal mask, which blocks
            # SIGTERM on test worker threads: unblock everything, or terminate() would never stop us.
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
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

    /// SIGKILL (which no mask blocks), then reap: a server that ignored SIGTERM hung the test run.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
}
