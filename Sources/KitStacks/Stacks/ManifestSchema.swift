import KitModel
/// Structural checks of one manifest file on its own (reference §2.1, §2.2, §11.5): the type of every
/// known section, `import` entries, component metadata. `kit validate stacks` runs it on every
/// `*.yaml`/`*.yml` below the stacks directory (not `.tmpl` files, not excluded paths), so a catalog file
/// that no stack imports yet is checked too. Problems carry the file, line and column.
public enum ManifestSchema {
    /// One problem in a manifest.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var location: SourceLocation
        public var message: String
        /// A warning does not fail validation (e.g. a deprecated key).
        public var isWarning: Bool
        public var description: String { location.file.isEmpty ? message : "\(location): \(message)" }
    }

    static let topLevelMaps = ["vars", "env", "settings", "locals", "metadata", "overrides", "hooks", "generate",
                               "dependencies", "auth", "secrets", "terraform", "components"]
    static let typeLevelMaps = ["vars", "env", "settings", "locals", "backend", "remote_state_backend", "providers",
                                "overrides", "hooks", "generate", "dependencies", "auth", "source", "provision"]
    static let typeLevelStrings = ["command", "backend_type", "remote_state_backend_type"]
    static let componentMaps = ["vars", "env", "settings", "locals", "metadata", "backend", "remote_state_backend",
                                "providers", "required_providers", "hooks", "generate", "overrides", "dependencies",
                                "auth", "secrets", "retry", "source", "provision"]
    static let componentStrings = ["component", "command", "backend_type", "remote_state_backend_type", "required_version"]

    /// Checks a parsed manifest; `marks` are its node positions (from a parse with marks).
    public static func check(_ doc: Value, file: String, marks: [String: Mark]) -> [Problem] {
        var problems: [Problem] = []
        func at(_ path: [String]) -> SourceLocation {
            var p = path
            while !p.isEmpty, marks[ValuePath.key(p)] == nil { p.removeLast() }
            return SourceLocation(file: file, mark: marks[ValuePath.key(p)])
        }
        func problem(_ path: [String], _ message: String, warning: Bool = false) {
            problems.append(Problem(location: at(path), message: message, isWarning: warning))
        }
        func expect(_ v: Value?, _ path: [String], _ kind: String) {
            guard let v, !v.isNull else { return }
            let ok: Bool
            switch kind {
            case "map": ok = v.mapValue != nil
            case "string": ok = v.stringValue != nil
            case "bool": ok = v.boolValue != nil
            case "list": ok = v.listValue != nil
            default: ok = true
            }
            if !ok { problem(path, "'\(path.joined(separator: "."))' must be a \(kind), found a \(v.typeName)") }
        }

        guard case .map(let top) = doc else {
            problem([], "a stack manifest must be a map at the top level, found a \(doc.typeName)")
            return problems
        }
        for key in topLevelMaps { expect(top[key], [key], "map") }
        expect(top["name"], ["name"], "string")
        if let imports = top["import"], !imports.isNull {
            if let list = imports.listValue {
                for (i, item) in list.enumerated() {
                    switch item {
                    case .string(let s) where !s.isEmpty: break
                    case .map(let m) where m["path"]?.stringValue?.isEmpty == false: break
                    default: problem(["import", String(i)], "import entry \(i + 1) must be a path or an object with 'path'")
                    }
                }
            } else {
                problem(["import"], "'import' must be a list, found a \(imports.typeName)")
            }
        }
        if let meta = top["metadata"]?.mapValue {
            for key in meta.keys.sorted() where !ComponentResolver.globalMetadataKeys.contains(key) {
                problem(["metadata", key], "'metadata.\(key)' is not allowed at the top level (only labels, tags, custom, enabled, locked, terraform_workspace_pattern)")
            }
        }
        if let tf = top["terraform"]?.mapValue {
            for key in typeLevelMaps { expect(tf[key], ["terraform", key], "map") }
            for key in typeLevelStrings { expect(tf[key], ["terraform", key], "string") }
        }
        if let settings = top["settings"]?.mapValue, settings["depends_on"] != nil {
            problem(["settings", "depends_on"], "'settings.depends_on' is deprecated; use 'dependencies.components'", warning: true)
        }
        guard let components = top["components"]?.mapValue else { return problems }
        for type in components.keys.sorted() {
            let typePath = ["components", type]
            guard let byName = components[type], !byName.isNull else { continue }
            guard case .map(let entries) = byName else { expect(byName, typePath, "map"); continue }
            guard type == "terraform" else { continue }
            for name in entries.keys.sorted() {
                let path = typePath + [name]
                guard let c = entries[name], !c.isNull else { continue }
                guard case .map(let section) = c else { expect(c, path, "map"); continue }
                for key in componentMaps { expect(section[key], path + [key], "map") }
                for key in componentStrings { expect(section[key], path + [key], "string") }
                if let meta = section["metadata"]?.mapValue {
                    if let inherits = meta["inherits"], !inherits.isNull {
                        if let list = inherits.listValue {
                            if list.contains(where: { $0.stringValue == nil }) {
                                problem(path + ["metadata", "inherits"], "'metadata.inherits' of '\(name)' must list component names (strings)")
                            }
                        } else {
                            problem(path + ["metadata", "inherits"], "'metadata.inherits' of '\(name)' must be a list, found a \(inherits.typeName)")
                        }
                    }
                    if let t = meta["type"], !t.isNull, t.stringValue != "abstract" && t.stringValue != "real" {
                        problem(path + ["metadata", "type"], "'metadata.type' of '\(name)' must be 'abstract' or 'real', found '\(t.interpolated)'")
                    }
                    for key in ["enabled", "locked"] { expect(meta[key], path + ["metadata", key], "bool") }
                    for key in ["component", "name", "terraform_workspace", "terraform_workspace_pattern", "terraform_workspace_template"] {
                        expect(meta[key], path + ["metadata", key], "string")
                    }
                }
                if let settings = section["settings"]?.mapValue, settings["depends_on"] != nil {
                    problem(path + ["settings", "depends_on"], "'settings.depends_on' is deprecated; use 'dependencies.components'", warning: true)
                }
            }
        }
        return problems
    }
}

extension StackCatalog {
    /// Every manifest below the stacks directory (imported `_defaults.yaml` files included) checked on
    /// its own: parse errors and structural problems, in file order.
    public func checkAllManifests() -> [ManifestSchema.Problem] {
        var problems: [ManifestSchema.Problem] = []
        for rel in index.files where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
            let display = store.display(Paths.join(config.stacksBasePath, rel))
            do {
                let doc = try store.manifest(rel)
                let issues = ManifestSchema.check(doc, file: display, marks: [:])
                if issues.isEmpty { continue }
                // Marks only for files with problems: re-parse those once with positions.
                problems += ManifestSchema.check(doc, file: display, marks: store.marks(rel))
            } catch {
                // The error names its file and position already.
                problems.append(ManifestSchema.Problem(location: SourceLocation(file: ""), message: "\(error)", isWarning: false))
            }
        }
        return problems
    }
}
