#if canImport(Glibc)
import Glibc
#endif

extension LocalFileSystem {
    /// Lists every file below `root` without recursion: directory links are followed only when they
    /// stay inside `options.allowedRoots` and do not lead back to a folder the walk is inside (a loop);
    /// a folder that cannot be listed is an error, not a silent gap; hidden folders are skipped.
    public func walk(_ root: String, options: WalkOptions) throws -> [String] {
        struct Pending { var path: String; var rel: String; var ancestors: [FileID] }
        var st = stat()
        guard stat(root, &st) == 0 else { throw WalkFailure.unreadable(path: root, reason: String(cString: strerror(errno)).lowercased()) }
        var work = [Pending(path: root, rel: "", ancestors: [FileID(st)])]
        var out: [String] = []
        var entries = 0
        while let dir = work.popLast() {
            guard let d = opendir(dir.path) else {
                throw WalkFailure.unreadable(path: dir.path, reason: String(cString: strerror(errno)).lowercased())
            }
            defer { closedir(d) }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name == "." || name == ".." { continue }
                entries += 1
                if entries > options.maxEntries { throw WalkFailure.tooManyEntries(root: root, limit: options.maxEntries) }
                let full = dir.path + "/" + name
                let rel = dir.rel.isEmpty ? name : dir.rel + "/" + name
                var type = entry.pointee.d_type
                let isLink = type == UInt8(DT_LNK)
                if type == UInt8(DT_UNKNOWN) || isLink {
                    var s = stat()
                    if stat(full, &s) == 0 { type = (s.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG) }
                }
                if isLink || type == UInt8(DT_UNKNOWN) {
                    // Only links that resolve need checking; a dangling link is listed so reading it says why.
                    if let target = Self.realPath(full), !options.allowedRoots.contains(where: { Self.isInside(target, $0) }) {
                        throw WalkFailure.outside(path: full, target: target)
                    }
                }
                if type == UInt8(DT_DIR) {
                    if name.hasPrefix(".") { continue }
                    var s = stat()
                    guard stat(full, &s) == 0 else { continue }
                    let id = FileID(s)
                    if dir.ancestors.contains(id) {
                        throw WalkFailure.loop(path: full, target: Self.realPath(full) ?? full)
                    }
                    work.append(Pending(path: full, rel: rel, ancestors: dir.ancestors + [id]))
                } else {
                    out.append(rel)
                }
            }
        }
        return out.sorted()
    }

    /// A folder's identity (device and inode), to recognise it again through a link.
    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ st: stat) { device = UInt64(st.st_dev); inode = UInt64(st.st_ino) }
    }

    /// `path` with every link resolved, or nil when it does not resolve.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// True when `path` is `root` or lies below it.
    public static func isInside(_ path: String, _ root: String) -> Bool {
        if root == "/" || path == root { return true }
        return path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
