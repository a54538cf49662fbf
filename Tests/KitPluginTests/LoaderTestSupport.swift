import Foundation
import KitCore

/// Builds and places fixture plugins for the loader tests.
enum LoaderFixtures {
    /// The kit package checkout these tests belong to.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixturesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let header = packageRoot.appendingPathComponent("Sources/CKitPlugin/include").path

    /// This run's scratch root, `<tmp>/kit-loader-<pid>`; roots left by earlier runs whose process is gone
    /// are removed when it is created, so at most one run's files are ever left behind.
    static let runRoot: String = {
        var tmp = NSTemporaryDirectory()
        while tmp.count > 1 && tmp.hasSuffix("/") { tmp.removeLast() }
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: tmp)) ?? [] where entry.hasPrefix("kit-loader-") {
            if let pid = Int32(entry.dropFirst("kit-loader-".count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? fm.removeItem(atPath: tmp + "/" + entry)
            }
        }
        let root = tmp + "/kit-loader-\(getpid())"
        try? fm.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return root
    }()

    /// A fresh private directory (mode 0700) under this run's root.
    static func makeTempDir(_ label: String) throws -> String {
        var template = Array((runRoot + "/\(label)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw LoaderFixtureError("mkdtemp failed under '\(runRoot)'")
        }
        return String(cString: made)
    }

    /// Runs a command; returns (exit status, stdout+stderr).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Compiles the C fixture with extra `-D` flags into `dir/lib<name>.so`.
    static func compileCPlugin(name: String, in dir: String, defines: [String] = [], extraFlags: [String] = []) throws -> String {
        let output = dir + "/lib\(name).so"
        let source = fixturesDir.appendingPathComponent("CPlugin/plugin.c.fixture").path
        let args = ["-x", "c", "-std=c11", "-D_GNU_SOURCE", "-shared", "-fPIC", "-O1", "-I", header]
            + defines.map { "-D" + $0 } + [source, "-o", output] + extraFlags
        let (status, log) = try run("/usr/bin/env", ["cc"] + args)
        guard status == 0 else { throw LoaderFixtureError("cc failed for \(name):\n\(log)") }
        return output
    }

    /// The directory holding `libswiftCore.so` for this process (from /proc/self/maps).
    static func swiftRuntimeDirectory() throws -> String {
        // /proc files report size 0, so read to EOF instead of by size.
        let data = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data()
        let maps = String(decoding: data, as: UTF8.self)
        for line in maps.split(separator: "\n") {
            if let range = line.range(of: "/"), line.hasSuffix("libswiftCore.so") {
                return URL(fileURLWithPath: String(line[range.lowerBound...])).deletingLastPathComponent().path
            }
        }
        throw LoaderFixtureError("libswiftCore.so is not mapped in this process")
    }

    /// `kit-plugin-host` from the build products directory (next to the test bundle).
    static func hostExecutable() throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("kit-plugin-host").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        if let exe = PluginSearchPath.runningExecutable() {
            let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("kit-plugin-host").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LoaderFixtureError("kit-plugin-host is not built next to the tests; run 'swift build' first")
    }

    /// Settings + registry load that sees only `dirs` (no binary dir, no home).
    static func load(_ dirs: [String], isolated: Bool = false, pins: [String: String] = [:]) throws -> PluginRegistry {
        try PluginRegistry.load(settings: PluginSettings(paths: dirs, pins: pins, isolated: isolated),
                                basePath: "/", environment: [:], executablePath: "/nonexistent/bin/kit",
                                hostExecutable: isolated ? try hostExecutable() : nil)
    }

    /// The out-of-tree Swift fixture plugin, built once per test run.
    static let swiftPlugin: Result<String, Error> = Result { try buildSwiftPlugin() }

    private static func buildSwiftPlugin() throws -> String {
        let work = try makeTempDir("swiftplugin")
        let package = work + "/KitFixture"
        let fm = FileManager.default
        try fm.createDirectory(atPath: package + "/Sources/KitFixture", withIntermediateDirectories: true)
        let root = packageRoot.path
        let identity = packageRoot.lastPathComponent.lowercased()
        let manifest = try String(contentsOf: fixturesDir.appendingPathComponent("SwiftPlugin/Package.swift.fixture"), encoding: .utf8)
            .replacingOccurrences(of: "@KIT_PATH@", with: root)
            .replacingOccurrences(of: "@KIT_PACKAGE@", with: identity)
        try manifest.write(toFile: package + "/Package.swift", atomically: true, encoding: .utf8)
        try fm.copyItem(atPath: fixturesDir.appendingPathComponent("SwiftPlugin/Sources/KitFixture/Plugin.swift.fixture").path,
                        toPath: package + "/Sources/KitFixture/Plugin.swift")
        var command = ["swift", "build", "--package-path", package, "--scratch-path", work + "/.build", "--product", "KitFixture"]
        if let lock = ProcessInfo.processInfo.environment["KIT_TEST_BUILD_LOCK"] { command = ["flock", lock] + command }
        let (status, log) = try run("/usr/bin/env", command)
        guard status == 0 else { throw LoaderFixtureError("building the Swift fixture plugin failed:\n\(log)") }
        let (_, binPath) = try run("/usr/bin/env", ["swift", "build", "--package-path", package, "--scratch-path", work + "/.build", "--show-bin-path"])
        let library = binPath.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init)! + "/libKitFixture.so"
        guard fm.fileExists(atPath: library) else { throw LoaderFixtureError("no '\(library)' after the build:\n\(log)") }
        let pluginDir = work + "/plugins"
        try fm.createDirectory(atPath: pluginDir, withIntermediateDirectories: true)
        try fm.copyItem(atPath: library, toPath: pluginDir + "/libKitFixture.so")
        return pluginDir
    }
}

struct LoaderFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
