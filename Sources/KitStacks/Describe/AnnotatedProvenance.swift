import KitModel
/// atmos's `describe component --provenance` view: the component's manifest-set sections as YAML, each
/// key line followed (at column 50) by where it was set —
///
///     vars:                                             # ○ [4] catalog/mock/defaults.yaml:8
///       region: us-east-1                               # ● [1] orgs/acme/dev/us-east-1.yaml:12
///
/// `[N]` is the import depth of that file (the stack file is 1, what it imports 2, …); `●` marks the
/// stack file itself, `○` an imported one, `∴` a value written as a YAML function or template (the
/// printed value is what it evaluated to). A leaf shows the layer in force; a map the first (lowest
/// priority) layer that defines it, at its first key's line, as atmos does; a list item its list's
/// layer in force at the item's line. `import` lists the stack's transitive imports, each with the
/// file and line of the `import:` entry that brought it in; the key itself takes its first entry's.
/// Sections: `import` and those of `sections` a manifest sets (`metadata` is not printed, as in atmos).
/// Values are the document's (masked as `describe component` masks them). Deterministic: no terminal
/// width, no colour.
public enum AnnotatedProvenance {
    /// The sections printed besides `import`, when a manifest sets them.
    public static let sections = ["vars", "settings", "env", "backend", "providers"]
    /// Where comments start (atmos's column without a terminal).
    static let column = 50

    public static let legend = """
        # Provenance Legend:
        #   ● [1] Defined in parent stack
        #   ○ [N] Inherited/imported (N=2+ levels deep)
        #   ∴ Computed/templated

        """

    /// Where one line's value was set.
    struct Origin: Equatable {
        var file: String
        var line: Int?
        var depth: Int
        var computed: Bool

        var comment: String {
            let symbol = computed ? "∴" : depth == 1 ? "●" : "○"
            return "# \(symbol) [\(depth)] " + (line.map { "\(file):\($0)" } ?? file)
        }
    }

    /// The annotated view of `c`; `document` is what `describe component` prints (masked).
    public static func render(_ c: ResolvedComponent, document: [String: Value], catalog: StackCatalog) throws -> String {
        let manifest = try catalog.merged(c.stackFile)
        let depths = importDepths(manifest.importSites, root: c.stackFile)
        let layers = Provenance.layers(c, catalog: catalog)
        var marks: [String: [String: Mark]] = [:]
        func mark(_ file: String, _ path: [String]) -> Int? {
            if marks[file] == nil { marks[file] = catalog.store.marks(file) }
            return marks[file]?[ValuePath.key(path)]?.line
        }

        var out = legend + "\n# Stack: \(stripExtension(c.stackFile))\n\n"
        var shown: [String: Value] = [:]
        for section in sections {
            if case .map(let m)? = document[section], !m.isEmpty, layers[section]?.isEmpty == false { shown[section] = .map(m) }
        }
        let imports = c.imports
        if !imports.isEmpty { shown["import"] = .list(imports.map(Value.string)) }

        for key in shown.keys.sorted() {
            if key == "import" {
                let origins = imports.map { id -> Origin? in
                    guard let site = manifest.importSites.first(where: { stripExtension($0.file) == id }) else { return nil }
                    return Origin(file: site.importer, line: mark(site.importer, ["import", String(site.position)]),
                                  depth: depths[site.importer] ?? 1, computed: false)
                }
                append(&out, "import:", origins.first ?? nil)
                for (id, origin) in zip(imports, origins) { append(&out, "  - " + YAMLWriter.scalar(.string(id)), origin) }
                continue
            }
            let sectionLayers = layers[key] ?? []
            let locate = Locator(layers: sectionLayers, depths: depths, mark: mark)
            emit(key: key, value: shown[key]!, path: [], indent: 0, locate: locate, into: &out)
        }
        return out + "\n"  // atmos ends the view with an empty line
    }

