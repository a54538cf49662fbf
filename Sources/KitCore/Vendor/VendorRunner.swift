import Dispatch
import Foundation
import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// What happened to one target.
public struct VendorOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// The target already held the source's files: nothing was copied.
        case unchanged
        /// The files were written: how many added, removed and changed.
        case pulled(added: Int, removed: Int, changed: Int)
        /// `--dry-run`: what would be pulled (nothing fetched).
        case wouldPull
        /// `kit vendor diff`: the paths that differ between the target and the source.
        case differs(added: [String], removed: [String], changed: [String])
        /// The pull of this target failed; the message names why (old files are left in place).
        case failed(String)
    }
    public var component: String
    public var target: String
    public var source: String
    public var kind: String
    public var status: Status
    public var milliseconds: Int
}

/// Progress of a run, for a line per source on a terminal.
public enum VendorEvent: Sendable {
    case started(component: String, source: String)
    case finished(VendorOutcome)
}

/// Pulls (or diffs) vendor items: each distinct source is fetched once per run (components sharing a
/// repository and ref share one checkout), fetches run concurrently up to `maxConcurrency`, a git
/// source whose commit, filters and target tree match the lock is skipped without fetching, and a
/// target already equal to the source is not copied. The lock file is updated with every target pulled.
public struct VendorRunner: Sendable {
    public enum Mode: Sendable { case pull, diff, dryRun }

    public var fetcher: VendorFetcher
    public var basePath: String
    public var maxConcurrency: Int
    public var report: @Sendable (VendorEvent) -> Void

    public init(fetcher: VendorFetcher, basePath: String, maxConcurrency: Int, report: @escaping @Sendable (VendorEvent) -> Void) {
        self.fetcher = fetcher
        self.basePath = basePath
        self.maxConcurrency = max(1, maxConcurrency)
        self.report = report
    }

    public var lockPath: String { Paths.join(basePath, VendorLockFile.fileName) }

