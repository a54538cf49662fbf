import KitModel
/// Where each value of a resolved component came from: for every leaf (`vars.tags.Owner`), the
/// layers that set it in merge order; the last one is the value in force, the others it overrode.
public struct ProvenanceEntry: Sendable, Equatable {
    /// The manifest, relative to the stacks directory.
    public var file: String
    /// The section inside that file, e.g. `components.terraform.vpc.vars` or `terraform.vars`.
    public var section: String
    /// Line and column of the value, when marks were read.
    public var mark: Mark?
    /// The value this layer set.
    public var value: Value
}

/// One manifest's value at one section path: `components.terraform.vpc.vars` in `catalog/vpc.yaml`.
public struct SectionLayer: Sendable, Equatable {
    /// The manifest, relative to the stacks directory.
    public var file: String
    /// Where in the manifest, e.g. `["components", "terraform", "vpc", "vars"]`.
    public var path: [String]
    /// The value written there.
    public var value: Value
}

public enum Provenance {
    /// Sections traced, in output order.
    public static let sections = ["vars", "settings", "env", "providers", "backend", "metadata"]

    /// Every manifest's value for each traced section of `c`, in precedence order (lowest first):
    /// the one walk over the stack's files that `compute`, `deps` and atmos's `sources` read.
    public static func layers(_ c: ResolvedComponent, catalog: StackCatalog) -> [String: [SectionLayer]] {
        var result: [String: [SectionLayer]] = [:]
        let bases = Array(c.inheritance.reversed())
        let own = c.name
        let type = c.componentType
        let docs: [(String, Value)] = c.layers.compactMap { layer in (try? catalog.store.manifest(layer)).map { (layer, $0) } }
        for section in sections {
            // The layers of this section in precedence order (reference §2.3, §8.1).
            var paths: [[String]] = []
            switch section {
            case "backend":
                paths = [[type, "backend", c.backendType]] + bases.map { ["components", type, $0, "backend", c.backendType] }
                    + [["components", type, own, "backend", c.backendType]]
            case "providers":
                paths = [[type, "providers"]] + bases.map { ["components", type, $0, "providers"] }
                    + [["components", type, own, "providers"], ["overrides", "providers"], [type, "overrides", "providers"]]
            case "metadata":
                paths = [["metadata"]] + bases.map { ["components", type, $0, "metadata"] } + [["components", type, own, "metadata"]]
            default:
                paths = [[section], [type, section]] + bases.map { ["components", type, $0, section] }
                    + [["components", type, own, section], ["overrides", section], [type, "overrides", section]]
            }
            var found: [SectionLayer] = []
            for path in paths {
                for (layer, doc) in docs {
                    if let v = doc.value(at: path) { found.append(SectionLayer(file: layer, path: path, value: v)) }
                }
            }
            if !found.isEmpty { result[section] = found }
        }
        return result
    }

    /// Leaf path (`vars.a.b`) → the layers that set it, lowest priority first.
    public static func compute(_ c: ResolvedComponent, catalog: StackCatalog, withMarks: Bool) -> [String: [ProvenanceEntry]] {
        compute(c, layers: layers(c, catalog: catalog), catalog: catalog, withMarks: withMarks)
    }

    /// The same, from layers already read.
    public static func compute(_ c: ResolvedComponent, layers: [String: [SectionLayer]], catalog: StackCatalog,
                               withMarks: Bool) -> [String: [ProvenanceEntry]] {
        var result: [String: [ProvenanceEntry]] = [:]
        var marksCache: [String: [String: Mark]] = [:]
        let final = ComponentDocument.sections(c)

        for section in sections {
            guard case .map(let finalSection)? = final[section], let found = layers[section] else { continue }
            var wanted: Set<String> = []
            collectLeaves(.map(finalSection), prefix: [section], into: &wanted)
            if wanted.isEmpty { continue }
            for layer in found {
                var leaves: [([String], Value)] = []
                enumerateLeaves(layer.value, prefix: [], into: &leaves)
                for (leafPath, leafValue) in leaves {
                    let key = ([section] + leafPath).joined(separator: ".")
                    guard wanted.contains(key) else { continue }
                    var mark: Mark?
                    if withMarks {
                        if marksCache[layer.file] == nil { marksCache[layer.file] = catalog.store.marks(layer.file) }
                        mark = marksCache[layer.file]?[ValuePath.key(layer.path + leafPath)]
                    }
                    result[key, default: []].append(ProvenanceEntry(file: layer.file, section: layer.path.joined(separator: "."), mark: mark, value: leafValue))
                }
            }
        }
        return result
    }

    /// The provenance as a document: `{ "vars.a": {value, set_by, overrode: [...]}}`.
    public static func document(_ entries: [String: [ProvenanceEntry]], catalog: StackCatalog) -> Value {
        var out: [String: Value] = [:]
        func where_(_ e: ProvenanceEntry) -> String {
            let file = catalog.store.display(Paths.join(catalog.config.stacksBasePath, e.file))
            return (e.mark.map { "\(file):\($0.line):\($0.column)" } ?? file) + " (\(e.section))"
        }
        for (key, list) in entries {
            guard let last = list.last else { continue }
            out[key] = .map([
                "value": last.value,
                "set_by": .string(where_(last)),
                "overrode": .list(list.dropLast().reversed().map { .map(["at": .string(where_($0)), "value": $0.value]) }),
            ])
        }
        return .map(out)
    }

    static func collectLeaves(_ v: Value, prefix: [String], into out: inout Set<String>) {
        if case .map(let m) = v, !m.isEmpty {
            for (k, sub) in m { collectLeaves(sub, prefix: prefix + [k], into: &out) }
        } else if !prefix.isEmpty {
            out.insert(prefix.joined(separator: "."))
        }
    }

    static func enumerateLeaves(_ v: Value, prefix: [String], into out: inout [([String], Value)]) {
        if case .map(let m) = v, !m.isEmpty {
            for k in m.keys.sorted() { enumerateLeaves(m[k]!, prefix: prefix + [k], into: &out) }
        } else {
            out.append((prefix, v))
        }
    }
}
