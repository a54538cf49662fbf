import KitModel

extension ConfigLoader {
    /// The configuration files in merge order (atmos.d/ defaults, then each file with its `import:`s)
    /// and their merged content, unchecked: what `load` validates, and what commands that need only a
    /// raw section (atmos custom commands) read when the rest of the configuration is incomplete.
    public func mergedFiles(_ overrides: ConfigOverrides = ConfigOverrides()) throws -> (configFiles: [String], defaults: [String], root: [String: Value]) {
        let files = try discover(overrides)
        var raw: [String: Value] = [:]
        let imports = ConfigImports(fileSystem: fileSystem)
        var defaults: [String] = []
        for file in files {
            // atmos.d/ and .atmos.d/ under it, then the file with its `import:` files (ConfigImports.swift).
            let folderFiles = try imports.defaultImportFiles(Paths.dirname(file))
            for d in folderFiles { DeepMerge.mergeMap(&raw, try imports.read(d), .replace) }
            defaults += folderFiles
            DeepMerge.mergeMap(&raw, try imports.read(file), .replace)
        }
        return (files, defaults, raw)
    }
}
