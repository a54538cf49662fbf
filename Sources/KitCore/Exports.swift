// KitCore re-exports the layers below it: a command that imports KitCore sees values, YAML, located
// errors, stacks and resolved components without a second import.
@_exported import KitModel
@_exported import KitStacks
