import CKitPlugin
import KitPluginSDK

/// What this kit binary was built with and speaks: the Swift toolchain, the plugin ABI and the
/// KitPluginSDK version. `kit plugin version` prints it; a `kit version` command can print `text` too.
public enum BuildInfo {
    /// The Swift compiler `major.minor` kit was built with, e.g. `6.3` (Swift plugins that share
    /// kit's runtime must match it).
    public static var swiftVersion: String { SwiftToolchain.version }
    /// The plugin ABI kit speaks, `major.minor`, e.g. `1.0`.
    public static var pluginABI: String { "\(KIT_PLUGIN_ABI_MAJOR).\(KIT_PLUGIN_ABI_MINOR)" }
    /// The KitPluginSDK version built into kit (a plugin package depends on `from: "<this>"`).
    public static var sdkVersion: String { KitPluginSDKInfo.version }

    /// Three lines: `swift 6.3`, `plugin abi 1.1`, `plugin sdk 1.0.0`.
    public static var text: String {
        "swift \(swiftVersion)\nplugin abi \(pluginABI)\nplugin sdk \(sdkVersion)\n"
    }

    /// The same as JSON (sorted keys).
    public static var json: JSONValue {
        .object(["swift_version": .string(swiftVersion), "plugin_abi": .string(pluginABI), "plugin_sdk_version": .string(sdkVersion)])
    }
}
