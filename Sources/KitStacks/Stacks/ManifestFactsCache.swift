import Crypto
import Dispatch
import Foundation
import KitPluginSDK
import Synchronization
import KitModel

/// What the stack index needs from one manifest — its `import:` entries and its `LayerFacts` — kept
/// between runs, keyed by the SHA-256 of the manifest's bytes. A command that only needs the index
/// (`list stacks`, finding the file of `-s <stack>`) then reads and hashes every manifest but parses
/// only those whose bytes it has not seen.
///
/// Exact by construction, not by timestamps: a record is used only for the very bytes it was computed
/// from, by the very kit binary that computed it, under the same parse limits (the binary's size and
/// modification time, the limits and `schema` are in the file's header; any other header discards
/// every record). Manifests whose parse reads other files (`!include`, however it is spelled: the
/// parse reports the files it read) are never recorded. Only successful parses are recorded: a broken
/// manifest is parsed, and reported, every time.
///
/// The file lives in the user's cache directory (`$XDG_CACHE_HOME/kit`, else `~/.cache/kit`), one per
/// stacks directory, mode 0600 in a 0700 directory, written whole to a temporary file and renamed. It
/// is not used in untrusted mode, nor with `KIT_CACHE=off`.
public final class ManifestFactsCache: Sendable {
    /// One manifest's record.
    struct Record: Sendable, Equatable {
        /// `import:` entries in order, or nil when they are not a valid list (the index merges instead).
        var imports: [Import]?
        var facts: LayerFacts
    }

    /// One `import:` entry, as much of it as the index's closure reads.
    struct Import: Sendable, Equatable {
        var path: String
        var skipIfMissing: Bool
        var skipTemplates: Bool
        var ignoreMissing: Bool
        /// The entry has a `context:` (the closure then needs a merge).
        var hasContext: Bool
    }

    /// Bumped whenever `Record`, `LayerFacts` or the file format changes meaning.
    static let schema = 2

    /// The cache file; nil: the cache is off.
    let path: String?
    /// The header a usable file starts with.
    let header: String
    private struct State {
        var loaded: [String: Record] = [:]
        /// Records this run used or computed (what the next file holds).
        var used: [String: Record] = [:]
        /// Keys computed this run (two threads may compute the same manifest's record at once).
        var computed: Set<String> = []
        var hits = 0
    }
    private let state = Mutex(State())
    /// Left when the file is read and decoded: that happens on another thread, while the catalog walks
    /// the stacks directory, and the first lookup waits for it.
    private let loading = DispatchGroup()

    /// A cache that keeps nothing.
    public static var off: ManifestFactsCache { ManifestFactsCache(path: nil, binaryIdentity: "") }

    /// A cache reading and writing `path` (nil: off), for a binary identified by `binaryIdentity`.
    init(path: String?, binaryIdentity: String) {
        self.path = path
        header = "kit-manifest-facts \(Self.schema) \(binaryIdentity)"
        guard let path else { return }
        let header = header
        loading.enter()
        DispatchQueue.global().async { [self] in
            defer { loading.leave() }
            guard let data = FileManager.default.contents(atPath: path) else { return }
            let loaded = Self.decode(data, header: header)
            state.withLock { $0.loaded = loaded }
        }
    }

