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

public enum Provenance {
    /// Sections traced, in output order.
    public static let sections = ["vars", "settings", "env", "providers", "backend", "metadata"]

    /// Leaf path (`vars.a.b`) → the layers that set it, lowest priority first.
    public static func compute(_ c: ResolvedComponent, catalog: StackCatalog, withMarks: Bool) -> [String: [ProvenanceEntry]] {
        var result: [String: [ProvenanceEntry]] = [:]
        var marksCache: [String: [String: Mark]] = [:]
        let bases = Array(c.inheritance.reversed())
        let own = c.name
        let final = ComponentDocument.sections(c)

        for section in sections {
            guard case .map(let finalSection)? = final[section] else { continue }
            var wanted: Set<String> = []
            collectLeaves(.map(finalSection), prefix: [section], into: &wanted)
            if wanted.isEmpty { continue }
            // The layers of this section in precedence order (reference §2.3, §8.1).
            var paths: [[String]] = []
            switch section {
            case "backend":
                paths = [["terraform", "backend", c.backendType]] + bases.map { ["components", "terraform", $0, "backend", c.backendType] }
                    + [["components", "terraform", own, "backend", c.backendType]]
            case "providers":
                paths = [["terraform", "providers"]] + bases.map { ["components", "terraform", $0, "providers"] }
                    + [["components", "terraform", own, "providers"], ["overrides", "providers"], ["terraform", "overrides", "providers"]]
            case "metadata":
                paths = [["metadata"]] + bases.map { ["components", "terraform", $0, "metadata"] } + [["components", "terraform", own, "metadata"]]
            default:
                paths = [[section], ["terraform", section]] + bases.map { ["components", "terraform", $0, section] }
                    + [["components", "terraform", own, section], ["overrides", section], ["terraform", "overrides", section]]
            }
            for path in paths {
                for layer in c.layers {
                    guard let doc = try? catalog.store.manifest(layer), let v = doc.value(at: path) else { continue }
                    var leaves: [([String], Value)] = []
                    enumerateLeaves(v, prefix: [], into: &leaves)
                    for (leafPath, leafValue) in leaves {
                        let key = ([section] + leafPath).joined(separator: ".")
                        guard wanted.contains(key) else { continue }
                        var mark: Mark?
                        if withMarks {
                            if marksCache[layer] == nil { marksCache[layer] = catalog.store.marks(layer) }
                            mark = marksCache[layer]?[ValuePath.key(path + leafPath)]
                        }
                        result[key, default: []].append(ProvenanceEntry(file: layer, section: path.joined(separator: "."), mark: mark, value: leafValue))
                    }
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
