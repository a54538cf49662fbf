import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// The local modules a terraform folder uses: `source = "./x"` or `source = "../modules/x"` of the
/// `module` blocks in its `.tf` files, followed transitively (a module that sources another local module). Results are
/// cached per folder, so 9,000 instances over 50 folders read each folder's files once.
public final class LocalModules: Sendable {
    let fileSystem: FileSystem
    private let cache = Mutex<[String: [String]]>([:])

    public init(fileSystem: FileSystem) { self.fileSystem = fileSystem }

    /// Every local module folder (absolute, normalised, sorted) that `folder` uses, directly or not.
    public func modules(of folder: String) -> [String] {
        if let hit = cache.withLock({ $0[folder] }) { return hit }
        var seen: Set<String> = []
        var work = Self.direct(folder, fileSystem)
        while let m = work.popLast() {
            guard seen.insert(m).inserted, m != folder else { continue }
            work += Self.direct(m, fileSystem)
        }
        seen.remove(folder)
        let out = seen.sorted()
        cache.withLock { $0[folder] = out }
        return out
    }

    /// The local `source` folders named in `folder`'s own `.tf` files.
    static func direct(_ folder: String, _ fs: FileSystem) -> [String] {
        var out: [String] = []
        for file in fs.walk(folder) where !file.contains("/") && file.hasSuffix(".tf") {
            guard let bytes = try? fs.read(folder + "/" + file) else { continue }
            for source in sources(in: String(decoding: bytes, as: UTF8.self)) where source.hasPrefix("./") || source.hasPrefix("../") {
                out.append(Paths.join(folder, source))
            }
        }
        return out
    }

    /// The `source` strings of the `module` blocks in HCL text (a real tokenizer: blocks on one line,
    /// comments and heredocs anywhere; see `ModuleSources`).
    static func sources(in text: String) -> [String] { ModuleSources.scan(text) }
}
