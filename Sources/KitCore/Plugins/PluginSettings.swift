/// The `plugins:` block of kit.yaml: where to look, which files to trust, how to run them.
///
/// ```yaml
/// plugins:
///   paths: [plugins, /opt/kit/plugins]   # searched first, relative to the repository base path
///   pins: {aws: 3b1f…}                   # sha256 of the plugin file, by plugin name
///   isolated: false                      # true: run each plugin in a kit-plugin-host process
/// ```
public struct PluginSettings: Sendable, Equatable {
    /// Extra directories to search, in order, before the built-in places.
    public var paths: [String]
    /// Plugin name → lowercase sha256 hex of the file that must provide it.
    public var pins: [String: String]
    /// Run every plugin in its own `kit-plugin-host` process instead of in kit's.
    public var isolated: Bool

    /// Creates settings; the defaults search only the built-in places, in-process, with no pins.
    public init(paths: [String] = [], pins: [String: String] = [:], isolated: Bool = false) {
        self.paths = paths
        self.pins = pins
        self.isolated = isolated
    }
}