    /// Finds the origin of a path inside one section from its layers (lowest priority first).
    struct Locator {
        var layers: [SectionLayer]
        var depths: [String: Int]
        var mark: (String, [String]) -> Int?

        /// A map: the first layer that defines it, preferring the component's own and base sections over
        /// the stack-wide ones (atmos's choice). Anything else: the last (the one in force).
        func origin(_ path: [String], isMap: Bool, item: Int? = nil) -> Origin? {
            let candidates = layers.filter { $0.value.value(at: path) != nil }
            let chosen = isMap ? (candidates.first { $0.path.first == "components" } ?? candidates.first) : candidates.last
            guard let layer = chosen, let written = layer.value.value(at: path) else { return nil }
            let at = layer.path + path + (item.map { [String($0)] } ?? [])
            return Origin(file: layer.file, line: mark(layer.file, at) ?? mark(layer.file, layer.path + path),
                          depth: depths[layer.file] ?? 1, computed: item == nil && isComputed(written))
        }
    }

    /// One `key: value` entry (and, for maps and lists, what is under it).
    static func emit(key: String, value: Value, path: [String], indent: Int, locate: Locator, into out: inout String) {
        let keyText = String(repeating: " ", count: indent) + YAMLWriter.scalar(.string(key)) + ":"
        switch value {
        case .map(let m) where !m.isEmpty:
            append(&out, keyText, locate.origin(path, isMap: true))
            for k in m.keys.sorted() { emit(key: k, value: m[k]!, path: path + [k], indent: indent + 2, locate: locate, into: &out) }
        case .list(let l) where !l.isEmpty:
            append(&out, keyText, locate.origin(path, isMap: false))
            for (i, item) in l.enumerated() {
                var bytes: [UInt8] = []
                YAMLWriter.writeNested(.list([item]), indent: indent + 2, into: &bytes)
                let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                for (n, line) in lines.enumerated() where !(n == 0 && line.isEmpty) && !(n == lines.count - 1 && line.isEmpty) {
                    append(&out, String(line), n == 1 ? locate.origin(path, isMap: false, item: i) : nil)
                }
            }
        default:
            var bytes: [UInt8] = []
            YAMLWriter.writeNested(value, indent: indent, into: &bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            for (n, line) in lines.enumerated() {
                append(&out, n == 0 ? keyText + line : String(line), n == 0 ? locate.origin(path, isMap: false) : nil)
            }
        }
    }

    /// A line, padded to `column` and followed by its origin's comment (on the next line when long).
    static func append(_ out: inout String, _ line: String, _ origin: Origin?) {
        out += line
        if let origin {
            let width = line.unicodeScalars.count
            if width < column { out += String(repeating: " ", count: column - width) }
            else { out += "\n" + String(repeating: " ", count: column) }
            out += origin.comment
        }
        out += "\n"
    }

    /// The import depth of each file: the stack file is 1, a file it imports 2, …; a file reached by
    /// several routes takes the shortest.
    static func importDepths(_ sites: [ImportSite], root: String) -> [String: Int] {
        var children: [String: [String]] = [:]
        for s in sites { children[s.importer, default: []].append(s.file) }
        var depth = [root: 1]
        var queue = [root]
        var next = 0
        while next < queue.count {
            let file = queue[next]; next += 1
            for child in children[file] ?? [] where depth[child] == nil {
                depth[child] = depth[file]! + 1
                queue.append(child)
            }
        }
        return depth
    }

    /// A value written as a YAML function (`!env …`) or a template (`{{ … }}`): printed as evaluated.
    static func isComputed(_ v: Value) -> Bool {
        switch v {
        case .tagged(_, let inner): return isComputed(inner)
        case .string(let s):
            if s.utf8.first == UInt8(ascii: "!"), let tag = s.split(separator: " ", maxSplits: 1).first,
               YAMLParser.functionTags.contains(String(tag)) { return true }
            return s.contains("{{")
        default: return false
        }
    }
}
