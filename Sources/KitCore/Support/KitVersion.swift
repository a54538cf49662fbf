import CKitPlugin
import KitPluginSDK

/// What `kit version` prints: kit's own version, the plugin ABI it speaks, and the Swift it was built with.
public enum KitVersion {
    /// kit's semantic version.
    public static let kit = "0.9.0"
    /// The plugin ABI as `major.minor`.
    public static let pluginABI = "\(KIT_PLUGIN_ABI_MAJOR).\(KIT_PLUGIN_ABI_MINOR)"
    /// The Swift compiler version (`major.minor`).
    public static let swift = SwiftToolchain.version

    /// One line per fact, as `kit version` prints them.
    public static var text: String {
        "kit \(kit)\nplugin ABI \(pluginABI)\nSwift \(swift)\n"
    }
}
