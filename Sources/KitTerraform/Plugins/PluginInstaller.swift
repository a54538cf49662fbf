import Foundation
import KitPluginSDK
import KitModel
import KitStacks

/// Installs plugin files into a plugin directory and keeps its `plugins.lock` (see `PluginLockFile`).
///
/// The source is a `lib*.so`, a directory holding exactly one, or a tar archive (`.tar.gz`, `.tgz`,
/// `.tar`) holding exactly one. The file is checked and described in a `kit-plugin-host` process, so
/// installing never runs plugin code inside kit. `installed_from` keeps the source as given, so the
/// same format can later hold a URL.
public struct PluginInstaller {
    /// `kit-plugin-host`, used to describe the plugin before it is installed.
    public var hostExecutable: String?
    /// The environment children (tar) run with, read once by the CLI (the kernel never reads it).
    public var environment: [String: String]

    /// Creates an installer.
    public init(hostExecutable: String?, environment: [String: String]) {
        self.hostExecutable = hostExecutable
        self.environment = environment
    }

    /// The first `plugins.paths` entry (relative to `basePath`), else `~/.kit/plugins`.
    public static func defaultDirectory(settings: PluginSettings, basePath: String, environment: [String: String]) -> String {
        if let first = settings.paths.first(where: { !$0.isEmpty }) {
            return Paths.join(basePath, PluginSearchPath.expandHome(first, environment))
        }
        return Paths.join(environment["HOME"] ?? "/root", ".kit/plugins")
    }

    /// Installs `source` into `directory`; returns the plugin's name and lock entry.
    public func install(source: String, into directory: String, expectedVersion: String?) throws -> (name: String, entry: PluginLockFile.Entry) {
        let fm = FileManager.default
        var scratch: String?
        defer { if let scratch { try? fm.removeItem(atPath: scratch) } }
        let library: String
        if [".tar.gz", ".tgz", ".tar"].contains(where: { source.hasSuffix($0) }) {
            let dir = NSTemporaryDirectory() + "kit-install-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            scratch = dir
            let result = try SystemProcessRunner().run("tar", ["-xf", source, "-C", dir], cwd: Paths.currentDirectory(),
                                                       env: environment, stdout: .capture, stderr: .inherit,
                                                       nullStdin: true, keepDescriptor: nil)
            guard result.status == 0 else { throw PluginInstallError.archive(source: source, reason: "tar exited \(result.status)") }
            library = try Self.single(in: dir, source: source, recursive: true)
        } else {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: source, isDirectory: &isDirectory) else { throw PluginInstallError.notFound(source: source) }
            library = isDirectory.boolValue ? try Self.single(in: source, source: source, recursive: false) : source
        }
        // Check and describe it in a host process: kit never runs the plugin's code itself here.
        _ = try PluginFileCheck.checkELF(path: library, display: source)
        guard let host = hostExecutable, FileManager.default.isExecutableFile(atPath: host) else {
            throw PluginLoadError.hostNotFound(expected: hostExecutable ?? "kit-plugin-host")
        }
        let staged = try Self.stage(library)
        defer { try? fm.removeItem(atPath: PluginFileCheck.directory(of: staged)) }
        let client = try IsolatedPluginClient(path: staged, displayPath: source, hostExecutable: host, timeout: PluginSettings.defaultTimeout)
        let plugin = try LoadedPlugin(client: client)
        plugin.shutdown()
        if let expectedVersion, expectedVersion != plugin.version {
            throw PluginInstallError.versionMismatch(source: source, name: plugin.name, expected: expectedVersion, found: plugin.version)
        }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let file = String(library.split(separator: "/").last ?? "")
        let target = Paths.join(directory, file)
        let temporary = target + ".installing-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        try fm.copyItem(atPath: library, toPath: temporary)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
        guard rename(temporary, target) == 0 else { throw PluginInstallError.notFound(source: target) }
        var lock = try PluginLockFile.read(directory: directory)
        // One file per plugin name: a previous install of this plugin under another file name goes.
        if let old = lock.plugins[plugin.name], old.file != file { try? fm.removeItem(atPath: Paths.join(directory, old.file)) }
        let entry = PluginLockFile.Entry(file: file, sha256: try PluginFileCheck.sha256(path: target, display: target),
                                         version: plugin.version, abi: "1.\(plugin.abiMinor)", installedFrom: source)
        lock.plugins[plugin.name] = entry
        try lock.write(directory: directory)
        return (plugin.name, entry)
    }

    /// Removes the plugin `name` from the first directory whose lock lists it; returns the file's path.
    public static func remove(name: String, from directories: [String]) throws -> String {
        for directory in directories {
            var lock = try PluginLockFile.read(directory: directory)
            guard let entry = lock.plugins[name] else { continue }
            let path = Paths.join(directory, entry.file)
            try? FileManager.default.removeItem(atPath: path)
            lock.plugins[name] = nil
            try lock.write(directory: directory)
            return path
        }
        throw PluginInstallError.notInstalled(name: name, searched: directories)
    }

    /// A private copy the host can load (the permission checks apply to it, not to the source's folder).
    static func stage(_ library: String) throws -> String {
        let dir = NSTemporaryDirectory() + "kit-stage-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let copy = dir + "/" + (library.split(separator: "/").last.map(String.init) ?? "libplugin.so")
        try FileManager.default.copyItem(atPath: library, toPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
        return copy
    }

    static func single(in directory: String, source: String, recursive: Bool) throws -> String {
        let fm = FileManager.default
        let names: [String] = recursive ? (fm.enumerator(atPath: directory)?.allObjects as? [String] ?? []) : ((try? fm.contentsOfDirectory(atPath: directory)) ?? [])
        let libraries = names.filter {
            let file = $0.split(separator: "/").last.map(String.init) ?? $0
            return file.hasPrefix("lib") && file.hasSuffix(".so")
        }.sorted()
        guard libraries.count == 1 else { throw PluginInstallError.notOneLibrary(source: source, found: libraries) }
        return Paths.join(directory, libraries[0])
    }
}

/// Why `kit plugin install` or `kit plugin remove` failed.
public enum PluginInstallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The source does not exist.
    case notFound(source: String)
    /// The source holds no `lib*.so`, or more than one.
    case notOneLibrary(source: String, found: [String])
    /// The archive could not be unpacked.
    case archive(source: String, reason: String)
    /// `--version` differs from the plugin's own version.
    case versionMismatch(source: String, name: String, expected: String, found: String)
    /// No lock file in the searched directories lists the plugin.
    case notInstalled(name: String, searched: [String])

    /// Lowercase, values in single quotes, with what to do.
    public var description: String {
        switch self {
        case .notFound(let source):
            return "'\(source)' does not exist"
        case .notOneLibrary(let source, let found):
            let what = found.isEmpty ? "no 'lib*.so' file" : "\(found.count) 'lib*.so' files (\(found.map { "'\($0)'" }.joined(separator: ", ")))"
            return "'\(source)' holds \(what); it must hold exactly one plugin library"
        case .archive(let source, let reason):
            return "archive '\(source)' could not be unpacked: \(reason)"
        case .versionMismatch(let source, let name, let expected, let found):
            return "'\(source)' provides plugin '\(name)' version '\(found)', not '\(expected)' — check the file, or drop '--version'"
        case .notInstalled(let name, let searched):
            return "plugin '\(name)' was not installed with 'kit plugin install': no plugins.lock in \(searched.map { "'\($0)'" }.joined(separator: ", ")) lists it — delete its file by hand"
        }
    }
}
