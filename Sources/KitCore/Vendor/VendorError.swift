import KitModel
import KitStacks
import KitTerraform
/// Errors from reading vendor manifests and pulling, diffing and verifying vendored files. Messages are
/// lowercase, quote user values in single quotes, never show a URL's userinfo, and end with what to do.
public enum VendorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A vendor.yaml / component.yaml problem at a place in the file.
    case manifest(SourceLocation, message: String)
    /// No vendor.yaml and no component.yaml to read.
    case noManifest(searched: [String])
    /// `--component` named a component no manifest declares.
    case unknownComponent(String, manifest: String, suggestion: String?)
    /// A source kind kit does not pull (OCI, S3 without the plugin).
    case unsupportedSource(SourceLocation, component: String, kind: String, hint: String)
    /// Fetching a source failed (git, download, copy); `detail` is already redacted.
    case fetchFailed(component: String, source: String, detail: String)
    /// A file in the fetched tree would land outside the target, or an archive is too large.
    case unsafeContent(component: String, source: String, detail: String)
    /// Writing the target failed; the previous files are left in place.
    case writeFailed(component: String, target: String, reason: String)
    /// The lock file cannot be read.
    case lockUnreadable(path: String, reason: String)

    public var description: String { (place.map { "\(UserText.escaped($0)): " } ?? "") + message }

    /// The manifest position or file the text starts with; nil when it names none.
    public var place: String? {
        switch self {
        case .manifest(let loc, _), .unsupportedSource(let loc, _, _, _): return loc.description
        case .unknownComponent(_, let manifest, _): return manifest
        case .lockUnreadable(let p, _): return p
        case .noManifest, .fetchFailed, .unsafeContent, .writeFailed: return nil
        }
    }

    /// The text after the place.
    public var message: String {
        switch self {
        case .manifest(_, let m):
            return m
        case .noManifest(let searched):
            return "no vendor manifest found (looked for \(searched.map { UserText.quoted($0) }.joined(separator: ", "))) — create vendor.yaml, set 'vendor.base_path' in the configuration, or add component.yaml to the component"
        case .unknownComponent(let c, _, let suggestion):
            let hint = suggestion.map { " — did you mean '\($0)'?" } ?? " — add it to the manifest's spec.sources, or add component.yaml to the component's folder"
            return "no vendored component \(UserText.quoted(c))\(hint)"
        case .unsupportedSource(_, let c, let kind, let hint):
            return "component \(UserText.quoted(c)): \(kind) sources are not supported by kit — \(hint)"
        case .fetchFailed(let c, let s, let d):
            return "component \(UserText.quoted(c)): cannot fetch \(UserText.quoted(s)): \(UserText.line(d)) — the previous files are left in place"
        case .unsafeContent(let c, let s, let d):
            return "component \(UserText.quoted(c)): refused \(UserText.quoted(s)): \(UserText.line(d)) — the previous files are left in place"
        case .writeFailed(let c, let t, let r):
            return "component \(UserText.quoted(c)): cannot write \(UserText.quoted(t)): \(r) — the previous files are left in place"
        case .lockUnreadable(_, let r):
            return "cannot read the vendor lock file: \(UserText.line(r)) — run 'kit vendor pull' to write it again"
        }
    }
}
