import Foundation

/// The built `kit` executable that the CLI tests run.
///
/// kit is found through the `KIT_BINARY` environment variable when it is set, else at
/// `<package root>/.build/debug/kit`, where the package root is the nearest ancestor of this source
/// file that holds `Package.swift`. A missing binary fails every test that needs it, with the command
/// that builds it; nothing is skipped.
///
/// The tests run a byte-identical copy of that file, placed in a directory of its own. kit looks for
/// plugins beside its own executable and in `../lib/kit/plugins` (see `PluginSearchPath`), and a debug
/// build puts `libKitAWS.so` and `libKitAzure.so` beside `.build/debug/kit`; the copy keeps the stack
/// command goldens independent of which plugins happen to be built (and of half-built ones).
enum KitBinary {
    /// Why the binary cannot be used.
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "kit binary not found at '\(path)' — build it with 'flock /tmp/kit-build.lock swift build --product kit' or set KIT_BINARY to its path"
        }
    }

    /// The nearest ancestor directory of `file` that holds `Package.swift`.
    static func packageRoot(from file: String = #filePath) -> URL {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: file).deletingLastPathComponent()
    }

    /// The built binary: `KIT_BINARY` if set, else `<package root>/.build/debug/kit`.
    static func built() throws -> URL {
        let url: URL
        if let explicit = ProcessInfo.processInfo.environment["KIT_BINARY"], !explicit.isEmpty {
            url = URL(fileURLWithPath: explicit)
        } else {
            url = packageRoot().appendingPathComponent(".build/debug/kit")
        }
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw Missing(path: url.path) }
        return url
    }

    /// The private copy the tests run, made once per test process.
    static func isolated() throws -> URL { try cached.get() }

    private static let cached: Result<URL, Error> = Result { try makeIsolatedCopy() }

    /// Copies the binary to `<tmp>/kit-cli-tests/bin-<size>-<mtime>/kit` (atomically, so parallel
    /// test processes can share it) unless that copy exists already.
    private static func makeIsolatedCopy() throws -> URL {
        let source = try built()
        let fm = FileManager.default
        let attributes = try fm.attributesOfItem(atPath: source.path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let mtime = Int((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        let dir = fm.temporaryDirectory.appendingPathComponent("kit-cli-tests/bin-\(size)-\(mtime)")
        let target = dir.appendingPathComponent("kit")
        if fm.isExecutableFile(atPath: target.path) { return target }
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let partial = dir.appendingPathComponent("kit.\(ProcessInfo.processInfo.processIdentifier).partial")
        try? fm.removeItem(at: partial)
        // A hard link writes nothing: a copy's write descriptor can leak into a child spawned by a
        // parallel test, and executing a file open for writing fails with ETXTBSY ("Text file busy").
        if link(source.path, partial.path) != 0 {
            try fm.copyItem(at: source, to: partial)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: partial.path)
        }
        guard rename(partial.path, target.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
        return target
    }
}
