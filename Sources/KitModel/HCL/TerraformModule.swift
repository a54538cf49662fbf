/// What a Terraform root module declares, read from its files as hashicorp's
/// terraform-config-inspect reads it (atmos prints that as `component_info.terraform_config`):
/// variables, outputs, required core and providers, provider configurations, resources, data
/// sources and module calls, each with the file and line of its block.
///
/// Values are read, never evaluated: a `default` or `description` that is not a literal is left out
/// (null, empty) and a warning in `diagnostics` says so. Structural mistakes in a file are errors in
/// `diagnostics`.
public struct TerraformModule: Sendable, Equatable {
    /// A file and the line a block starts on.
    public struct Position: Sendable, Equatable {
        /// The file: the module's folder as given, joined with the file's name.
        public var filename: String
        /// 1-based.
        public var line: Int
        /// A position.
        public init(filename: String, line: Int) { self.filename = filename; self.line = line }
    }

    /// A `variable` block.
    public struct Variable: Sendable, Equatable {
        /// The block's label.
        public var name: String
        /// The type as written (`map(string)`; a quoted legacy type without its quotes); "" when none.
        public var type = ""
        /// `description`, "" when none (or not a literal).
        public var description = ""
        /// The default; `.null` when there is none or it is not a literal.
        public var defaultValue: Value = .null
        /// True when the block has no `default`.
        public var required = false
        /// `sensitive = true`.
        public var sensitive = false
        /// `deprecated`, the message; "" when none.
        public var deprecated = ""
        /// Where the block starts.
        public var position: Position
    }

    /// An `output` block.
    public struct Output: Sendable, Equatable {
        /// The block's label.
        public var name: String
        /// `description`, "" when none.
        public var description = ""
        /// `sensitive = true`.
        public var sensitive = false
        /// `deprecated`, the message; "" when none.
        public var deprecated = ""
        /// Where the block starts.
        public var position: Position
    }

    /// A provider name with an optional alias (`aws`, `aws.west`).
    public struct ProviderReference: Sendable, Equatable {
        /// The provider's local name.
        public var name: String
        /// The configuration's alias; "" for the default configuration.
        public var alias = ""
    }

    /// A `required_providers` entry (or one implied by a provider block or a resource).
    public struct ProviderRequirement: Sendable, Equatable {
        /// `source` (`hashicorp/aws`); "" when none.
        public var source = ""
        /// Every `version` constraint, in the order read.
        public var versionConstraints: [String] = []
        /// `configuration_aliases`.
        public var configurationAliases: [ProviderReference] = []
    }

    /// A `resource` or `data` block.
    public struct Resource: Sendable, Equatable {
        /// `resource` (managed) or `data`.
        public enum Mode: Sendable, Equatable { case managed, data }
        /// Which block.
        public var mode: Mode
        /// The first label (`aws_instance`).
        public var type: String
        /// The second label.
        public var name: String
        /// `provider`, else the type's first word.
        public var provider: ProviderReference
        /// Where the block starts.
        public var position: Position
    }

    /// A `module` block.
    public struct ModuleCall: Sendable, Equatable {
        /// The block's label.
        public var name: String
        /// `source`; an override file's block without one keeps the original's.
        public var source = ""
        /// `version`, "" when none.
        public var version = ""
        /// Where the block starts.
        public var position: Position
    }

    /// A problem found while reading.
    public struct Diagnostic: Sendable, Equatable {
        /// An error (the module cannot be read as written) or a warning (kit left a value out).
        public enum Severity: Sendable, Equatable { case error, warning }
        /// How bad.
        public var severity: Severity
        /// What, in a few words.
        public var summary: String
        /// What, in a sentence.
        public var detail = ""
        /// Where, when known.
        public var position: Position?
        /// A diagnostic.
        public init(severity: Severity, summary: String, detail: String = "", position: Position? = nil) {
            self.severity = severity
            self.summary = summary
            self.detail = detail
            self.position = position
        }
    }

    /// The folder, as given.
    public var path: String
    /// Variables by name.
    public var variables: [String: Variable] = [:]
    /// Outputs by name.
    public var outputs: [String: Output] = [:]
    /// Every `terraform.required_version`.
    public var requiredCore: [String] = []
    /// Provider requirements by local name: `required_providers`, provider blocks, and the providers resources use.
    public var requiredProviders: [String: ProviderRequirement] = [:]
    /// Provider configurations by `name` or `name.alias`.
    public var providerConfigs: [String: ProviderReference] = [:]
    /// Managed resources by `type.name`.
    public var managedResources: [String: Resource] = [:]
    /// Data resources by `data.type.name`.
    public var dataResources: [String: Resource] = [:]
    /// Module calls by name.
    public var moduleCalls: [String: ModuleCall] = [:]
    /// What was found wrong or left out, in the order found.
    public var diagnostics: [Diagnostic] = []

