import KitModel
/// atmos.yaml's `import:` — a configuration split over files (issue 21), read as atmos reads it:
/// each entry is a file, a folder (its `.yaml`/`.yml` files, sorted) or a glob (`configs.d/**/*`),
/// relative to the importing file's `base_path` (resolved from its folder; its folder when unset); an
/// entry without an extension may leave out `.yaml`. Imports are merged in order, nested imports
/// first, and the importing file is merged last, so its own settings win (atmos's
/// `processConfigImportsAndReapply`).
///
/// Differences from atmos, which skips an import it cannot read with a debug log: an import that
/// matches no file, cannot be parsed, is remote (`https://`, `git::`, …), or forms a cycle is an error
/// naming the importing file; nesting is bounded (`maximumDepth`).
struct ConfigImports {
    let fileSystem: FileSystem
    static let maximumDepth = 10

    /// The file's settings with its imports merged under them.
    func read(_ file: String, chain: [String] = []) throws -> [String: Value] {
        if chain.contains(file) {
            throw ConfigError.invalidValue(key: "import", value: file, expected: "no import cycle (\((chain + [file]).joined(separator: " → ")))",
                                           source: chain.last ?? file)
        }
        if chain.count > Self.maximumDepth {
            throw ConfigError.invalidValue(key: "import", value: file, expected: "at most \(Self.maximumDepth) levels of nested imports",
                                           source: chain.last ?? file)
        }
        let own = try parse(file)
        guard let entries = own["import"], !entries.isNull else { return own }
        let list: [Value]
        switch entries {
        case .list(let l): list = l
        case .string: list = [entries]
        default: throw ConfigError.invalidType(key: "import", expected: "a list of paths", found: entries.typeName, source: file)
        }
        let dir = Paths.dirname(file)
        let declaredBase = own["base_path"]?.stringValue ?? ""
        let base = declaredBase.isEmpty ? dir : (declaredBase.hasPrefix("/") ? declaredBase : Paths.normalize(Paths.join(dir, declaredBase)))
        var merged: [String: Value] = [:]
        for entry in list {
            guard case .string(let path) = entry, !path.isEmpty else {
                throw ConfigError.invalidType(key: "import", expected: "a list of non-empty paths", found: entry.typeName, source: file)
            }
            for imported in try files(path, base: base, importer: file) {
                DeepMerge.mergeMap(&merged, try read(imported, chain: chain + [file]), .replace)
            }
        }
        DeepMerge.mergeMap(&merged, own, .replace)
        return merged
    }

    /// The parsed top-level map of one configuration file.
    func parse(_ file: String) throws -> [String: Value] {
        let bytes: [UInt8]
        do { bytes = try fileSystem.readRegularFile(file, limit: InputLimits.standard.maxManifestBytes) } catch {
            throw ConfigError.unreadable(file: file, reason: "\(error)")
        }
        do {
            let parsed = try bytes.withUnsafeBytes { try YAMLParser.parse(bytes: $0) }.value
            if case .map(let m) = parsed { return m }
            if parsed.isNull { return [:] }
            throw ConfigError.malformed(SourceLocation(file: file), message: "the top level must be a map")
        } catch let f as YAMLParser.Failure {
            throw ConfigError.malformed(SourceLocation(file: file, mark: f.mark), message: f.message)
        }
    }

    /// The files one `import` entry names, sorted.
    func files(_ entry: String, base: String, importer: String) throws -> [String] {
        if Paths.isRemoteAddress(entry) {
            throw ConfigError.invalidValue(key: "import", value: entry, expected: "a local file, folder or glob (kit does not read remote configuration imports)", source: importer)
        }
        let path = entry.hasPrefix("/") ? Paths.normalize(entry) : Paths.normalize(Paths.join(base, entry))
        let isYAML = { (p: String) in p.hasSuffix(".yaml") || p.hasSuffix(".yml") }
        if entry.contains("*") || entry.contains("?") || entry.contains("[") {
            // The folder before the first pattern segment, walked and matched.
            var root = path
            while root.contains("*") || root.contains("?") || root.contains("[") { root = Paths.dirname(root) }
            let pattern = Glob(Paths.relative(path, to: root))
            let all = fileSystem.isDirectory(root) ? try fileSystem.walk(root, options: WalkOptions(allowedRoots: [root], maxEntries: InputLimits.standard.maxFiles)) : []
            let found = all.filter { isYAML($0) && pattern.matches($0) }
            if found.isEmpty { throw missing(entry, importer) }
            return found.sorted().map { Paths.join(root, $0) }
        }
        if fileSystem.isDirectory(path) {
            let found = fileSystem.walk(path).filter { isYAML($0) && !$0.contains("/") }
            if found.isEmpty { throw missing(entry, importer) }
            return found.sorted().map { Paths.join(path, $0) }
        }
        if fileSystem.exists(path) { return [path] }
        for ext in [".yaml", ".yml"] where fileSystem.exists(path + ext) { return [path + ext] }
        throw missing(entry, importer)
    }

    /// atmos's default imports for a configuration in `dir`: every `.yaml`/`.yml` under `atmos.d/` and
    /// then `.atmos.d/` — of the git root first when it is another folder, then of `dir` — each folder's
    /// files ordered as atmos orders them (`atmos.yaml` first, then shallower before deeper, then by
    /// name). They are merged under the configuration file, so its own settings (and its `import:`)
    /// win (atmos's `mergeDefaultImports`).
    func defaultImportFiles(_ dir: String) throws -> [String] {
        var roots: [String] = []
        if let root = fileSystem.gitRoot(from: dir), root != dir { roots.append(root) }
        roots.append(dir)
        var out: [String] = []
        for root in roots {
            for name in ["atmos.d", ".atmos.d"] where fileSystem.isDirectory(root + "/" + name) {
                let folder = root + "/" + name
                let found = try fileSystem.walk(folder, options: WalkOptions(allowedRoots: [folder], maxEntries: InputLimits.standard.maxFiles))
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                out += Self.atmosOrder(found).map { folder + "/" + $0 }
            }
        }
        return out
    }

    /// atmos's order of the files of a configuration folder: `atmos.yaml`/`atmos.yml` first, then by
    /// depth, then by name.
    static func atmosOrder(_ relative: [String]) -> [String] {
        func key(_ p: String) -> (Int, Int, String) {
            let name = Paths.basename(p)
            return (name == "atmos.yaml" || name == "atmos.yml" ? 0 : 1, p.split(separator: "/").count, p)
        }
        return relative.sorted { key($0) < key($1) }
    }

    func missing(_ entry: String, _ importer: String) -> ConfigError {
        .invalidValue(key: "import", value: entry, expected: "a file, folder or glob that matches a .yaml or .yml file", source: importer)
    }
}
