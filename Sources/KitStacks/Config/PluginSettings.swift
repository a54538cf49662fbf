import KitModel
/// The `plugins:` block of kit.yaml: where to look, which files to trust, how to run them.
///
/// ```yaml
/// plugins:
///   paths: [plugins, /opt/kit/plugins]   # searched first, relative to the repository base path
///   pins: {aws: "3b1f…"}                 # sha256 of the plugin file, by plugin name (a string)
///   isolated: auto                       # auto (default), true or false
///   timeout: 120                         # seconds one plugin call may take
///   spin_us: 100                         # isolated calls: µs to poll for an answer before sleeping
/// ```
public struct PluginSettings: Sendable, Equatable {
    /// Extra directories to search, in order, before the built-in places.
    public var paths: [String]
    /// Plugin name → lowercase sha256 hex of the file that must provide it.
    public var pins: [String: String]
    /// Which plugins run in a `kit-plugin-host` process.
    public var isolation: PluginIsolation
    /// The longest one call into a plugin may take, in seconds (nil: no limit).
    public var timeout: Double?

    /// How long kit and the host poll the channel before sleeping, when they run on different
    /// CPUs, in microseconds (0: never poll).
    ///
    /// A sleeping CPU that must be woken for every request and every answer costs each isolated
    /// call 30–100 µs on a virtual machine; polling briefly keeps both CPUs awake through a burst of
    /// calls. Neither side polls while the two share a CPU (that would only delay the other).
    public var spinMicroseconds: Int

    /// The default for `plugins.timeout`: generous, so only a hung plugin reaches it.
    public static let defaultTimeout: Double = 120
    /// The default for `plugins.spin_us`.
    public static let defaultSpinMicroseconds = 100
    /// The largest `plugins.spin_us` kit accepts.
    public static let maximumSpinMicroseconds = 10_000

    /// True when every plugin runs isolated; setting it chooses `.always` or `.never`.
    public var isolated: Bool {
        get { isolation == .always }
        set { isolation = newValue ? .always : .never }
    }

    /// Creates settings; the defaults search only the built-in places with no pins, isolate every
    /// plugin that is not first-party (`isolated: nil`), and give each call `defaultTimeout` seconds.
    public init(paths: [String] = [], pins: [String: String] = [:], isolated: Bool? = nil,
                timeout: Double? = PluginSettings.defaultTimeout,
                spinMicroseconds: Int = PluginSettings.defaultSpinMicroseconds) {
        self.paths = paths
        self.pins = pins
        self.isolation = isolated.map { $0 ? .always : .never } ?? .auto
        self.timeout = timeout
        self.spinMicroseconds = spinMicroseconds
    }
}

/// Where plugins run (`plugins.isolated` in kit.yaml).
public enum PluginIsolation: String, Sendable, Equatable {
    /// First-party plugins shipped with kit (`libKitAWS.so`, `libKitAzure.so` beside the kit binary
    /// or in `<prefix>/lib/kit/plugins`) run in kit's process; every other plugin runs isolated.
    case auto
    /// Every plugin runs in its own `kit-plugin-host` process (`isolated: true`).
    case always
    /// Every plugin runs in kit's process (`isolated: false`).
    case never
}