    /// An empty module in `path`.
    public init(path: String) { self.path = path }

    /// True when a diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The variables any of their blocks declares `sensitive = true`. An override file's block
    /// replaces a variable in `variables` (as terraform-config-inspect reads it), while terraform
    /// merges it into the original: what masking reads is this union, never less.
    public var sensitiveVariableNames: Set<String> = []

    /// The configuration files among a folder's file names, in the order they are read:
    /// `*.tf`, `*.tf.json` (and terraform-config-inspect's `*.tfcomponent.hcl`, `*.tfstack.hcl`) by
    /// name, override files (`override.tf`, `*_override.tf`, …) last; hidden and editor backup files
    /// are skipped.
    public static func configurationFiles(_ names: [String]) -> [String] {
        var primary: [String] = [], overrides: [String] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            guard let ext = fileExtension(name) else { continue }
            if name.hasPrefix(".") || name.hasSuffix("~") || (name.hasPrefix("#") && name.hasSuffix("#")) { continue }
            let base = name.dropLast(ext.count)
            if base == "override" || base.hasSuffix("_override") { overrides.append(name) } else { primary.append(name) }
        }
        return primary + overrides
    }

    static func fileExtension(_ name: String) -> String? {
        for ext in [".tf", ".tf.json", ".tfcomponent.hcl", ".tfstack.hcl"] where name.hasSuffix(ext) { return ext }
        return nil
    }

    /// Reads a module from its files' texts, in `configurationFiles` order; `path` names the folder
    /// and is joined with each file name for positions.
    public static func read(path: String, files: [(name: String, text: String)]) -> TerraformModule {
        var module = TerraformModule(path: path)
        for file in files {
            let filename = path.hasSuffix("/") ? path + file.name : path + "/" + file.name
            if file.name.hasSuffix(".json") {
                TerraformJSONReader.read(file.text, filename: filename, into: &module)
            } else {
                TerraformHCLReader.read(file.text, filename: filename, into: &module)
            }
        }
        module.addImpliedProviders()
        return module
    }

    /// A provider requirement (without constraints) for every provider a resource uses and nothing requires.
    mutating func addImpliedProviders() {
        for r in Array(managedResources.values) + Array(dataResources.values) where requiredProviders[r.provider.name] == nil {
            requiredProviders[r.provider.name] = ProviderRequirement()
        }
    }

    /// Adds a `required_providers` entry, merging with one already read (constraints accumulate; two
    /// different sources are an error).
    mutating func require(_ name: String, _ requirement: ProviderRequirement, at position: Position) {
        guard var existing = requiredProviders[name] else {
            requiredProviders[name] = requirement
            return
        }
        if !requirement.source.isEmpty {
            if !existing.source.isEmpty && existing.source != requirement.source {
                diagnostics.append(Diagnostic(severity: .error, summary: "Multiple provider source attributes",
                                              detail: "Found multiple source attributes for provider \(name): \"\(existing.source)\", \"\(requirement.source)\"",
                                              position: position))
            } else {
                existing.source = requirement.source
            }
        }
        existing.versionConstraints += requirement.versionConstraints
        requiredProviders[name] = existing
    }

    /// The provider a resource type uses by default: the type's first word (`aws_instance` → `aws`).
    static func defaultProvider(forType type: String) -> String {
        type.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? type
    }

    /// A `provider.alias` reference from its text (`"aws.west"`), as HCL reads a quoted one.
    static func providerReference(_ names: [String]) -> ProviderReference? {
        guard let name = names.first, names.count <= 2, !name.isEmpty else { return nil }
        return ProviderReference(name: name, alias: names.count == 2 ? names[1] : "")
    }

    /// A warning that a value is not a literal (kit reads, never evaluates).
    static func notLiteral(_ what: String, shownAs: String, at position: Position) -> Diagnostic {
        Diagnostic(severity: .warning, summary: "Value not read",
                   detail: "kit reads literal values only: \(what) is an expression, shown as \(shownAs).", position: position)
    }
}
