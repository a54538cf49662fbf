// The plugin runtime (KitPluginRuntime) is part of what KitCore offers its clients.
@_exported import KitPluginRuntime
import KitModel
import KitStacks
