// KitCore re-exports the layers below it (KitModel → KitStacks → KitTerraform): a command that
// imports KitCore sees values, stacks, resolved components and the terraform runner without more imports.
@_exported import KitModel
@_exported import KitStacks
@_exported import KitTerraform
