#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The file operations the kernel needs, injected so tests and tools can substitute them.
public protocol FileSystem: Sendable {
    /// The whole file as bytes.
    func read(_ path: String) throws -> [UInt8]
    /// True when a regular file or directory exists at `path`.
    func exists(_ path: String) -> Bool
    /// True when `path` is a directory.
    func isDirectory(_ path: String) -> Bool
    /// Every regular file below `root`, as paths relative to it, sorted.
    func walk(_ root: String) -> [String]
}

/// The real filesystem, through POSIX calls.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXFailure(errno: errno, path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw POSIXFailure(errno: errno, path: path) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw POSIXFailure(errno: EISDIR, path: path) }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; throw POSIXFailure(errno: errno, path: path) }
            if n == 0 { break }
            done += n
        }
        if done < out.count { out.removeLast(out.count - done) }
        return out
    }

    public func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public func walk(_ root: String) -> [String] {
        var out: [String] = []
        walk(root, prefix: "", into: &out)
        return out.sorted()
    }

    private func walk(_ dir: String, prefix: String, into out: inout [String]) {
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let full = dir + "/" + name
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var st = stat()
                if stat(full, &st) == 0 { type = (st.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG) }
            }
            if type == UInt8(DT_DIR) {
                if name.hasPrefix(".") { continue }
                walk(full, prefix: rel, into: &out)
            } else if type == UInt8(DT_REG) || type == UInt8(DT_LNK) {
                // A dangling link is listed too, so reading it reports why instead of "not found".
                out.append(rel)
            }
        }
    }
}

/// A failed system call on a file.
public struct POSIXFailure: Error, CustomStringConvertible, Sendable {
    public var errno: Int32
    public var path: String
    public var description: String { String(cString: strerror(errno)).lowercased() }
}

/// Path helpers on '/'-separated strings (no Foundation URL overhead on hot paths).
public enum Paths {
    /// Joins `b` to `a` unless `b` is absolute; normalises `.` and `..` segments.
    public static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") { return normalize(b) }
        if b.isEmpty { return normalize(a) }
        if isClean(a) && isClean(b) { return a == "/" ? "/" + b : a + "/" + b }
        return normalize(a + "/" + b)
    }

    /// True when `p` has no `.`/`..` segment, no empty segment and no trailing slash (joining needs no normalising).
    @inline(__always) static func isClean(_ p: String) -> Bool {
        var segmentLength = 0, segmentDots = 0, atStart = true
        for b in p.utf8 {
            if b == UInt8(ascii: "/") {
                if !atStart {
                    if segmentLength == 0 { return false }
                    if segmentDots == segmentLength && segmentLength <= 2 { return false }
                }
                segmentLength = 0; segmentDots = 0
            } else {
                segmentLength += 1
                if b == UInt8(ascii: ".") { segmentDots += 1 }
            }
            atStart = false
        }
        if segmentLength == 0 { return p == "/" }
        return !(segmentDots == segmentLength && segmentLength <= 2)
    }

    /// Removes `.` segments, folds `..`, collapses repeated slashes.
    public static func normalize(_ p: String) -> String {
        let absolute = p.hasPrefix("/")
        var parts: [Substring] = []
        for seg in p.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if seg == ".." && absolute { continue }
            parts.append(seg)
        }
        let body = parts.joined(separator: "/")
        return absolute ? "/" + body : (body.isEmpty ? "." : body)
    }

    /// The directory part of `p` ("" when none).
    public static func dirname(_ p: String) -> String {
        guard let i = p.lastIndex(of: "/") else { return "" }
        return i == p.startIndex ? "/" : String(p[..<i])
    }

    /// The last segment of `p`.
    public static func basename(_ p: String) -> String {
        guard let i = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: i)...])
    }

    /// `path` relative to `base` when it lies below it, else `path` unchanged.
    public static func relative(_ path: String, to base: String) -> String {
        let b = base.hasSuffix("/") ? base : base + "/"
        if path.hasPrefix(b) { return String(path.dropFirst(b.count)) }
        return path
    }

    /// The current working directory.
    public static func currentDirectory() -> String {
        FileManager.default.currentDirectoryPath
    }
}
