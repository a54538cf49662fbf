import KitPluginSDK
import KitModel
import KitStacks

/// `settings.validation` of a component (atmos's component validation): each entry names a JSON Schema
/// (`schema_type: jsonschema`) or an OPA policy (`schema_type: opa`) and a `schema_path`.
///
/// JSON Schemas are checked against the component's document (`vars`, `settings`, `env`, …, as in
/// `describe component`). OPA policies are not evaluated (there is no OPA engine for Swift here): each
/// one is a warning that names the policy file, never a silent pass.
public struct ComponentValidation: Sendable {
    /// The outcome for one component.
    public struct Report: Sendable {
        /// Schema violations, each prefixed with the validation entry and schema file, naming the
        /// component and stack.
        public var errors: [Diagnostic] = []
        /// OPA policies not evaluated, unknown schema keywords, disabled entries that were skipped.
        public var warnings: [Diagnostic] = []
        /// How many JSON Schemas were checked.
        public var schemasChecked = 0
    }

    let config: KitConfig
    let fileSystem: FileSystem

    /// Schemas are looked up with `config`'s `schemas.*.base_path` and read through `fileSystem`.
    public init(config: KitConfig, fileSystem: FileSystem = LocalFileSystem()) {
        self.config = config
        self.fileSystem = fileSystem
    }

    /// Validates `c` against every entry of its `settings.validation`.
    public func validate(_ c: ResolvedComponent) -> Report {
        var report = Report()
        guard case .map(let entries)? = c.settings["validation"] else { return report }
        let who = "component \(UserText.quoted(c.name)) in stack \(UserText.quoted(c.stackName))"
        func addError(_ message: String) { report.errors.append(Diagnostic(.error, message, stack: c.stackName, component: c.name)) }
        func addWarning(_ message: String) { report.warnings.append(Diagnostic(.warning, message, stack: c.stackName, component: c.name)) }
        for name in entries.keys.sorted() {
            guard case .map(let entry) = entries[name]! else {
                addError("\(who): settings.validation.\(name) must be a map with schema_type and schema_path")
                continue
            }
            if entry["disabled"]?.boolValue == true { continue }
            let type = entry["schema_type"]?.stringValue ?? ""
            let schemaPath = entry["schema_path"]?.stringValue ?? ""
            switch type {
            case "jsonschema":
                guard let file = locate(schemaPath, base: config.jsonSchemaBasePath) else {
                    addError("\(who): settings.validation.\(name): schema file \(UserText.quoted(schemaPath)) not found (looked in \(UserText.quoted(display(config.jsonSchemaBasePath.isEmpty ? config.basePath : config.jsonSchemaBasePath)))) — fix schema_path or schemas.jsonschema.base_path")
                    continue
                }
                let schema: Value
                do {
                    schema = try load(file)
                } catch {
                    addError("\(display(file)): cannot read the JSON Schema of settings.validation.\(name): \(error)")
                    continue
                }
                let validator = JSONSchemaValidator(schema: schema)
                for k in validator.unknownKeywords {
                    addWarning("\(display(file)): schema keyword \(k) is not checked by kit's validator")
                }
                report.schemasChecked += 1
                let doc = Value.map(ComponentDocument.sections(c))
                for v in validator.validate(doc) {
                    addError("\(who) does not match the JSON Schema \(UserText.quoted(display(file))) (settings.validation.\(name)): \(v)")
                }
            case "opa":
                let file = locate(schemaPath, base: config.opaBasePath).map(display) ?? schemaPath
                addWarning("\(who): OPA policy \(UserText.quoted(file)) (settings.validation.\(name)) is not evaluated — kit has no OPA engine; check it with 'atmos validate component'")
            default:
                addError("\(who): settings.validation.\(name): schema_type \(UserText.quoted(type)) is not supported — use 'jsonschema' (or 'opa', reported as not evaluated)")
            }
        }
        return report
    }

    /// The schema file: absolute, under the schemas base path, or under the repository.
    func locate(_ path: String, base: String) -> String? {
        guard !path.isEmpty else { return nil }
        if path.hasPrefix("/") { return fileSystem.exists(path) ? path : nil }
        for dir in [base, config.basePath] where !dir.isEmpty {
            let candidate = Paths.join(dir, path)
            if fileSystem.exists(candidate) { return candidate }
        }
        return nil
    }

    func load(_ file: String) throws -> Value {
        let bytes = try fileSystem.read(file)
        let text = String(decoding: bytes, as: UTF8.self)
        if file.hasSuffix(".yaml") || file.hasSuffix(".yml") { return try YAMLParser.parse(text).value }
        return ValueJSON.convert(try JSONValue.parse(text))
    }

    func display(_ path: String) -> String { Paths.relative(path, to: config.basePath) }
}
