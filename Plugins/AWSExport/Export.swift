import KitAWS
import KitPluginSDK

/// The plugin's C entry point: the `kit_plugin_v1` table for `AWSPlugin`.
@_cdecl("kit_plugin_v1") public func kitPluginV1() -> UnsafeRawPointer { KitPluginExport.table(for: AWSPlugin.self) }
