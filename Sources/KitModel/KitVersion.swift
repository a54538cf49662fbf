import CKitPlugin
import KitPluginSDK

/// What `kit version` prints: kit's own version, the plugin ABI it speaks, and the Swift it was built with.
public enum KitVersion {
    /// kit's semantic version: one version line with the plugin SDK (`KitPluginSDKInfo.version`).
    ///
    /// A kit release is tagged with this version in kit's repository, which also holds the SDK, so a
    /// plugin that depends on the SDK at tag `1.1.x` is built for the plugin ABI that kit `1.1.x`
    /// speaks: the major is the ABI major, the minor the ABI minor, the patch the release within it.
    public static let kit = KitPluginSDKInfo.version
    /// The plugin ABI as `major.minor`.
    public static let pluginABI = "\(KIT_PLUGIN_ABI_MAJOR).\(KIT_PLUGIN_ABI_MINOR)"
    /// The Swift compiler version (`major.minor`).
    public static let swift = SwiftToolchain.version

    /// One line per fact, as `kit version` prints them.
    public static var text: String {
        "kit \(kit)\nplugin ABI \(pluginABI)\nSwift \(swift)\n"
    }
}
