// KitCore re-exports the model layer: a command that imports KitCore sees values, YAML and located
// errors without a second import.
@_exported import KitModel