    /// Runs `mode` over `items`; outcomes in the items' order. The lock file is written after a pull.
    public func run(_ items: [VendorItem], mode: Mode) throws -> [VendorOutcome] {
        let lock = try VendorLockFile.read(lockPath)
        if mode == .dryRun {
            return items.map { VendorOutcome(component: $0.source.component, target: $0.targetKey, source: $0.shownURI,
                                             kind: $0.location.kind, status: .wouldPull, milliseconds: 0) }
        }
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, item) in items.enumerated() {
            if groups[item.fetchKey] == nil { order.append(item.fetchKey) }
            groups[item.fetchKey, default: []].append(i)
        }
        let outcomes = Mutex<[Int: (VendorOutcome, VendorLockFile.Entry?)]>([:])
        let next = Mutex(0)
        let scratch = NSTemporaryDirectory() + "/kit-vendor-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let group = DispatchGroup()
        let fetchOrder = order, fetchGroups = groups
        for _ in 0..<min(maxConcurrency, fetchOrder.count) {
            DispatchQueue.global().async(group: group) {
                while true {
                    let g: Int = next.withLock { let v = $0; $0 += 1; return v }
                    guard g < fetchOrder.count else { return }
                    let indices = fetchGroups[fetchOrder[g]]!
                    let results = self.fetchGroup(indices.map { items[$0] }, mode: mode, lock: lock, scratch: scratch + "/\(g)")
                    outcomes.withLock { for (i, r) in zip(indices, results) { $0[i] = r } }
                }
            }
        }
        group.wait()
        let all = outcomes.withLock { $0 }
        if mode == .pull {
            var updated = lock
            var changed = false
            for (i, (_, entry)) in all { if let entry, updated.targets[items[i].targetKey] != entry { updated.targets[items[i].targetKey] = entry; changed = true } }
            if changed || (!FileManager.default.fileExists(atPath: lockPath) && all.values.contains { $0.1 != nil }) { try updated.write(to: lockPath) }
        }
        return items.indices.map { all[$0]!.0 }
    }

    /// Fetches one source for the items that share it, then fills (or diffs) each item's target.
    func fetchGroup(_ items: [VendorItem], mode: Mode, lock: VendorLockFile, scratch: String) -> [(VendorOutcome, VendorLockFile.Entry?)] {
        let start = DispatchTime.now().uptimeNanoseconds
        func outcome(_ item: VendorItem, _ status: VendorOutcome.Status) -> VendorOutcome {
            VendorOutcome(component: item.source.component, target: item.targetKey, source: item.shownURI, kind: item.location.kind,
                          status: status, milliseconds: Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000))
        }
        for item in items { report(.started(component: item.source.component, source: item.shownURI)) }
        var results: [(VendorOutcome, VendorLockFile.Entry?)] = []
        do {
            var fetched: (root: String, resolved: String?)? = nil
            var gitCommit: String?
            if case .git(let repo, let ref, _) = items[0].location, mode == .pull {
                // The cheap path: the lock already records this commit and the target still matches it.
                gitCommit = try fetcher.resolveGit(repository: repo, ref: ref)
                if let commit = gitCommit, items.allSatisfy({ lockCurrent($0, lock: lock, resolved: commit) }) {
                    results = items.map { (outcome($0, .unchanged), lock.targets[$0.targetKey]) }
                    for r in results { report(.finished(r.0)) }
                    return results
                }
            }
            for item in items {
                if fetched == nil { fetched = try fetch(item.location, commit: gitCommit, scratch: scratch) }
                let status: VendorOutcome.Status
                var entry: VendorLockFile.Entry?
                do {
                    (status, entry) = try fill(item, fetchedRoot: fetched!.root, resolved: fetched!.resolved, mode: mode, scratch: scratch)
                } catch let e as VendorError {
                    (status, entry) = (.failed(e.description), nil)
                }
                results.append((outcome(item, status), entry))
            }
        } catch {
            let message: String
            if let f = error as? FetchFailure {
                message = (f.unsafe ? VendorError.unsafeContent(component: items[0].source.component, source: items[0].shownURI, detail: f.message)
                    : VendorError.fetchFailed(component: items[0].source.component, source: items[0].shownURI, detail: f.message)).description
            } else if let v = error as? VendorError {
                message = v.description
            } else {
                message = VendorError.fetchFailed(component: items[0].source.component, source: items[0].shownURI, detail: URLRedaction.redact("\(error)")).description
            }
            results = items.map { (outcome($0, .failed(message)), nil) }
        }
        for r in results { report(.finished(r.0)) }
        return results
    }

    /// True when the lock records `resolved` for this item's source and filters, and the target still holds those files.
    func lockCurrent(_ item: VendorItem, lock: VendorLockFile, resolved: String) -> Bool {
        guard item.mixins.isEmpty, let e = lock.targets[item.targetKey], e.resolved == resolved, e.source == item.shownURI,
              e.includedPaths == item.source.includedPaths, e.excludedPaths == item.source.excludedPaths,
              let current = try? VendorTree.read(item.target, ignoring: ignored(item)) else { return false }
        return current.digest == e.digest
    }

    func ignored(_ item: VendorItem) -> Set<String> { item.source.isComponentManifest ? ["component.yaml"] : [] }

    /// Brings the item's source onto disk (without its subdirectory).
    func fetch(_ location: VendorLocation, commit: String?, scratch: String) throws -> (root: String, resolved: String?) {
        switch location {
        case .git(let repo, let ref, _):
            let dir = scratch + "/git"
            let head = try fetcher.checkoutGit(repository: repo, ref: ref, commit: commit, into: dir)
            return (dir, head)
        case .local(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw FetchFailure(message: "local path '\(Paths.relative(path, to: basePath))' does not exist")
            }
            return (path, nil)
        case .archive(let url, let kind, _):
            try AtomicFile.makeDirectories(scratch)
            let file = scratch + "/archive"
            let sum = try fetcher.download(url, to: file)
            try fetcher.unpack(file, kind: kind, into: scratch + "/unpacked")
            return (scratch + "/unpacked", sum)
        case .httpFile(let url):
            let name = Paths.basename(VendorLocation.splitQuery(url).0)
            try AtomicFile.makeDirectories(scratch + "/file")
            let file = scratch + "/file/" + (name.isEmpty ? "download" : name)
            let sum = try fetcher.download(url, to: file)
            return (file, sum)
        case .s3(let raw):
            let fetched = try fetcher.fetchFromPlugin(VendorLocation.s3Parts(raw).url, into: scratch + "/s3")
            let lower = fetched.root.lowercased()
            guard fetched.singleObject else { return (fetched.root, fetched.resolved) }
            let kind: VendorLocation.ArchiveKind? = lower.hasSuffix(".zip") ? .zip
                : (lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz")) ? .tarGzip : nil
            let sum = "sha256:" + (try PluginFileCheck.sha256(path: fetched.root, display: Paths.basename(fetched.root)))
            guard let kind else { return (fetched.root, sum) }
            try fetcher.unpack(fetched.root, kind: kind, into: scratch + "/unpacked")
            return (scratch + "/unpacked", sum)
        case .oci:
            throw FetchFailure(message: "oci sources are not supported by kit")
        }
    }

    /// Fills (or diffs) one target from the fetched root.
    func fill(_ item: VendorItem, fetchedRoot: String, resolved: String?, mode: Mode, scratch: String) throws -> (VendorOutcome.Status, VendorLockFile.Entry?) {
        var root = fetchedRoot
        var subdirectory = ""
        switch item.location {
        case .git(_, _, let sub), .archive(_, _, let sub): subdirectory = sub
        case .s3(let raw): subdirectory = VendorLocation.s3Parts(raw).subdirectory
        default: break
        }
        if !subdirectory.isEmpty {
            guard !subdirectory.split(separator: "/").contains("..") else {
                throw VendorError.unsafeContent(component: item.source.component, source: item.shownURI, detail: "subdirectory '\(subdirectory)' leads outside the source")
            }
            root = fetchedRoot + "/" + subdirectory
            guard FileManager.default.fileExists(atPath: root) else {
                throw VendorError.fetchFailed(component: item.source.component, source: item.shownURI, detail: "the source has no folder '\(subdirectory)'")
            }
        }
        let ignoring = ignored(item)
        var tree: VendorTree
        do { tree = try VendorTree.read(root, included: item.source.includedPaths, excluded: item.source.excludedPaths, ignoring: ignoring) } catch let r as VendorTree.Refusal {
            throw VendorError.unsafeContent(component: item.source.component, source: item.shownURI, detail: r.description)
        }
        var extra: [(name: String, path: String)] = []
        if !item.mixins.isEmpty { try? AtomicFile.makeDirectories(scratch) }
        for (i, m) in item.mixins.enumerated() {
            let file = scratch + "/mixin-\(item.targetKey.hashValue)-\(i)"
            do {
                switch VendorLocation.parse(m.uri, baseDirectory: item.source.baseDirectory) {
                case .local(let p): try VendorInstaller.copyFile(p, to: file, mode: 0o644)
                case .httpFile(let url): try AtomicFile.makeDirectories(scratch); _ = try fetcher.download(url, to: file)
                default: throw FetchFailure(message: "mixin '\(URLRedaction.redact(m.uri))' must be a local file or an http(s) URL")
                }
            } catch let f as FetchFailure {
                throw VendorError.fetchFailed(component: item.source.component, source: URLRedaction.redact(m.uri), detail: f.message)
            } catch {
                throw VendorError.fetchFailed(component: item.source.component, source: URLRedaction.redact(m.uri), detail: "\(error)")
            }
            extra.append((m.filename, file))
            tree.files.removeAll { $0.path == m.filename }
            tree.files.append(VendorFile(path: m.filename, mode: 0o644, sha256: try PluginFileCheck.sha256(path: file, display: m.filename)))
        }
        tree.files.sort { $0.path < $1.path }
        let current: VendorTree
        do { current = try VendorTree.read(item.target, ignoring: ignoring) } catch {
            current = VendorTree(files: [])
        }
        let changes = tree.changes(from: current)
        let entry = VendorLockFile.Entry(component: item.source.component, kind: item.location.kind, source: item.shownURI,
                                         resolved: resolved ?? tree.digest, includedPaths: item.source.includedPaths,
                                         excludedPaths: item.source.excludedPaths, digest: tree.digest, files: tree.lockFiles)
        if mode == .diff { return (.differs(added: changes.added, removed: changes.removed, changed: changes.changed), nil) }
        if current.digest == tree.digest { return (.unchanged, entry) }
        var copied = tree
        copied.files.removeAll { f in extra.contains { $0.name == f.path } }
        do {
            try VendorInstaller.install(copied, from: root, to: item.target, keep: Array(ignoring), extra: extra)
        } catch {
            throw VendorError.writeFailed(component: item.source.component, target: item.targetKey, reason: "\(error)")
        }
        return (.pulled(added: changes.added.count, removed: changes.removed.count, changed: changes.changed.count), entry)
    }
}

