import KitPluginSDK
import KitModel
import KitStacks

/// The inputs terraform got at a component's last successful `apply`/`deploy`, kept in the pair's own
/// directory (`.kit/terraform/<stack>/<component>/applied-inputs.json`, 0600: the values can be
/// secret). A destroy needs the inputs the component was applied with, not fresh outputs of
/// components that may already be gone: when a reference cannot be read, `ComponentPipeline.prepare`
/// uses these for a destroy and says so (issue 20 §6).
public struct AppliedInputs: Sendable {
    public let config: KitConfig

    public init(config: KitConfig) { self.config = config }

    /// Where the inputs of `c` are kept.
    public func path(of c: ResolvedComponent) -> String {
        Paths.dirname(WorkingFiles(component: c, config: config).dataDirectory) + "/applied-inputs.json"
    }

    /// The document written after a successful apply: the vars as terraform got them, except those
    /// holding a `!secret` value (read afresh from their store when a destroy needs them).
    public static func document(_ c: ResolvedComponent) -> String {
        let secret = c.secretVars
        return JSONWriter.pretty(.map(["vars": .map(secret.isEmpty ? c.vars : c.vars.filter { !secret.contains($0.key) })]))
    }

    /// The recorded vars of `c`, or nil when none were recorded (or the file is not kit's document).
    public func vars(of c: ResolvedComponent, fileSystem: FileSystem = LocalFileSystem()) -> [String: Value]? {
        guard let bytes = try? fileSystem.readRegularFile(path(of: c), limit: 64 << 20),
              let doc = try? YAMLParser.parse(String(decoding: bytes, as: UTF8.self)).value,
              case .map(let top) = doc, case .map(let vars)? = top["vars"] else { return nil }
        return vars
    }
}
