// The plugin runtime (KitPluginRuntime) is part of what this layer offers its clients.
@_exported import KitPluginRuntime
import KitModel
import KitStacks
