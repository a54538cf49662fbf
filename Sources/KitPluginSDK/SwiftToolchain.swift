/// The Swift compiler version this code was built with, as `major.minor`.
///
/// Plugins put it in the table's `swift_version`; kit compares it with its own (the same constant)
/// to refuse a plugin that shares kit's Swift runtime but was built by another Swift minor version.
public enum SwiftToolchain {
    /// `major.minor` of the compiler, e.g. `6.3`.
    public static let version: String = {
        #if compiler(>=7.0)
        return "7.0"
        #elseif compiler(>=6.5)
        return "6.5"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()

    /// `major.minor` of a version string such as `6.3.1` (the first two components).
    public static func majorMinor(_ version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }
}

/// Facts about this SDK.
public enum KitPluginSDKInfo {
    /// The SDK's semantic version: its major is the plugin ABI major, its minor the ABI minor it speaks.
    public static let version = "1.1.0"
}
