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
    /// The file as bytes, refused unless it is a regular file of at most `limit` bytes; read in bounded
    /// chunks, so a sparse or endless file fails fast instead of being allocated whole.
    func readRegularFile(_ path: String, limit: Int) throws -> [UInt8]
    /// Every file below `root`, as paths relative to it, sorted, within `options` (loops, links out of
    /// the allowed places, unreadable folders and too many entries are errors).
    func walk(_ root: String, options: WalkOptions) throws -> [String]
}

extension FileSystem {
    /// Reads the whole file, then checks the limit (file systems that hold their files in memory).
    public func readRegularFile(_ path: String, limit: Int) throws -> [UInt8] {
        if isDirectory(path) { throw FileReadFailure.notRegularFile(path: path, kind: "a folder") }
        let bytes = try read(path)
        if bytes.count > limit { throw FileReadFailure.tooLarge(path: path, limit: limit) }
        return bytes
    }

    /// The plain walk, capped (file systems without links).
    public func walk(_ root: String, options: WalkOptions) throws -> [String] {
        let files = walk(root)
        if files.count > options.maxEntries { throw WalkFailure.tooManyEntries(root: root, limit: options.maxEntries) }
        return files
    }
}

/// Bounds for walking the stacks directory.
public struct WalkOptions: Sendable {
    /// Real (link-free) paths the walk may enter through a directory link; links elsewhere are errors.
    public var allowedRoots: [String]
    /// The most files and folders the walk may meet.
    public var maxEntries: Int
    public init(allowedRoots: [String], maxEntries: Int) {
        self.allowedRoots = allowedRoots
        self.maxEntries = maxEntries
    }
}

/// Why a bounded read refused a file.
public enum FileReadFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// More than `limit` bytes.
    case tooLarge(path: String, limit: Int)
    /// A device, a FIFO, a socket or a folder.
    case notRegularFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .tooLarge(_, let limit): return "the file is larger than \(limit) bytes"
        case .notRegularFile(_, let kind): return "it is \(kind), not a regular file"
        }
    }
}

/// Why a walk of the stacks directory stopped.
public enum WalkFailure: Error, Equatable, Sendable {
    /// A directory link leads back to a folder the walk is already inside.
    case loop(path: String, target: String)
    /// A directory link leads outside the repository and the allowed places.
    case outside(path: String, target: String)
    /// A folder that cannot be listed.
    case unreadable(path: String, reason: String)
    /// More entries than the limit.
    case tooManyEntries(root: String, limit: Int)
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

    public func readRegularFile(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw POSIXFailure(errno: errno, path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw POSIXFailure(errno: errno, path: path) }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else { throw FileReadFailure.notRegularFile(path: path, kind: Self.kindName(kind)) }
        if Int(st.st_size) > limit { throw FileReadFailure.tooLarge(path: path, limit: limit) }
        // Read straight into the result, sized by fstat plus one byte to see a file that grew; a
        // zero-filled 64 KiB chunk per file (the old way) cost a 58 MB memset per command on 900 manifests.
        var failure: Int32?
        var out = [UInt8](unsafeUninitializedCapacity: min(Int(st.st_size), limit) + 1) { buffer, count in
            count = Self.readFully(fd, into: buffer, failure: &failure)
        }
        if let failure { throw POSIXFailure(errno: failure, path: path) }
        // The file grew since fstat: read the rest in pieces, within the limit.
        while out.count > Int(st.st_size) {
            if out.count > limit { throw FileReadFailure.tooLarge(path: path, limit: limit) }
            let before = out.count
            let more = [UInt8](unsafeUninitializedCapacity: 64 << 10) { buffer, count in
                count = Self.readFully(fd, into: buffer, failure: &failure)
            }
            if let failure { throw POSIXFailure(errno: failure, path: path) }
            out += more
            if out.count == before || more.count < 64 << 10 { break }
        }
        if out.count > limit { throw FileReadFailure.tooLarge(path: path, limit: limit) }
        return out
    }

