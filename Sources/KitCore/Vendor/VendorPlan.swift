import Foundation
import KitModel
import KitStacks
import KitTerraform

/// One target to fill: a source entry with its templates rendered for that target.
public struct VendorItem: Sendable {
    /// The manifest entry.
    public var source: VendorSource
    /// The rendered URI (may hold userinfo: never shown; see `shownURI`).
    public var uri: String
    /// The URI as people see it (userinfo removed).
    public var shownURI: String { URLRedaction.redact(uri) }
    public var location: VendorLocation
    /// Absolute target folder, and the same relative to the repository root (the lock key).
    public var target: String
    public var targetKey: String
    /// Mixins with rendered URIs.
    public var mixins: [VendorMixin]

    /// The fetch this item shares with others from the same repository and ref (or archive).
    var fetchKey: String {
        switch location {
        case .git(let repo, let ref, _): return "git \(repo) \(ref ?? "")"
        case .archive(let url, _, _): return "archive \(url)"
        default: return "item \(targetKey)"
        }
    }
}

/// The selection of `kit vendor pull|diff|verify`: which manifest entries, which of them.
public struct VendorSelection: Sendable {
    /// `--component`: only this component.
    public var component: String?
    /// `--tags`: only entries with one of these tags.
    public var tags: [String] = []
    /// `--type`: `terraform` (the default) or `helmfile` for component.yaml lookup; kept for atmos's flags.
    public var componentType: String = "terraform"
    /// `--stack` / `--labels`: the component folders those select; each is vendored from its vendor.yaml
    /// entry or its component.yaml, and one with neither is left out (`skipped`).
    public var components: [String]?

    public init(component: String? = nil, tags: [String] = [], componentType: String = "terraform") {
        self.component = component
        self.tags = tags
        self.componentType = componentType
    }
}

/// Turns manifests into `VendorItem`s: finds vendor.yaml (or component.yaml), filters by the selection,
/// renders `{{ .Component }}` and `{{ .Version }}` with kit's Go template engine, and refuses a target
/// outside the repository.
public struct VendorPlanner: Sendable {
    public var basePath: String
    /// `vendor.base_path` (absolute): a vendor.yaml file or a folder of them.
    public var manifestPath: String
    /// `components.terraform.base_path` (absolute), where component.yaml files live.
    public var componentsPath: String
    public var templates: TemplateRendering

    public init(basePath: String, manifestPath: String, componentsPath: String, templates: TemplateRendering) {
        self.basePath = basePath
        self.manifestPath = manifestPath
        self.componentsPath = componentsPath
        self.templates = templates
    }

    /// The items the selection names.
    public func items(_ selection: VendorSelection) throws -> [VendorItem] {
        try plan(selection).items
    }

    /// The items, and the `components` of the selection that have no vendor source.
    public func plan(_ selection: VendorSelection) throws -> (items: [VendorItem], skipped: [String]) {
        let reader = VendorManifestReader(basePath: basePath)
        var sources = try reader.sources(vendorManifest: manifestPath)
        let hasManifest = FileManager.default.fileExists(atPath: manifestPath)
        var skipped: [String] = []
        if let chosen = selection.components {
            var picked: [VendorSource] = []
            for c in chosen {
                let named = sources.filter { $0.component == c }
                if !named.isEmpty { picked += named; continue }
                if let own = try reader.componentManifest(componentDirectory: Paths.join(componentsPath, c), component: c) {
                    picked.append(own)
                } else {
                    skipped.append(c)
                }
            }
            sources = picked
        } else if let c = selection.component {
            let named = sources.filter { $0.component == c }
            if named.isEmpty {
                let dir = Paths.join(componentsPath, c)
                if let own = try reader.componentManifest(componentDirectory: dir, component: c) {
                    sources = [own]
                } else if hasManifest {
                    let names = Set(sources.map(\.component))
                    throw VendorError.unknownComponent(c, manifest: Paths.relative(manifestPath, to: basePath),
                                                       suggestion: names.min { Self.distance($0, c) < Self.distance($1, c) }.flatMap { Self.distance($0, c) <= 3 ? $0 : nil })
                } else {
                    throw VendorError.noManifest(searched: [Paths.relative(manifestPath, to: basePath), Paths.relative(Paths.join(dir, "component.yaml"), to: basePath)])
                }
            } else {
                sources = named
            }
        } else if !hasManifest {
            throw VendorError.noManifest(searched: [Paths.relative(manifestPath, to: basePath)])
        }
        if !selection.tags.isEmpty { sources = sources.filter { !Set($0.tags).isDisjoint(with: selection.tags) } }
        var out: [VendorItem] = []
        for s in sources {
            for t in s.targets {
                let version = t.version ?? s.version
                let data = Value.map(["Component": .string(s.component), "Version": .string(version)])
                let uri = try render(s.uri, data, s.location)
                let targetPath = s.isComponentManifest ? t.path : Paths.join(s.baseDirectory, try render(t.path, data, s.location))
                guard targetPath == basePath || targetPath.hasPrefix(basePath + "/") else {
                    throw VendorError.manifest(s.location, message: "target \(UserText.quoted(t.path)) of component \(UserText.quoted(s.component)) is outside the repository — use a path below \(UserText.quoted(basePath))")
                }
                let mixins = try s.mixins.map { m -> VendorMixin in
                    var m = m
                    m.uri = try render(m.uri, .map(["Component": .string(s.component), "Version": .string(m.version)]), s.location)
                    guard !m.filename.hasPrefix("/"), !m.filename.split(separator: "/").contains("..") else {
                        throw VendorError.manifest(s.location, message: "mixin filename \(UserText.quoted(m.filename)) must stay inside the component folder")
                    }
                    return m
                }
                let location = VendorLocation.parse(uri, baseDirectory: s.baseDirectory)
                switch location {
                case .oci:
                    throw VendorError.unsupportedSource(s.location, component: s.component, kind: "OCI", hint: "pull the artifact with oras and use a local path source")
                default: break
                }
                out.append(VendorItem(source: s, uri: uri, location: location, target: targetPath,
                                      targetKey: Paths.relative(targetPath, to: basePath), mixins: mixins))
            }
        }
        return (out, skipped)
    }

    func render(_ text: String, _ data: Value, _ loc: SourceLocation) throws -> String {
        guard text.contains("{{") else { return text }
        do { return try templates.render(text, name: loc.description, data: data, ignoreMissing: false) } catch {
            throw VendorError.manifest(loc, message: "template \(UserText.quoted(text)): \(error)")
        }
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]; row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}
