import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// `plugins.lock` in a plugin directory: what `kit plugin install` put there, with each file's sha256.
///
/// kit verifies every file the lock lists before it loads it; a file whose sha256 changed since it was
/// installed is refused (`PluginLoadError.lockMismatch`). Files the lock does not list load as before
/// (subject to pins). Format (sorted keys, trailing newline):
///
/// ```json
/// {"lock_version": 1,
///  "plugins": {"gcp": {"abi": "1.0", "file": "libKitGcp.so", "installed_from": "dist/kit-gcp-0.1.0.tar.gz",
///                      "sha256": "…", "version": "0.1.0"}}}
/// ```
/// `installed_from` is the path or URL given to `kit plugin install`.
public struct PluginLockFile: Equatable, Sendable {
    /// One installed plugin.
    public struct Entry: Equatable, Sendable {
        /// The file name inside the directory, e.g. `libKitGcp.so`.
        public var file: String
        /// Lowercase sha256 hex of the file as installed.
        public var sha256: String
        /// The plugin's own version (from its table).
        public var version: String
        /// The ABI it declares, `1.<minor>`.
        public var abi: String
        /// The path or URL it was installed from.
        public var installedFrom: String

        /// Creates an entry.
        public init(file: String, sha256: String, version: String, abi: String, installedFrom: String) {
            self.file = file
            self.sha256 = sha256
            self.version = version
            self.abi = abi
            self.installedFrom = installedFrom
        }
    }

    /// The lock file's name inside a plugin directory.
    public static let fileName = "plugins.lock"

    /// Plugin name → entry.
    public var plugins: [String: Entry]

    /// An empty lock.
    public init(plugins: [String: Entry] = [:]) { self.plugins = plugins }

    /// Reads `<directory>/plugins.lock`; an empty lock when there is none. Throws on a malformed file.
    public static func read(directory: String) throws -> PluginLockFile {
        let path = Paths.join(directory, fileName)
        guard let bytes = try? readFile(path) else { return PluginLockFile() }
        let json: JSONValue
        do { json = try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) } } catch {
            throw PluginLoadError.unreadable(path: path, reason: "not valid json: \(error)")
        }
        var lock = PluginLockFile()
        if case .object(let entries)? = json["plugins"] {
            for (name, e) in entries {
                guard let file = e["file"]?.stringValue, let sha = e["sha256"]?.stringValue else {
                    throw PluginLoadError.unreadable(path: path, reason: "entry '\(name)' lacks 'file' or 'sha256'")
                }
                lock.plugins[name] = Entry(file: file, sha256: sha.lowercased(), version: e["version"]?.stringValue ?? "",
                                           abi: e["abi"]?.stringValue ?? "", installedFrom: e["installed_from"]?.stringValue ?? "")
            }
        }
        return lock
    }

    /// The entry for a file name, with its plugin name.
    public func entry(forFile file: String) -> (name: String, entry: Entry)? {
        plugins.sorted { $0.key < $1.key }.first { $0.value.file == file }.map { ($0.key, $0.value) }
    }

    /// The JSON text (sorted keys, trailing newline).
    public var serialized: String {
        let entries = plugins.mapValues { e -> JSONValue in
            .object(["file": .string(e.file), "sha256": .string(e.sha256), "version": .string(e.version),
                     "abi": .string(e.abi), "installed_from": .string(e.installedFrom)])
        }
        return JSONValue.object(["lock_version": .int(1), "plugins": .object(entries)]).serialized(pretty: true)
    }

    /// Writes `<directory>/plugins.lock` (mode 0644) through a temporary file and rename.
    public func write(directory: String) throws {
        let path = Paths.join(directory, Self.fileName)
        let temporary = path + ".tmp-\(getpid())"
        var text = serialized
        if !text.hasSuffix("\n") { text += "\n" }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PluginLoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        let ok = DescriptorReader.writeAll(fd, bytes)
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PluginLoadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Refuses `path` when the lock of its directory lists it with another sha256.
    public static func verify(path: String, display: String) throws {
        let directory = PluginFileCheck.directory(of: path)
        let lock = try read(directory: directory)
        let file = String(path.split(separator: "/").last ?? "")
        guard let (_, entry) = lock.entry(forFile: file) else { return }
        let actual = try PluginFileCheck.sha256(path: path, display: display)
        guard actual == entry.sha256 else {
            throw PluginLoadError.lockMismatch(path: display, lockFile: Paths.join(directory, fileName),
                                               expected: entry.sha256, actual: actual)
        }
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PluginLoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return DescriptorReader.readAll(fd)
    }
}
