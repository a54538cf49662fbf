import Foundation
import KitModel
import KitStacks
import KitTerraform

/// `vendor.lock.json` at the repository root: for every vendored target, the source it came from,
/// what that source resolved to (a commit, or the archive's sha256) and the sha256 of every file kit
/// wrote, so that `kit vendor verify` can tell a hand-edited or partial tree from the pulled one and a
/// second pull can skip an unchanged source without fetching it. atmos keeps no such lock.
///
/// Wire format (JSON, sorted keys, trailing newline):
/// `{"version": 1, "targets": {"<target, relative to the root>": {"component": "…", "kind": "git|local|http",
/// "source": "<rendered URI, userinfo removed>", "resolved": "<commit or sha256:…>", "included_paths": […],
/// "excluded_paths": […], "digest": "sha256:…", "files": {"<path>": "<sha256 or link:target>"}}}}`.
public struct VendorLockFile: Equatable, Sendable {
    /// One vendored target.
    public struct Entry: Equatable, Sendable {
        public var component: String
        public var kind: String
        public var source: String
        public var resolved: String
        public var includedPaths: [String]
        public var excludedPaths: [String]
        public var digest: String
        public var files: [String: String]
    }

    /// Entries by target path (relative to the repository root).
    public var targets: [String: Entry]

    public static let fileName = "vendor.lock.json"

    public init(targets: [String: Entry] = [:]) { self.targets = targets }

    /// Reads the lock file at `path`; an absent file is an empty lock.
    public static func read(_ path: String) throws -> VendorLockFile {
        guard FileManager.default.fileExists(atPath: path) else { return VendorLockFile() }
        let doc: Value
        do {
            let bytes = try LocalFileSystem().readRegularFile(path, limit: 64 << 20)
            doc = try YAMLParser.parse(String(decoding: bytes, as: UTF8.self)).value
        } catch { throw VendorError.lockUnreadable(path: path, reason: "\(error)") }
        guard doc["version"] == .int(1), let targets = doc["targets"]?.mapValue else {
            throw VendorError.lockUnreadable(path: path, reason: "not a version 1 kit vendor lock")
        }
        var out: [String: Entry] = [:]
        for (target, v) in targets {
            func s(_ k: String) -> String { v[k]?.stringValue ?? "" }
            func l(_ k: String) -> [String] { v[k]?.listValue?.compactMap(\.stringValue) ?? [] }
            var files: [String: String] = [:]
            for (p, h) in v["files"]?.mapValue ?? [:] { files[p] = h.stringValue ?? "" }
            out[target] = Entry(component: s("component"), kind: s("kind"), source: s("source"), resolved: s("resolved"),
                                includedPaths: l("included_paths"), excludedPaths: l("excluded_paths"), digest: s("digest"), files: files)
        }
        return VendorLockFile(targets: out)
    }

    /// The document, deterministic: sorted keys, trailing newline.
    public var text: String {
        var targets: [String: Value] = [:]
        for (t, e) in self.targets {
            targets[t] = .map([
                "component": .string(e.component), "kind": .string(e.kind), "source": .string(e.source),
                "resolved": .string(e.resolved), "included_paths": .list(e.includedPaths.map(Value.string)),
                "excluded_paths": .list(e.excludedPaths.map(Value.string)), "digest": .string(e.digest),
                "files": .map(e.files.mapValues(Value.string)),
            ])
        }
        return JSONWriter.pretty(.map(["version": .int(1), "targets": .map(targets)]))
    }

    /// Writes the lock atomically (mode 0644: it holds no secret — sources are stored without userinfo).
    public func write(to path: String) throws {
        try AtomicFile.write(text, to: path, mode: 0o644)
    }
}

extension VendorTree {
    /// The tree as the lock file records it (path → hash).
    public var lockFiles: [String: String] {
        Dictionary(files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
    }
}
