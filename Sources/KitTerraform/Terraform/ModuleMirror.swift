#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// terraform's working directory for one (stack, component) pair: a mirror of the terraform base path
/// in which every entry is a symbolic link to the real file or folder, except the folders on the way
/// to the root module, which are real directories. The root module's folder holds links to the
/// module's files plus the pair's generated files, so two stacks of one module never read each
/// other's `providers_override.tf.json`, and relative module sources (`../modules/x`) still resolve.
///
/// The mirror is brought up to date under the pair's run lock before each run: links to entries that
/// no longer exist are removed, new entries are linked, regular files (the generated files, the lock
/// file terraform writes) are left alone.
public struct ModuleMirror: Sendable {
    /// The terraform base path (absolute).
    public var basePath: String
    /// The module folder relative to `basePath`.
    public var folder: String
    /// Where the mirror starts (absolute).
    public var root: String
    /// Names in the module folder that must not be linked (the generated files kit writes for this run).
    public var generated: Set<String>
    /// Extra links in the module's mirror: name → absolute target (may not exist yet, e.g. a planfile).
    public var extraLinks: [String: String]

    public init(basePath: String, folder: String, root: String, generated: Set<String>, extraLinks: [String: String]) {
        self.basePath = basePath
        self.folder = folder
        self.root = root
        self.generated = generated
        self.extraLinks = extraLinks
    }

    /// The mirrored module folder (terraform's working directory).
    public var workingDirectory: String { Paths.join(root, folder) }

    /// Creates or refreshes the mirror. Directories are created owner-only.
    public func sync() throws {
        let parts = folder.split(separator: "/").map(String.init)
        var real = basePath
        var mirror = root
        try AtomicFile.makeDirectories(mirror)
        for part in parts {
            try link(entriesOf: real, into: mirror, except: [part], extra: [:])
            real += "/" + part
            mirror += "/" + part
            try makeRealDirectory(mirror)
        }
        try link(entriesOf: real, into: mirror, except: generated.union([".terraform"]), extra: extraLinks)
    }

    private func makeRealDirectory(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            unlink(path)
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw POSIXFailure(errno: errno, path: path) }
    }

    /// Links each entry of `real` into `mirror` (except `except`), plus `extra`; removes stale links.
    private func link(entriesOf real: String, into mirror: String, except: Set<String>, extra: [String: String]) throws {
        var wanted: [String: String] = [:]
        guard let dir = opendir(real) else { throw POSIXFailure(errno: errno, path: real) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || except.contains(name) { continue }
            wanted[name] = real + "/" + name
        }
        closedir(dir)
        for (name, target) in extra { wanted[name] = target }

        // Remove links that point elsewhere or at nothing wanted; keep real files and directories.
        if let existing = opendir(mirror) {
            var stale: [String] = []
            while let entry = readdir(existing) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = mirror + "/" + name
                guard let target = Self.readLink(path) else { continue }
                if wanted[name] != target { stale.append(path) }
            }
            closedir(existing)
            for path in stale { unlink(path) }
        }
        for (name, target) in wanted {
            let path = mirror + "/" + name
            var st = stat()
            if lstat(path, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFLNK { continue }          // already right (stale ones are gone)
                if generated.contains(name) || except.contains(name) { continue }
                // A regular file terraform wrote (e.g. `.terraform.lock.hcl`) shadows the module's: keep it.
                continue
            }
            if symlink(target, path) != 0 && errno != EEXIST { throw POSIXFailure(errno: errno, path: path) }
        }
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [Int8](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
