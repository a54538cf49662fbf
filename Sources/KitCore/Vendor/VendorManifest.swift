import Foundation
import KitModel
import KitStacks
import KitTerraform

/// One `spec.sources` entry of vendor.yaml, or the `spec.source` of a component.yaml, before templates.
public struct VendorSource: Sendable, Equatable {
    /// `component:` (for component.yaml, the component's folder name).
    public var component: String
    /// `source:` (vendor.yaml) or `uri:` (component.yaml), possibly with `{{ .Component }}`/`{{ .Version }}`.
    public var uri: String
    /// `version:`.
    public var version: String
    /// `targets:` — paths (templates) relative to the manifest's folder, each with an optional own version.
    public var targets: [(path: String, version: String?)]
    /// `included_paths:` globs (relative to the source root); empty means everything.
    public var includedPaths: [String]
    /// `excluded_paths:` globs.
    public var excludedPaths: [String]
    /// `tags:`.
    public var tags: [String]
    /// component.yaml `spec.mixins`: extra files fetched into the target.
    public var mixins: [VendorMixin]
    /// The manifest this entry came from (absolute) and where the entry starts.
    public var location: SourceLocation
    /// The folder relative paths are taken from (the manifest's folder).
    public var baseDirectory: String
    /// True for a component.yaml (its target is the component's folder, which keeps component.yaml).
    public var isComponentManifest: Bool

    public static func == (a: VendorSource, b: VendorSource) -> Bool {
        a.component == b.component && a.uri == b.uri && a.version == b.version && a.location == b.location
            && a.targets.map(\.path) == b.targets.map(\.path) && a.targets.map(\.version) == b.targets.map(\.version)
    }
}

/// A component.yaml `spec.mixins` entry: one file (`uri`) written as `filename` in the target.
public struct VendorMixin: Sendable, Equatable {
    public var uri: String
    public var version: String
    public var filename: String
}

/// Reads atmos vendor manifests: `vendor.yaml` (`kind: AtmosVendorConfig`, with `spec.imports` globs)
/// and `component.yaml` (`kind: ComponentVendorConfig`). Every problem names file:line:column.
public struct VendorManifestReader: Sendable {
    /// The repository root; `spec.imports` are relative to it, as in atmos.
    public var basePath: String

    public init(basePath: String) { self.basePath = basePath }

    /// The sources of `path` (a vendor.yaml file, or a folder whose *.yaml files are read in name order)
    /// and of everything it imports, each manifest once.
    public func sources(vendorManifest path: String) throws -> [VendorSource] {
        var seen: Set<String> = []
        var out: [VendorSource] = []
        // Targets and local sources of imported manifests too are relative to the top manifest's folder, as in atmos.
        var isDir: ObjCBool = false
        let root = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? path : Paths.dirname(path)
        for file in try manifestFiles(path) { try read(file, importedFrom: nil, root: root, seen: &seen, into: &out) }
        var first: [String: VendorSource] = [:]
        for s in out {
            if let earlier = first[s.component], earlier.targets.map(\.path) == s.targets.map(\.path) {
                throw VendorError.manifest(s.location, message: "component \(UserText.quoted(s.component)) is declared twice (also at \(Paths.relative(earlier.location.description, to: basePath))) — keep one entry")
            }
            first[s.component] = first[s.component] ?? s
        }
        return out
    }

