import KitAzure
import KitPluginSDK

/// The plugin's C entry point: the `kit_plugin_v1` table for `AzurePlugin`.
@_cdecl("kit_plugin_v1") public func kitPluginV1() -> UnsafeRawPointer { KitPluginExport.table(for: AzurePlugin.self) }