/// `kit vendor verify`: compares every locked target with the lock file.
public enum VendorVerifier {
    /// One difference between a target and its lock entry.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var target: String
        public var message: String
        public var description: String { "\(target): \(message)" }
    }

    /// Problems of `items`' targets against `lock` (every locked target when `items` is nil).
    public static func verify(lock: VendorLockFile, items: [VendorItem], basePath: String) -> [Problem] {
        var problems: [Problem] = []
        for item in items {
            guard let e = lock.targets[item.targetKey] else {
                problems.append(Problem(target: item.targetKey, message: "not in \(VendorLockFile.fileName) — run 'kit vendor pull'"))
                continue
            }
            if e.source != item.shownURI || e.includedPaths != item.source.includedPaths || e.excludedPaths != item.source.excludedPaths {
                problems.append(Problem(target: item.targetKey, message: "the manifest changed since the pull (locked source '\(e.source)') — run 'kit vendor pull'"))
            }
            let tree: VendorTree
            do { tree = try VendorTree.read(item.target, ignoring: item.source.isComponentManifest ? ["component.yaml"] : []) } catch {
                problems.append(Problem(target: item.targetKey, message: "\(error)"))
                continue
            }
            let actual = tree.lockFiles
            for (path, hash) in e.files.sorted(by: { $0.key < $1.key }) {
                if let a = actual[path] {
                    if a != hash { problems.append(Problem(target: item.targetKey, message: "'\(path)' was modified")) }
                } else {
                    problems.append(Problem(target: item.targetKey, message: "'\(path)' is missing"))
                }
            }
            for path in actual.keys.sorted() where e.files[path] == nil {
                problems.append(Problem(target: item.targetKey, message: "'\(path)' is not from the source"))
            }
        }
        return problems
    }
}