    func manifestFiles(_ path: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return [] }
        guard isDir.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { Paths.join(path, $0) }
    }

    func parse(_ file: String) throws -> (Value, [String: Mark]) {
        let text: String
        do { text = String(decoding: try LocalFileSystem().readRegularFile(file, limit: 4 << 20), as: UTF8.self) } catch {
            throw VendorError.manifest(SourceLocation(file: shown(file)), message: "cannot read the manifest: \(error)")
        }
        do { return try YAMLParser.parse(text, recordMarks: true) } catch let f as YAMLParser.Failure {
            throw VendorError.manifest(SourceLocation(file: shown(file), mark: f.mark), message: "malformed YAML: \(f.message)")
        }
    }

    func shown(_ file: String) -> String { Paths.relative(file, to: basePath) }

    func read(_ file: String, importedFrom: SourceLocation?, root: String, seen: inout Set<String>, into out: inout [VendorSource]) throws {
        guard seen.insert(file).inserted else { return }
        guard FileManager.default.fileExists(atPath: file) else {
            throw VendorError.manifest(importedFrom ?? SourceLocation(file: shown(file)),
                                       message: "vendor manifest \(UserText.quoted(shown(file))) not found — fix the import path")
        }
        let (doc, marks) = try parse(file)
        func at(_ path: [String]) -> SourceLocation { SourceLocation(file: shown(file), mark: marks[ValuePath.key(path)] ?? marks[""]) }
        try checkKind(doc, expected: "AtmosVendorConfig", at: at)
        let spec = doc["spec"]?.mapValue ?? [:]
        for (i, entry) in (spec["imports"]?.listValue ?? []).enumerated() {
            guard let pattern = entry.stringValue, !pattern.isEmpty else {
                throw VendorError.manifest(at(["spec", "imports", String(i)]), message: "an import must be a path or glob string")
            }
            let resolved = try expandImport(pattern, at: at(["spec", "imports", String(i)]))
            for f in resolved { try read(f, importedFrom: at(["spec", "imports", String(i)]), root: root, seen: &seen, into: &out) }
        }
        guard let sources = spec["sources"] else { return }
        guard let list = sources.listValue else {
            throw VendorError.manifest(at(["spec", "sources"]), message: "'spec.sources' must be a list")
        }
        for (i, entry) in list.enumerated() {
            let path = ["spec", "sources", String(i)]
            guard let m = entry.mapValue else { throw VendorError.manifest(at(path), message: "a source must be a map") }
            func string(_ key: String, required: Bool = false) throws -> String {
                guard let v = m[key], !v.isNull else {
                    if required { throw VendorError.manifest(at(path), message: "source \(i + 1) has no '\(key)' — add it") }
                    return ""
                }
                switch v {
                case .string(let s): return s
                case .int, .double, .bool: return v.interpolated
                default: throw VendorError.manifest(at(path + [key]), message: "'\(key)' must be a string, found a \(v.typeName)")
                }
            }
            let uri = try string("source", required: true)
            let component = try string("component")
            let targetsValue = m["targets"]?.listValue ?? []
            if targetsValue.isEmpty { throw VendorError.manifest(at(path), message: "source \(UserText.quoted(component.isEmpty ? uri : component)) has no 'targets' — add at least one target folder") }
            var targets: [(String, String?)] = []
            for (j, t) in targetsValue.enumerated() {
                if let s = t.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty { targets.append((s.trimmingCharacters(in: .whitespaces), nil)); continue }
                if let tm = t.mapValue, let p = tm["path"]?.stringValue, !p.isEmpty { targets.append((p, tm["version"]?.stringValue)); continue }
                throw VendorError.manifest(at(path + ["targets", String(j)]), message: "a target must be a path, or a map with 'path' (and 'version')")
            }
            out.append(VendorSource(component: component.isEmpty ? Paths.basename(targets[0].0) : component, uri: uri,
                                    version: try string("version"), targets: targets,
                                    includedPaths: try strings(m["included_paths"], at(path + ["included_paths"])),
                                    excludedPaths: try strings(m["excluded_paths"], at(path + ["excluded_paths"])),
                                    tags: try strings(m["tags"], at(path + ["tags"])), mixins: [], location: at(path),
                                    baseDirectory: root, isComponentManifest: false))
        }
    }

    /// Reads a component.yaml in `componentDirectory`; nil when there is none.
    public func componentManifest(componentDirectory: String, component: String) throws -> VendorSource? {
        let file = Paths.join(componentDirectory, "component.yaml")
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let (doc, marks) = try parse(file)
        func at(_ path: [String]) -> SourceLocation { SourceLocation(file: shown(file), mark: marks[ValuePath.key(path)] ?? marks[""]) }
        try checkKind(doc, expected: "ComponentVendorConfig", at: at)
        guard let source = doc.value(at: ["spec", "source"])?.mapValue else {
            throw VendorError.manifest(at(["spec"]), message: "'spec.source' must be a map with 'uri' — add it")
        }
        guard let uri = source["uri"]?.stringValue, !uri.isEmpty else {
            throw VendorError.manifest(at(["spec", "source"]), message: "'spec.source.uri' is required — add it")
        }
        var mixins: [VendorMixin] = []
        for (i, m) in (doc.value(at: ["spec", "mixins"])?.listValue ?? []).enumerated() {
            guard let u = m["uri"]?.stringValue, let f = m["filename"]?.stringValue, !u.isEmpty, !f.isEmpty else {
                throw VendorError.manifest(at(["spec", "mixins", String(i)]), message: "a mixin needs 'uri' and 'filename'")
            }
            mixins.append(VendorMixin(uri: u, version: m["version"]?.interpolated ?? "", filename: f))
        }
        return VendorSource(component: component, uri: uri, version: source["version"]?.interpolated ?? "",
                            targets: [(componentDirectory, nil)],
                            includedPaths: try strings(source["included_paths"], at(["spec", "source", "included_paths"])),
                            excludedPaths: try strings(source["excluded_paths"], at(["spec", "source", "excluded_paths"])),
                            tags: [], mixins: mixins, location: at(["spec", "source"]), baseDirectory: componentDirectory,
                            isComponentManifest: true)
    }

    func checkKind(_ doc: Value, expected: String, at: ([String]) -> SourceLocation) throws {
        guard doc.mapValue != nil else { throw VendorError.manifest(at([]), message: "a vendor manifest must be a map") }
        let kind = doc["kind"]?.stringValue ?? ""
        guard kind == expected else {
            throw VendorError.manifest(at(kind.isEmpty ? [] : ["kind"]), message: "'kind' is \(UserText.quoted(kind)), expected '\(expected)'")
        }
    }

    func strings(_ v: Value?, _ loc: SourceLocation) throws -> [String] {
        guard let v, !v.isNull else { return [] }
        guard let l = v.listValue else { throw VendorError.manifest(loc, message: "expected a list of strings, found a \(v.typeName)") }
        return try l.map {
            guard let s = $0.stringValue else { throw VendorError.manifest(loc, message: "expected a list of strings, found a \($0.typeName) item") }
            return s
        }
    }

    /// An import path or glob relative to the repository root (`.yaml` added when missing).
    func expandImport(_ pattern: String, at loc: SourceLocation) throws -> [String] {
        var p = pattern
        if !p.hasSuffix(".yaml") && !p.hasSuffix(".yml") && Glob.isLiteral(p) { p += ".yaml" }
        let absolute = Paths.join(basePath, p)
        if Glob.isLiteral(p) { return [absolute] }
        let root = Paths.join(basePath, Glob.literalPrefix(p))
        let glob = Glob(Paths.relative(absolute, to: root))
        let matches = LocalFileSystem().walk(root).filter { glob.matches($0) && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .sorted().map { Paths.join(root, $0) }
        return matches   // a glob may match nothing, as in atmos
    }
}