    /// The cache for a repository's stacks directory, or an inactive one (untrusted mode,
    /// `KIT_CACHE=off`, no home directory, an unreadable binary).
    package static func forStacks(_ stacksBase: String, config: KitConfig, environment: [String: String]) -> ManifestFactsCache {
        guard !config.trust.untrusted, environment["KIT_CACHE"] != "off", let identity = binaryIdentity() else {
            return ManifestFactsCache(path: nil, binaryIdentity: "")
        }
        let root: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            root = Paths.join(xdg, "kit")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            root = Paths.join(home, ".cache/kit")
        } else {
            return ManifestFactsCache(path: nil, binaryIdentity: "")
        }
        let name = "manifest-facts-" + key(Array(stacksBase.utf8))
        // The parse limits decide whether a manifest parses at all: lowering one must not let a
        // manifest that now exceeds it be answered from a record.
        let l = config.limits
        let limits = "limits=\(l.maxManifestBytes),\(l.maxDepth),\(l.maxAliasExpansion)"
        return ManifestFactsCache(path: Paths.join(root, name), binaryIdentity: identity + " " + limits)
    }

    /// The running binary's size and modification time: a rebuilt kit never reads an older kit's records.
    static func binaryIdentity() -> String? {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return nil }
        return "\(st.st_size)-\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// The key of a manifest's bytes.
    static func key(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for b in Crypto.SHA256.hash(data: bytes).prefix(16) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when a manifest's parse may depend on other files (never recorded).
    static func dependsOnOtherFiles(_ bytes: [UInt8]) -> Bool {
        let needle = Array("!include".utf8)
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count >= needle.count else { return false }
            var at = 0
            // memchr for each `!` (rare in manifests), then compare the rest.
            while at <= b.count - needle.count, let hit = memchr(base + at, 0x21, b.count - needle.count + 1 - at) {
                let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + i, needle, needle.count) == 0 { return true }
                at = i + 1
            }
            return false
        }
    }

    var isActive: Bool { path != nil }

    /// The record of these bytes, if a run of this binary computed it.
    func record(for key: String) -> Record? {
        loading.wait()
        return state.withLock { s in
            guard let r = s.loaded[key] else { return nil }
            s.used[key] = r
            s.hits += 1
            return r
        }
    }

    /// Keeps a record computed this run.
    func store(_ record: Record, for key: String) {
        state.withLock { s in
            s.used[key] = record
            s.computed.insert(key)
        }
    }

    /// (lookups answered from the file, distinct records computed this run).
    var statistics: (hits: Int, computed: Int) { state.withLock { ($0.hits, $0.computed.count) } }

    /// Writes the records this run used, when it computed any (a run that only read changes nothing).
    /// Failing to write is not an error: the next run parses again.
    func save() {
        guard let path else { return }
        loading.wait()
        let (records, computed) = state.withLock { ($0.used, $0.computed.count) }
        guard computed > 0 else { return }
        let directory = Paths.dirname(path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let temporary = path + ".tmp-\(getpid())"
            let data = Data(Self.encode(records, header: header))
            // Never a partial cache file: a failed write (a full disk) leaves no temporary file behind,
            // and the old file stays whole until the rename.
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                unlink(temporary)
                return
            }
            if rename(temporary, path) != 0 { unlink(temporary) }
        } catch {
            return
        }
    }

    // MARK: - File format: the header line, then length-framed binary records.
    //
    // A record is its body's length (4 bytes, little-endian) and the body: the key, then the facts and
    // the imports, every string as a LEB128 length and its UTF-8 bytes, every collection as its count
    // then its items, sorted where the type is unordered (the file is deterministic). A body that does
    // not decode exactly is skipped; a frame longer than the rest of the file ends the read. JSON lines,
    // the first format, cost 16% of a warm `describe component` to parse.

    static func encode(_ records: [String: Record], header: String) -> [UInt8] {
        var out = Array((header + "\n").utf8)
        for key in records.keys.sorted() {
            var body = RecordWriter()
            body.string(key)
            body.record(records[key]!)
            let n = UInt32(body.bytes.count)
            out += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
            out += body.bytes
        }
        return out
    }

    static func decode(_ data: Data, header: String) -> [String: Record] {
        let bytes = [UInt8](data)
        let expected = Array((header + "\n").utf8)
        guard bytes.count >= expected.count, bytes[..<expected.count].elementsEqual(expected) else { return [:] }
        var out: [String: Record] = [:]
        var at = expected.count
        while at + 4 <= bytes.count {
            let n = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
            at += 4
            guard n <= bytes.count - at else { break }
            var reader = RecordReader(bytes: bytes[at ..< at + n])
            at += n
            // A damaged body (a crash mid-write cannot leave one: the file is renamed whole) is skipped.
            if let key = reader.string(), let record = reader.record(), reader.atEnd { out[key] = record }
        }
        return out
    }

    struct RecordWriter {
        var bytes: [UInt8] = []

        mutating func count(_ n: Int) {
            var v = UInt(n)
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        mutating func string(_ s: String) { count(s.utf8.count); bytes += s.utf8 }
        mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }
        mutating func strings(_ a: [String]) { count(a.count); for s in a { string(s) } }
        mutating func stringMap(_ m: [String: String]) {
            count(m.count)
            for k in m.keys.sorted() { string(k); string(m[k]!) }
        }

        mutating func record(_ r: Record) {
            let f = r.facts
            count(f.components.count)
            for type in f.components.keys.sorted() { string(type); strings(f.components[type]!.sorted()) }
            if let name = f.name { bool(true); string(name) } else { bool(false) }
            stringMap(f.globalTokens)
            count(f.typeTokens.count)
            for type in f.typeTokens.keys.sorted() { string(type); stringMap(f.typeTokens[type]!) }
            strings(f.componentTokens.sorted())
            bool(f.opaque)
            if let imports = r.imports {
                bool(true)
                count(imports.count)
                for i in imports {
                    string(i.path)
                    bytes.append((i.skipIfMissing ? 1 : 0) | (i.skipTemplates ? 2 : 0) | (i.ignoreMissing ? 4 : 0) | (i.hasContext ? 8 : 0))
                }
            } else {
                bool(false)
            }
        }
    }

    struct RecordReader {
        let bytes: ArraySlice<UInt8>
        var at: Int

        init(bytes: ArraySlice<UInt8>) { self.bytes = bytes; at = bytes.startIndex }

        var atEnd: Bool { at == bytes.endIndex }

        mutating func byte() -> UInt8? {
            guard at < bytes.endIndex else { return nil }
            defer { at += 1 }
            return bytes[at]
        }
        mutating func count() -> Int? {
            var v = 0, shift = 0
            while let b = byte() {
                v |= Int(b & 0x7F) << shift
                if b < 0x80 { return v <= bytes.endIndex - at ? v : nil }   // every item takes a byte at least
                shift += 7
                if shift > 28 { return nil }
            }
            return nil
        }
        mutating func string() -> String? {
            guard let n = count() else { return nil }
            defer { at += n }
            return String(validating: bytes[at ..< at + n], as: UTF8.self)
        }
        mutating func bool() -> Bool? {
            switch byte() {
            case 0?: return false
            case 1?: return true
            default: return nil
            }
        }
        mutating func strings() -> [String]? {
            guard let n = count() else { return nil }
            var out: [String] = []
            out.reserveCapacity(n)
            for _ in 0 ..< n { guard let s = string() else { return nil }; out.append(s) }
            return out
        }
        mutating func stringMap() -> [String: String]? {
            guard let n = count() else { return nil }
            var out: [String: String] = [:]
            out.reserveCapacity(n)
            for _ in 0 ..< n {
                guard let k = string(), let v = string() else { return nil }
                out[k] = v
            }
            return out
        }

        mutating func record() -> Record? {
            var f = LayerFacts()
            guard let types = count() else { return nil }
            for _ in 0 ..< types {
                guard let type = string(), let names = strings() else { return nil }
                f.components[type] = Set(names)
            }
            guard let hasName = bool() else { return nil }
            if hasName { guard let name = string() else { return nil }; f.name = name }
            guard let global = stringMap() else { return nil }
            f.globalTokens = global
            guard let typed = count() else { return nil }
            for _ in 0 ..< typed {
                guard let type = string(), let tokens = stringMap() else { return nil }
                f.typeTokens[type] = tokens
            }
            guard let componentTokens = strings(), let opaque = bool(), let hasImports = bool() else { return nil }
            f.componentTokens = Set(componentTokens)
            f.opaque = opaque
            guard hasImports else { return Record(imports: nil, facts: f) }
            guard let n = count() else { return nil }
            var imports: [Import] = []
            imports.reserveCapacity(n)
            for _ in 0 ..< n {
                guard let path = string(), let flags = byte(), flags < 16 else { return nil }
                imports.append(Import(path: path, skipIfMissing: flags & 1 != 0, skipTemplates: flags & 2 != 0,
                                      ignoreMissing: flags & 4 != 0, hasContext: flags & 8 != 0))
            }
            return Record(imports: imports, facts: f)
        }
    }
}
