#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KitModel
import KitStacks

/// The directories kit looks in for plugins, in order, and the `lib*.so` files directly inside them.
///
/// Order: `plugins.paths` from kit.yaml (relative ones against the repository base path),
/// `KIT_PLUGIN_PATH` (colon-separated), the directory of the running `kit` binary,
/// `<prefix>/lib/kit/plugins` (prefix = the parent of the binary's directory), `~/.kit/plugins`.
/// kit never recurses and never scans anywhere else.
public struct PluginSearchPath: Equatable, Sendable {
    /// The directories, in search order, without duplicates.
    public var directories: [String]

    /// Computes the directories from the settings, the base path, the environment and the binary's path.
    public init(settings: PluginSettings, basePath: String, environment: [String: String], executablePath: String?) {
        var dirs: [String] = []
        for path in settings.paths where !path.isEmpty {
            dirs.append(Paths.join(basePath, Self.expandHome(path, environment)))
        }
        for path in (environment["KIT_PLUGIN_PATH"] ?? "").split(separator: ":") where !path.isEmpty {
            dirs.append(Paths.join(Paths.currentDirectory(), Self.expandHome(String(path), environment)))
        }
        if let exe = executablePath {
            let binDir = PluginFileCheck.directory(of: exe)
            dirs.append(binDir)
            dirs.append(Paths.join(PluginFileCheck.directory(of: binDir), "lib/kit/plugins"))
        }
        if let home = environment["HOME"], !home.isEmpty {
            dirs.append(Paths.join(home, ".kit/plugins"))
        }
        var seen = Set<String>()
        directories = dirs.map(Paths.normalize).filter { seen.insert($0).inserted }
    }

    /// The running binary, from `/proc/self/exe`.
    public static func runningExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Every `lib*.so` file directly inside the directories, in search order (names sorted per directory).
    public func candidateFiles() -> [String] {
        directories.flatMap { dir -> [String] in
            guard let handle = opendir(dir) else { return [] }
            defer { closedir(handle) }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                guard name.hasPrefix("lib"), name.hasSuffix(".so"), name.count > 6 else { continue }
                var st = stat()
                let full = Paths.join(dir, name)
                guard stat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
                names.append(name)
            }
            return names.sorted().map { Paths.join(dir, $0) }
        }
    }

    static func expandHome(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}
