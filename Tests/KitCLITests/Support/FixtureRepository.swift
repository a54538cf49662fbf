import Foundation

/// What one run of `kit` produced.
struct KitRun: Sendable {
    /// The arguments after `kit`.
    var arguments: [String]
    /// The exit status.
    var exitCode: Int32
    /// Everything written to stdout.
    var stdout: String
    /// Everything written to stderr.
    var stderr: String

    /// The stderr lines that start with `error: `.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("error: ") } }
}

/// A private copy of a fixture repository from `Tests/KitCLITests/Fixtures/<name>/`, in a fresh
/// temporary directory, so files that kit generates never touch the source tree. The copy is
/// removed when the value is released.
final class FixtureRepository {
    /// The directory holding every fixture repository.
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `HOME` for every run: a fixed path, so output that mentions the home directory (the terraform
    /// plugin cache in `plan --dry-run`) is the same on every run. kit only reads it.
    static let home = "/tmp/kit-cli-tests-home"

    /// The copy's root, with symlinks resolved (kit sees this path as its working directory).
    let root: URL
    private let scratch: URL

    /// Copies fixture `name`.
    init(_ name: String) throws {
        let fm = FileManager.default
        let source = Self.fixturesDirectory.appendingPathComponent(name)
        guard fm.fileExists(atPath: source.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: source.path])
        }
        scratch = fm.temporaryDirectory.appendingPathComponent("kit-cli-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        try fm.copyItem(at: source, to: scratch.appendingPathComponent("repo"))
        root = scratch.appendingPathComponent("repo").resolvingSymlinksInPath()
        try fm.createDirectory(atPath: Self.home, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// The directory that holds the copy (kit must never write here).
    var parent: URL { scratch }

    /// Runs the built kit with the copy as working directory, `NO_COLOR=1`, `HOME` fixed, and no
    /// `KIT_*`/`ATMOS_*` variables from the test's own environment; `environment` adds variables.
    /// `subdirectory`: where to run instead of the copy's root (relative to it).
    /// `stdoutPath`: kit's standard output goes to this file instead (`/dev/full`); `stdout` is then empty.
    func run(_ arguments: [String], environment: [String: String] = [:], in subdirectory: String = "",
             stdoutPath: String? = nil) throws -> KitRun {
        let binary = try KitBinary.isolated()
        let out = scratch.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = scratch.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = subdirectory.isEmpty ? root : root.appendingPathComponent(subdirectory)
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": Self.home,
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        ].merging(environment) { _, new in new }
        let outHandle = try stdoutPath.map { path in
            guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
            return handle
        } ?? FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return KitRun(arguments: arguments, exitCode: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// The text of a file in the copy, or nil when it does not exist.
    func text(_ relativePath: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The permission bits of a file in the copy.
    func mode(_ relativePath: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(relativePath).path)
        return ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0) & 0o7777
    }

    /// Every regular file and symlink under `directory` (default: the scratch directory holding the
    /// copy), as sorted paths relative to it.
    func files(under directory: URL? = nil) -> [String] {
        let base = (directory ?? scratch).resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var out: [String] = []
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = base.appendingPathComponent(rel).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue { continue }
            out.append(rel)
        }
        return out.sorted()
    }

    /// Replaces a file of the copy with a symlink to a path that does not exist.
    func replaceWithDanglingSymlink(_ relativePath: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: url.lastPathComponent + ".removed")
    }

    /// The copy's absolute path differs on every run: `atmos_cli_config.base_path` (the path itself)
    /// and the absolute paths below it (`component_info.component_path`, `terraform_config`'s file
    /// positions) print it with `<repo>` in its place before comparing output.
    func normalizingBasePath(_ text: String) -> String {
        let path = root.path
        return text
            .replacingOccurrences(of: "base_path: \(path)\n", with: "base_path: <repo>\n")
            .replacingOccurrences(of: "\"base_path\": \"\(path)\"", with: "\"base_path\": \"<repo>\"")
            .replacingOccurrences(of: path + "/", with: "<repo>/")
    }
}

/// Directory listings for tests that look at every fixture.
enum FileManagerListing {
    /// The names of the sub-directories of `url`, sorted.
    static func directories(in url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDir) && isDir.boolValue
        }.sorted()
    }
}
