import Foundation
import Glibc
import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// One file of a vendored tree: its path relative to the tree's root, mode and content hash.
public struct VendorFile: Equatable, Sendable {
    public var path: String
    /// Permission bits (0o644, 0o755); a symbolic link is recorded with its target instead of a hash.
    public var mode: UInt32
    /// Lowercase sha256 hex of the contents, or `link:<target>` for a link inside the tree.
    public var sha256: String
}

/// The files of a source or target folder, filtered by `included_paths`/`excluded_paths`, with the
/// safety rules of vendoring: every file stays inside the root (no link leading out, no absolute
/// link, no special files), `.git` is never included, and the total size is bounded.
public struct VendorTree: Equatable, Sendable {
    /// The files, sorted by path.
    public var files: [VendorFile]

    /// At most this many bytes and files in one tree (archive bombs and runaway sources stop here).
    public static let maxBytes = 1 << 30
    public static let maxFiles = 100_000

    /// `sha256:` over every path, mode and hash: equal digests mean equal trees.
    public var digest: String {
        var h = SHA256()
        for f in files { h.update(Array("\(f.path)\u{0}\(String(f.mode, radix: 8))\u{0}\(f.sha256)\n".utf8)) }
        return "sha256:" + h.finalizeHex()
    }

    /// Why a tree cannot be used.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the tree under `root`. `included`/`excluded` are doublestar globs on relative paths
    /// (an empty `included` takes everything); `ignoring` names paths never listed (e.g. component.yaml).
    public static func read(_ root: String, included: [String] = [], excluded: [String] = [],
                            ignoring: Set<String> = []) throws -> VendorTree {
        let inc = included.map(Glob.init), exc = excluded.map(Glob.init)
        var files: [VendorFile] = []
        var bytes = 0
        func walk(_ dir: String, _ prefix: String) throws {
            guard let d = opendir(dir) else { throw Refusal(description: "cannot read '\(prefix.isEmpty ? "." : prefix)': \(String(cString: strerror(errno)))") }
            defer { closedir(d) }
            var names: [String] = []
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { names.append(name) }
            }
            for name in names.sorted() {
                let rel = prefix.isEmpty ? name : prefix + "/" + name
                let full = dir + "/" + name
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                let type = st.st_mode & S_IFMT
                if type == S_IFDIR {
                    if name == ".git" { continue }
                    try walk(full, rel)
                    continue
                }
                if ignoring.contains(rel) { continue }
                if !inc.isEmpty && !inc.contains(where: { $0.matches(rel) }) { continue }
                if exc.contains(where: { $0.matches(rel) }) { continue }
                if type == S_IFLNK {
                    let target = try linkTarget(full)
                    let resolved = Paths.normalize(Paths.join(Paths.dirname("/" + rel), target))
                    guard !target.hasPrefix("/"), !resolved.hasPrefix("/.."), resolved != "/" else {
                        throw Refusal(description: "'\(rel)' is a link to '\(target)', outside the vendored folder")
                    }
                    files.append(VendorFile(path: rel, mode: 0o777, sha256: "link:" + target))
                    continue
                }
                guard type == S_IFREG else { throw Refusal(description: "'\(rel)' is not a regular file, folder or link") }
                bytes += Int(st.st_size)
                guard bytes <= maxBytes, files.count < maxFiles else {
                    throw Refusal(description: "more than \(maxBytes >> 20) MiB or \(maxFiles) files")
                }
                files.append(VendorFile(path: rel, mode: UInt32(st.st_mode) & 0o777, sha256: try PluginFileCheck.sha256(path: full, display: rel)))
            }
        }
        var st = stat()
        guard stat(root, &st) == 0 else { return VendorTree(files: []) }
        if (st.st_mode & S_IFMT) != S_IFDIR {
            // A single-file source: the file under its own name.
            let name = Paths.basename(root)
            return VendorTree(files: [VendorFile(path: name, mode: UInt32(st.st_mode) & 0o777, sha256: try PluginFileCheck.sha256(path: root, display: name))])
        }
        try walk(root, "")
        return VendorTree(files: files.sorted { $0.path < $1.path })
    }

    static func linkTarget(_ path: String) throws -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buf, buf.count - 1)
        guard n >= 0 else { throw Refusal(description: "cannot read link '\(path)'") }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The differences from `old` to `self`: paths added, removed and changed, sorted.
    public func changes(from old: VendorTree) -> (added: [String], removed: [String], changed: [String]) {
        let a = Dictionary(old.files.map { ($0.path, $0) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { x, _ in x })
        return (b.keys.filter { a[$0] == nil }.sorted(), a.keys.filter { b[$0] == nil }.sorted(),
                b.keys.filter { a[$0] != nil && a[$0] != b[$0] }.sorted())
    }
}