    /// Reads until `buffer` is full or the file ends; the bytes read. Sets `failure` on a read error.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, failure: inout Int32?) -> Int {
        var count = 0
        while count < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return count
            }
            if n == 0 { break }
            count += n
        }
        return count
    }

    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a folder"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
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

    package init(errno: Int32, path: String) {
        self.errno = errno
        self.path = path
    }
}

/// Path helpers on '/'-separated strings (no Foundation URL overhead on hot paths).
public enum Paths {
    /// Joins `b` to `a` unless `b` is absolute; normalises `.` and `..` segments.
    /// By bytes, one allocation when both sides are clean: `describe stacks` joins a few paths per
    /// component (Character-wise `hasPrefix` and two concatenations cost ~3,000 instructions a join).
    public static func join(_ a: String, _ b: String) -> String {
        if b.utf8.first == UInt8(ascii: "/") { return normalize(b) }
        if b.isEmpty { return normalize(a) }
        if isClean(a) && isClean(b) {
            if a.utf8.count == 1 && a.utf8.first == UInt8(ascii: "/") { return "/" + b }
            var joined = ""
            joined.reserveCapacity(a.utf8.count + 1 + b.utf8.count)
            joined += a
            joined += "/"
            joined += b
            return joined
        }
        return normalize(a + "/" + b)
    }

    /// True when `p` has no `.`/`..` segment, no empty segment and no trailing slash (joining needs no normalising).
    @inline(__always) static func isClean(_ p: String) -> Bool {
        if let clean = p.utf8.withContiguousStorageIfAvailable({ isClean(bytes: $0, p) }) { return clean }
        return isClean(bytes: p.utf8, p)
    }

    @inline(__always) static func isClean<Bytes: Sequence>(bytes: Bytes, _ p: String) -> Bool where Bytes.Element == UInt8 {
        var segmentLength = 0, segmentDots = 0, atStart = true
        for b in bytes {
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

    /// Removes `.` segments, folds `..`, collapses repeated slashes. By UTF-8 bytes (`/` and `.` never
    /// occur inside a multi-byte character): splitting by Characters cost ~24,000 instructions a path.
    public static func normalize(_ p: String) -> String {
        var p = p
        return p.withUTF8 { b -> String in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            let absolute = b.first == slash
            @inline(__always) func isDotDot(_ r: Range<Int>) -> Bool { r.count == 2 && b[r.lowerBound] == dot && b[r.lowerBound + 1] == dot }
            var parts: [Range<Int>] = []
            var start = 0
            for i in 0 ... b.count where i == b.count || b[i] == slash {
                defer { start = i + 1 }
                let seg = start ..< i
                if seg.isEmpty || (seg.count == 1 && b[start] == dot) { continue }
                if isDotDot(seg), let last = parts.last, !isDotDot(last) { parts.removeLast(); continue }
                if isDotDot(seg) && absolute { continue }
                parts.append(seg)
            }
            var out: [UInt8] = []
            out.reserveCapacity(b.count + 1)
            if absolute { out.append(slash) }
            for (k, r) in parts.enumerated() {
                if k > 0 { out.append(slash) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[r]))
            }
            return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
        }
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

extension FileSystem {
    /// The nearest folder at or above `directory` that holds `.git`, or nil.
    public func gitRoot(from directory: String) -> String? {
        var dir = directory
        while true {
            if exists(Paths.join(dir, ".git")) { return dir }
            let parent = Paths.dirname(dir)
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
    }
}

extension Paths {
    /// An address atmos would download (`https://…`, `s3::…`, `git::…`, `github.com/…`), not a path:
    /// lowercase letters, digits or `+` followed by `::` (a forced getter) or `://` (a scheme), or
    /// go-getter's GitHub shorthand. Reads only the leading bytes (it runs for every import).
    public static func isRemoteAddress(_ path: String) -> Bool {
        let u = path.utf8
        if u.starts(with: "github.com/".utf8) { return true }
        var i = u.startIndex
        while i != u.endIndex, case let b = u[i],
              (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "+") {
            i = u.index(after: i)
        }
        guard i != u.startIndex else { return false }
        let rest = u[i...]
        return rest.starts(with: "::".utf8) || rest.starts(with: "://".utf8)
    }
}
