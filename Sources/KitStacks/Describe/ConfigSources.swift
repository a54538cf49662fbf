import KitModel
/// atmos's `sources` in `describe component`: for each top-level key of `vars`, `env`, `settings` and
/// `backend`, its final value and every stack file section that sets it, highest priority first —
///
///     sources.vars.<name> = {name, final_value,
///                            stack_dependencies: [{stack_file, stack_file_section, variable_value, dependency_type}]}
///
/// `stack_file` is a manifest id (no extension); `stack_file_section` is `components.<type>.<section>`
/// (the component's own or a base component's), `<type>.<section>` or `<section>` (`backend` adds the
/// backend type); `dependency_type` is `inline` for the stack file itself, `import` for the files it
/// imports; `variable_value` is the value as written there. atmos's order: the component's own
/// section in the stack file, then in its imports (by import id), the same for each base component
/// in inheritance order, the type-level and global sections of the stack file, then the type-level
/// sections of the imports and their global sections. `overrides` are not listed (nor are they by atmos).
/// Built from `Provenance.layers` (the one walk over the stack's files).
enum ConfigSources {
    /// The sections listed, each always present.
    static let sections = ["vars", "env", "settings", "backend"]

    static func document(_ c: ResolvedComponent, layers: [String: [SectionLayer]]) -> Value {
        let finals: [String: [String: Value]] = ["vars": c.vars, "env": c.env, "settings": c.settings, "backend": c.backend]
        var out: [String: Value] = [:]
        for section in sections {
            let ordered = order(c, section: section, layers: layers[section] ?? [])
            var items: [String: Value] = [:]
            for (name, final) in finals[section] ?? [:] {
                var dependencies: [Value] = []
                for (layer, sectionName) in ordered {
                    guard case .map(let m) = layer.value, let v = m[name] else { continue }
                    let dependency = Value.map([
                        "dependency_type": .string(layer.file == c.stackFile ? "inline" : "import"),
                        "stack_file": .string(stripExtension(layer.file)),
                        "stack_file_section": .string(sectionName),
                        "variable_value": untagged(v),
                    ])
                    // atmos lists an identical entry once (a base component can repeat its child's).
                    if !dependencies.contains(dependency) { dependencies.append(dependency) }
                }
                items[name] = .map(["name": .string(name), "final_value": final, "stack_dependencies": .list(dependencies)])
            }
            out[section] = .map(items)
        }
        return .map(out)
    }

    /// The section's layers in atmos's order, each with the section name atmos gives it.
    static func order(_ c: ResolvedComponent, section: String, layers: [SectionLayer]) -> [(SectionLayer, String)] {
        let type = c.componentType
        let tail = section == "backend" ? [section, c.backendType] : [section]
        let inline = layers.filter { $0.file == c.stackFile }
        let imports = layers.filter { $0.file != c.stackFile }
            .sorted { Array(stripExtension($0.file).utf8).lexicographicallyPrecedes(Array(stripExtension($1.file).utf8)) }
        let componentSection = (["components", type] + tail).joined(separator: ".")
        let typeSection = ([type] + tail).joined(separator: ".")
        let globalSection = tail.joined(separator: ".")
        var out: [(SectionLayer, String)] = []
        for component in [c.name] + c.inheritance {
            let path = ["components", type, component] + tail
            out += inline.filter { $0.path == path }.map { ($0, componentSection) }
            out += imports.filter { $0.path == path }.map { ($0, componentSection) }
        }
        out += inline.filter { $0.path == [type] + tail }.map { ($0, typeSection) }
        out += inline.filter { $0.path == tail }.map { ($0, globalSection) }
        out += imports.filter { $0.path == [type] + tail }.map { ($0, typeSection) }
        out += imports.filter { $0.path == tail }.map { ($0, globalSection) }
        return out
    }

    /// A value as written, without kit's internal tags (`!append` lists print as lists).
    static func untagged(_ v: Value) -> Value {
        switch v {
        case .tagged(_, let inner): return untagged(inner)
        case .map(let m): return .map(m.mapValues(untagged))
        case .list(let l): return .list(l.map(untagged))
        default: return v
        }
    }
}