/// Writes a vendored tree into its target: the files are copied into a staging folder beside the
/// target, then the staging folder replaces the target with two renames, so a failure at any point
/// leaves the previous files in place and a reader never sees half a tree.
public enum VendorInstaller {
    /// Copies `tree`'s files from `sourceRoot` into `target`, keeping the target's `keep` files
    /// (component.yaml) and `extra` files (mixins, already fetched: name → local path).
    public static func install(_ tree: VendorTree, from sourceRoot: String, to target: String, keep: [String] = [],
                               extra: [(name: String, path: String)] = []) throws {
        let parent = Paths.dirname(target)
        try AtomicFile.makeDirectories(parent, mode: 0o755)
        let staging = target + ".kit-staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try make(staging)
        var isDir: ObjCBool = false
        let singleFile = FileManager.default.fileExists(atPath: sourceRoot, isDirectory: &isDir) && !isDir.boolValue
        for f in tree.files {
            let dst = staging + "/" + f.path
            try make(Paths.dirname(dst))
            if f.sha256.hasPrefix("link:") {
                guard symlink(String(f.sha256.dropFirst(5)), dst) == 0 else { throw POSIXFailure(errno: errno, path: f.path) }
                continue
            }
            try copyFile(singleFile ? sourceRoot : sourceRoot + "/" + f.path, to: dst, mode: f.mode)
        }
        for k in keep where FileManager.default.fileExists(atPath: target + "/" + k) {
            try copyFile(target + "/" + k, to: staging + "/" + k, mode: 0o644)
        }
        for (name, path) in extra {
            try make(Paths.dirname(staging + "/" + name))
            try copyFile(path, to: staging + "/" + name, mode: 0o644)
        }
        var st = stat()
        if lstat(target, &st) == 0 {
            let old = target + ".kit-old-\(getpid())"
            guard rename(target, old) == 0 else { throw POSIXFailure(errno: errno, path: target) }
            guard rename(staging, target) == 0 else {
                let e = errno
                rename(old, target)
                throw POSIXFailure(errno: e, path: target)
            }
            try? FileManager.default.removeItem(atPath: old)
        } else {
            guard rename(staging, target) == 0 else { throw POSIXFailure(errno: errno, path: target) }
        }
    }

    static func make(_ dir: String) throws {
        try AtomicFile.makeDirectories(dir, mode: 0o755)
    }

    /// Copies a regular file (never following a link at `dst`, which is new in the staging folder).
    static func copyFile(_ src: String, to dst: String, mode: UInt32) throws {
        let input = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw POSIXFailure(errno: errno, path: src) }
        defer { close(input) }
        let output = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard output >= 0 else { throw POSIXFailure(errno: errno, path: dst) }
        defer { close(output) }
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw POSIXFailure(errno: errno, path: src) }
            if n == 0 { break }
            var done = 0
            while done < n {
                let w = buf.withUnsafeBytes { write(output, $0.baseAddress! + done, n - done) }
                if w < 0 { if errno == EINTR { continue }; throw POSIXFailure(errno: errno, path: dst) }
                done += w
            }
        }
        fchmod(output, mode_t(mode))
    }
}
