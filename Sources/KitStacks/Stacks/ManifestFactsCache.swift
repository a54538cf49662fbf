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
    static let schema = 1

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
        guard bytes.count >= needle.count else { return false }
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0] && bytes[i ..< i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
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
            let data = Data(Self.encode(records, header: header).utf8)
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

    // MARK: - File format: the header line, then one JSON object per line.

    static func encode(_ records: [String: Record], header: String) -> String {
        var out = header + "\n"
        for key in records.keys.sorted() {
            out += JSONValue.object(["k": .string(key), "r": json(records[key]!)]).serialized() + "\n"
        }
        return out
    }

    static func decode(_ data: Data, header: String) -> [String: Record] {
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: true)[...]
        guard let first = lines.first, first.elementsEqual(header.utf8) else { return [:] }
        lines = lines.dropFirst()
        var out: [String: Record] = [:]
        out.reserveCapacity(lines.count)
        for line in lines {
            // A damaged line (a crash mid-write cannot leave one: the file is renamed whole) is skipped.
            guard let v = try? line.withUnsafeBytes({ try JSONValue.parse(bytes: $0) }), case .object(let o) = v,
                  case .string(let key)? = o["k"], let r = o["r"], let record = record(r) else { continue }
            out[key] = record
        }
        return out
    }

    static func json(_ r: Record) -> JSONValue {
        let f = r.facts
        var o: [String: JSONValue] = [
            "components": .object(f.components.mapValues { .array($0.sorted().map(JSONValue.string)) }),
            "global": .object(f.globalTokens.mapValues(JSONValue.string)),
            "types": .object(f.typeTokens.mapValues { .object($0.mapValues(JSONValue.string)) }),
            "componentTokens": .array(f.componentTokens.sorted().map(JSONValue.string)),
            "opaque": .bool(f.opaque),
        ]
        if let name = f.name { o["name"] = .string(name) }
        if let imports = r.imports {
            o["imports"] = .array(imports.map { i in
                .object(["path": .string(i.path), "skipIfMissing": .bool(i.skipIfMissing), "skipTemplates": .bool(i.skipTemplates),
                         "ignoreMissing": .bool(i.ignoreMissing), "hasContext": .bool(i.hasContext)])
            })
        }
        return .object(o)
    }

    static func record(_ v: JSONValue) -> Record? {
        guard case .object(let o) = v,
              case .object(let components)? = o["components"], case .object(let global)? = o["global"],
              case .object(let types)? = o["types"], case .array(let componentTokens)? = o["componentTokens"],
              case .bool(let opaque)? = o["opaque"] else { return nil }
        func strings(_ a: [JSONValue]) -> [String]? {
            var out: [String] = []
            for case .string(let s) in a { out.append(s) }
            return out.count == a.count ? out : nil
        }
        func stringMap(_ m: [String: JSONValue]) -> [String: String]? {
            var out: [String: String] = [:]
            for (k, v) in m { guard case .string(let s) = v else { return nil }; out[k] = s }
            return out
        }
        var f = LayerFacts()
        for (type, names) in components {
            guard case .array(let a) = names, let s = strings(a) else { return nil }
            f.components[type] = Set(s)
        }
        guard let g = stringMap(global), let ct = strings(componentTokens) else { return nil }
        f.globalTokens = g
        for (type, m) in types {
            guard case .object(let tm) = m, let t = stringMap(tm) else { return nil }
            f.typeTokens[type] = t
        }
        f.componentTokens = Set(ct)
        f.opaque = opaque
        switch o["name"] {
        case nil: f.name = nil
        case .string(let s)?: f.name = s
        default: return nil
        }
        var imports: [Import]?
        if let i = o["imports"] {
            guard case .array(let items) = i else { return nil }
            var list: [Import] = []
            for item in items {
                guard case .object(let m) = item, case .string(let path)? = m["path"], case .bool(let a)? = m["skipIfMissing"],
                      case .bool(let b)? = m["skipTemplates"], case .bool(let c)? = m["ignoreMissing"],
                      case .bool(let d)? = m["hasContext"] else { return nil }
                list.append(Import(path: path, skipIfMissing: a, skipTemplates: b, ignoreMissing: c, hasContext: d))
            }
            imports = list
        }
        return Record(imports: imports, facts: f)
    }
}
