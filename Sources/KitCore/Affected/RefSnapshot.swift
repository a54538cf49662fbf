import Foundation

/// The repository at one ref, resolved: every deployable pair of the top-level manifests asked for.
struct RefSnapshot {
    /// The ref as the user named it (`origin/main`, `HEAD`, or `the work tree`).
    var label: String
    var catalog: StackCatalog?
    /// Where the terraform files are read from at this ref.
    var fileSystem: FileSystem
    /// Resolved pairs (abstract ones left out).
    var instances: [InstanceID: ResolvedComponent] = [:]
    /// Abstract pairs (for complete stack-name sets).
    var stackNames: Set<String> = []
    /// Top-level file → why it did not resolve.
    var broken: [String: String] = [:]
    /// Top-level file → the pairs it defines.
    var byFile: [String: [InstanceID]] = [:]
    /// How many top-level files were resolved.
    var resolvedFiles = 0

    /// Every top-level file's layers (contributing files, relative to the stacks base); broken files are recorded.
    mutating func layers() -> [String: Set<String>] {
        guard let catalog else { return [:] }
        let files = catalog.topLevelFiles
        let results = catalog.parallelMap { file -> Result<Set<String>, Error> in
            Result { Set(try catalog.merged(file).layers) }
        }
        var out: [String: Set<String>] = [:]
        for (i, r) in results.enumerated() {
            switch r {
            case .success(let l): out[files[i]] = l
            case .failure(let e): broken[files[i]] = "\(e)"
            }
        }
        return out
    }

    /// Resolves every component of `files` (all top-level files when nil), in parallel.
    mutating func resolve(_ files: Set<String>?) {
        guard let catalog else { return }
        let all = catalog.topLevelFiles
        let chosen = files.map { wanted in all.filter { wanted.contains($0) } } ?? all
        resolvedFiles = chosen.count
        var slots = [Result<[ResolvedComponent], Error>?](repeating: nil, count: chosen.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: chosen.count) { i in
            let file = chosen[i]
            let result = Result { () -> [ResolvedComponent] in
                let r = catalog.resolver(file, try catalog.merged(file))
                let raw = try r.rawComponents()
                return try raw.keys.sorted().map { try r.resolve($0, raw: raw) }
            }
            lock.lock(); slots[i] = result; lock.unlock()
        }
        for (i, slot) in slots.enumerated() {
            switch slot! {
            case .failure(let e): broken[chosen[i]] = "\(e)"
            case .success(let components):
                for c in components {
                    stackNames.insert(c.stackName)
                    if c.isAbstract { continue }
                    let id = InstanceID(stack: c.stackName, component: c.name)
                    instances[id] = c
                    byFile[chosen[i], default: []].append(id)
                }
            }
        }
    }
}
