import KitPluginSDK
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a plugin file before `dlopen` (which runs the library's constructors): ELF magic, 64-bit,
/// shared object, this machine; not writable by group or others (nor its directory); optional pin.
public enum PluginFileCheck {
    /// What the ELF header and dynamic section say about a file that passed the checks.
    public struct ELFInfo: Equatable, Sendable {
        /// The `DT_NEEDED` libraries, e.g. `libswiftCore.so`.
        public var neededLibraries: [String]

        /// True when the library links kit's shared Swift runtime (and so must match its Swift version).
        public var sharesSwiftRuntime: Bool { neededLibraries.contains { $0.hasPrefix("libswiftCore.so") } }
    }

    /// The ELF `e_machine` of this process.
    public static var hostMachine: Int {
        #if arch(x86_64)
        return 62
        #elseif arch(arm64)
        return 183
        #elseif arch(riscv64)
        return 243
        #else
        return 0
        #endif
    }

    /// Refuses a file or its directory that group or others can write.
    public static func checkPermissions(path: String, display: String) throws {
        try checkNotWritable(target: path, display: display, isDirectory: false)
        try checkNotWritable(target: directory(of: path), display: display, isDirectory: true)
    }

    private static func checkNotWritable(target: String, display: String, isDirectory: Bool) throws {
        var st = stat()
        guard stat(target, &st) == 0 else {
            throw PluginLoadError.unreadable(path: display, reason: String(cString: strerror(errno)))
        }
        let mode = UInt32(st.st_mode)
        let group = mode & UInt32(S_IWGRP) != 0
        let others = mode & UInt32(S_IWOTH) != 0
        guard group || others else { return }
        let who = group && others ? "group and others" : (group ? "group" : "others")
        throw PluginLoadError.writableByOthers(path: display, target: target, isDirectory: isDirectory, who: who, mode: mode)
    }

    /// Reads the ELF header and dynamic section; throws unless it is a 64-bit shared object for this machine.
    public static func checkELF(path: String, display: String) throws -> ELFInfo {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PluginLoadError.unreadable(path: display, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try checkELF(fd: fd, display: display)
    }

    /// `checkELF` on an open descriptor (the file kit will load, whatever happens to its path).
    public static func checkELF(fd: Int32, display: String) throws -> ELFInfo {
        let header = readBytes(fd, offset: 0, count: 64)
        guard header.count >= 16, header[0] == 0x7F, header[1] == 0x45, header[2] == 0x4C, header[3] == 0x46 else {
            throw PluginLoadError.notELF(path: display)
        }
        guard header[4] == 2, header.count == 64 else { throw PluginLoadError.notELF64(path: display) }
        guard header[5] == 1 else { throw PluginLoadError.wrongMachine(path: display, found: -1, expected: hostMachine) }
        let type = Int(u16(header, 16))
        guard type == 3 else { throw PluginLoadError.notSharedObject(path: display, elfType: type) }
        let machine = Int(u16(header, 18))
        guard machine == hostMachine else { throw PluginLoadError.wrongMachine(path: display, found: machine, expected: hostMachine) }
        return ELFInfo(neededLibraries: neededLibraries(fd: fd, header: header))
    }

    /// `DT_NEEDED` entries, found through the program headers (best effort: [] when unreadable).
    static func neededLibraries(fd: Int32, header: [UInt8]) -> [String] {
        let phoff = Int(u64(header, 32))
        let phentsize = Int(u16(header, 54))
        let phnum = Int(u16(header, 56))
        guard phentsize >= 56, phnum > 0, phnum < 4096 else { return [] }
        let table = readBytes(fd, offset: phoff, count: phentsize * phnum)
        guard table.count == phentsize * phnum else { return [] }
        var loads: [(vaddr: UInt64, offset: UInt64, size: UInt64)] = []
        var dynamic: (offset: UInt64, size: UInt64)?
        for i in 0..<phnum {
            let base = i * phentsize
            let type = u32(table, base)
            if type == 1 { loads.append((u64(table, base + 16), u64(table, base + 8), u64(table, base + 32))) }
            if type == 2 { dynamic = (u64(table, base + 8), u64(table, base + 32)) }
        }
        guard let dynamic, dynamic.size < 1 << 20 else { return [] }
        let entries = readBytes(fd, offset: Int(dynamic.offset), count: Int(dynamic.size))
        var needed: [UInt64] = []
        var strtab: UInt64?
        var strsz: UInt64 = 0
        var i = 0
        while i + 16 <= entries.count {
            let tag = u64(entries, i), value = u64(entries, i + 8)
            if tag == 0 { break }
            if tag == 1 { needed.append(value) }
            if tag == 5 { strtab = value }
            if tag == 10 { strsz = value }
            i += 16
        }
        guard let strtab, strsz > 0, strsz < 1 << 24,
              let load = loads.first(where: { strtab >= $0.vaddr && strtab < $0.vaddr + $0.size }) else { return [] }
        let strings = readBytes(fd, offset: Int(strtab - load.vaddr + load.offset), count: Int(strsz))
        return needed.compactMap { offset in
            let start = Int(offset)
            guard start < strings.count else { return nil }
            let end = strings[start...].firstIndex(of: 0) ?? strings.count
            return String(decoding: strings[start..<end], as: UTF8.self)
        }
    }

    /// The lowercase sha256 hex of the file's contents.
    public static func sha256(path: String, display: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PluginLoadError.unreadable(path: display, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try sha256(fd: fd, display: display)
    }

    /// The SHA-256 (swift-crypto's) of an open descriptor's whole file (read from offset 0 with `pread`).
    public static func sha256(fd: Int32, display: String) throws -> String {
        var hasher = FileDigest()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n > 0 { offset += off_t(n) }
            if n < 0 { throw PluginLoadError.unreadable(path: display, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalizeHex()
    }

    /// Refuses an open file that group or others can write (`fstat`: the file kit will load).
    public static func checkNotWritable(fd: Int32, display: String) throws {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PluginLoadError.unreadable(path: display, reason: String(cString: strerror(errno))) }
        let mode = UInt32(st.st_mode)
        guard (mode & UInt32(S_IFMT)) == UInt32(S_IFREG) else {
            throw PluginLoadError.unreadable(path: display, reason: "not a regular file")
        }
        let group = mode & UInt32(S_IWGRP) != 0
        let others = mode & UInt32(S_IWOTH) != 0
        guard group || others else { return }
        let who = group && others ? "group and others" : (group ? "group" : "others")
        throw PluginLoadError.writableByOthers(path: display, target: display, isDirectory: false, who: who, mode: mode)
    }

    /// Throws unless the file's sha256 equals `expected` (case-insensitive).
    public static func checkPin(path: String, display: String, name: String, expected: String) throws {
        let actual = try sha256(path: path, display: display)
        guard actual == expected.lowercased() else {
            throw PluginLoadError.pinMismatch(path: display, name: name, expected: expected.lowercased(), actual: actual)
        }
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func readBytes(_ fd: Int32, offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return n <= 0 ? [] : Array(buffer[0..<n])
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) } }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) } }
}
