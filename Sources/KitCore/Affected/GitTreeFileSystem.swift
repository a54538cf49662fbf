#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks
import KitTerraform

/// A read-only `FileSystem` over one commit's tree: a `StackCatalog` built on it resolves the
/// repository as it was at that commit, without touching the work tree. Paths are absolute, under
/// `mount` (the repository base path as the configuration names it); the blobs kit may read (the
/// stacks, the terraform files) are loaded up front by one `git cat-file --batch`.
public struct GitTreeFileSystem: FileSystem {
    /// The absolute path the tree's `prefix` folder appears at.
    public let mount: String
    /// The commit id.
    public let commit: String
    /// Loaded file contents by path relative to `mount`.
    let files: [String: [UInt8]]
    /// Every blob's object id by path relative to `mount` (loaded or not).
    let objects: [String: String]
    /// Every folder (relative to `mount`), "" included.
    let folders: Set<String>
    /// Reads a blob that was not loaded up front (an `!include`d data file, say) when asked for.
    let repository: GitRepository

    /// Lists `commit` and loads the blobs below `mount` for which `load` is true (paths relative to `mount`).
    /// `prefix` is the folder of `mount` inside the repository ("" at the top).
    public init(repository: GitRepository, commit: String, mount: String, prefix: String,
                load: (String) -> Bool) throws {
        self.mount = mount
        self.commit = commit
        self.repository = repository
        let lead = prefix.isEmpty ? "" : prefix + "/"
        var objects: [String: String] = [:]
        var folders: Set<String> = [""]
        var wanted: [(String, String)] = []
        for entry in try repository.tree(commit) where lead.isEmpty || entry.path.hasPrefix(lead) {
            let rel = String(entry.path.dropFirst(lead.count))
            objects[rel] = entry.object
            var dir = Paths.dirname(rel)
            while !dir.isEmpty, folders.insert(dir).inserted { dir = Paths.dirname(dir) }
            if !entry.isLink && load(rel) { wanted.append((rel, entry.object)) }
        }
        let contents = try repository.blobs(Array(Set(wanted.map(\.1))))
        var files: [String: [UInt8]] = [:]
        for (rel, object) in wanted { files[rel] = contents[object] }
        self.objects = objects
        self.folders = folders
        self.files = files
    }

    /// `path` relative to the mount, or nil when it lies outside it.
    func relative(_ path: String) -> String? {
        let p = Paths.normalize(path)
        if p == mount { return "" }
        let m = mount.hasSuffix("/") ? mount : mount + "/"
        return p.hasPrefix(m) ? String(p.dropFirst(m.count)) : nil
    }

    public func read(_ path: String) throws -> [UInt8] {
        guard let rel = relative(path) else { throw POSIXFailure(errno: ENOENT, path: path) }
        if let bytes = files[rel] { return bytes }
        // A file of the commit that was not preloaded: read it now rather than call it missing.
        if let object = objects[rel], let bytes = try repository.blobs([object])[object] { return bytes }
        if folders.contains(rel) { throw POSIXFailure(errno: EISDIR, path: path) }
        throw POSIXFailure(errno: ENOENT, path: path)
    }

    public func exists(_ path: String) -> Bool {
        guard let rel = relative(path) else { return false }
        return objects[rel] != nil || folders.contains(rel)
    }

    public func isDirectory(_ path: String) -> Bool {
        guard let rel = relative(path) else { return false }
        return folders.contains(rel)
    }

    public func walk(_ root: String) -> [String] {
        guard let rel = relative(root), folders.contains(rel) else { return [] }
        let lead = rel.isEmpty ? "" : rel + "/"
        return objects.keys.filter { lead.isEmpty || $0.hasPrefix(lead) }.map { String($0.dropFirst(lead.count)) }
            .filter { !$0.split(separator: "/").dropLast().contains(where: { $0.hasPrefix(".") }) }.sorted()
    }

    /// The blob id at `path` (absolute), or nil.
    public func object(at path: String) -> String? {
        relative(path).flatMap { objects[$0] }
    }
}
