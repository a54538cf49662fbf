import Foundation
import Synchronization
import KitModel
import KitStacks
import KitTerraform

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
    /// True when every component of every top-level file was resolved.
    var resolvedAll = false
    /// Top-level file → the component names resolved in it (present or not).
    var evaluated: [String: Set<String>] = [:]

    /// `names` plus every component of `raw` that inherits from one of them, transitively.
    static func inheritors(of names: Set<String>, in raw: [String: Value]) -> Set<String> {
        var children: [String: [String]] = [:]
        for (name, body) in raw {
            guard case .map(let m) = body else { continue }
            var bases = (m["metadata"]?.mapValue?["inherits"]?.listValue ?? []).compactMap(\.stringValue)
            if let c = m["component"]?.stringValue { bases.append(c) }
            for b in bases { children[b, default: []].append(name) }
        }
        var out = names
        var work = Array(names)
        while let n = work.popLast() {
            for c in children[n] ?? [] where out.insert(c).inserted { work.append(c) }
        }
        return out
    }

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

    /// The files the `!include`s of `layers` (relative to the stacks base) read, relative to `base`;
    /// the layers must have been parsed (`layers()` does).
    func includes(ofLayers layers: Set<String>, relativeTo base: String) -> Set<String> {
        guard let store = catalog?.store else { return [] }
        var out: Set<String> = []
        for layer in layers {
            for abs in store.includes(of: layer) { out.insert(Paths.relative(abs, to: base)) }
        }
        return out
    }

    /// Resolves every component of `files` (all top-level files when nil), in parallel; with `names`,
    /// only those components and the components that inherit from them (`metadata.inherits`, `component:`).
    mutating func resolve(_ files: Set<String>?, names: Set<String>? = nil) {
        guard let catalog else { return }
        let all = catalog.topLevelFiles
        let chosen = files.map { wanted in all.filter { wanted.contains($0) } } ?? all
        resolvedFiles += chosen.count
        if files == nil && names == nil { resolvedAll = true }
        let cells = Mutex([Result<(Set<String>, [ResolvedComponent]), Error>?](repeating: nil, count: chosen.count))
        DispatchQueue.concurrentPerform(iterations: chosen.count) { i in
            let file = chosen[i]
            let result = Result { () -> (Set<String>, [ResolvedComponent]) in
                let r = catalog.resolver(file, try catalog.merged(file))
                let raw = try r.rawComponents()
                let wanted = names.map { RefSnapshot.inheritors(of: $0, in: raw) } ?? Set(raw.keys)
                return (wanted, try raw.keys.sorted().filter(wanted.contains).map { try r.resolve($0, raw: raw) })
            }
            cells.withLock { $0[i] = result }
        }
        let slots = cells.withLock { $0 }
        for (i, slot) in slots.enumerated() {
            switch slot! {
            case .failure(let e): broken[chosen[i]] = "\(e)"
            case .success(let (wanted, components)):
                evaluated[chosen[i]] = wanted
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
