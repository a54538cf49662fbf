import Foundation
import Synchronization
import KitModel

/// The kernel's template renderer: Go text/template semantics (`GoTemplate`), each distinct template
/// text parsed once per run.
public final class GoTemplateRendering: TemplateRendering, Sendable {
    let environment: [String: String]
    private let parsed = Mutex<[String: GoTemplate]>([:])

    /// `templates.settings.gomplate.enabled`: the Gomplate namespaces kit supports are available.
    public let gomplateEnabled: Bool
    /// Where Gomplate's `file.Read` resolves relative paths.
    public let baseDirectory: String
    /// Untrusted mode: no environment functions, no datasource outside `baseDirectory`.
    public let trust: TrustPolicy

    /// What Gomplate datasources are read through.
    let fileSystem: any FileSystem
    /// Where a datasource's relative path is resolved (Gomplate: the working directory).
    let workingDirectory: String
    /// Datasource contents, read once per run (keyed by the definitions in force).
    private let datasourceSets = Mutex<[[String: DatasourceDefinition]: TemplateDatasources]>([:])

    /// `environment` is what the `env` template function reads; datasources are read through
    /// `fileSystem`, relative to `workingDirectory`; `gomplate` and `baseDirectory` are the
    /// repository's template settings (use `init(config:…)` for a repository's renderer).
    public init(environment: [String: String], fileSystem: any FileSystem = LocalFileSystem(),
                workingDirectory: String = Paths.currentDirectory(), gomplate: Bool = false, baseDirectory: String = ".",
                trust: TrustPolicy = .trusted) {
        self.environment = environment
        self.trust = trust
        self.fileSystem = fileSystem
        self.workingDirectory = workingDirectory
        self.gomplateEnabled = gomplate
        self.baseDirectory = baseDirectory
    }

    /// The renderer for a repository: its Gomplate switch and base directory from `config`. Every
    /// command that renders a repository's templates (single runs, estates, describe, affected at
    /// both refs) builds its renderer here, so none can forget a setting.
    public convenience init(config: KitConfig, environment: [String: String], fileSystem: any FileSystem = LocalFileSystem(),
                            workingDirectory: String) {
        self.init(environment: environment, fileSystem: fileSystem, workingDirectory: workingDirectory,
                  gomplate: config.gomplateEnabled, baseDirectory: config.basePath, trust: config.trust)
    }

    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool) throws -> String {
        try render(text, name: name, data: data, ignoreMissing: ignoreMissing, extras: TemplateRenderExtras())
    }

    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool, extras: TemplateRenderExtras) throws -> String {
        let gomplate = gomplateEnabled
        var template = parsed.withLock { $0[text] }
        if template == nil {
            let made = try GoTemplate(text, name: name, gomplate: gomplate)
            parsed.withLock { $0[text] = made }
            template = made
        }
        var options = TemplateOptions(missingKey: ignoreMissing ? .noValue : .error, environment: environment)
        options.gomplate = gomplate
        options.baseDirectory = baseDirectory
        options.trust = trust
        options.absentKeys = extras.absentKeys
        if gomplate && !extras.datasources.isEmpty {
            options.datasources = datasourceSets.withLock { sets in
                if let hit = sets[extras.datasources] { return hit }
                let made = TemplateDatasources(fileSystem: fileSystem, workingDirectory: workingDirectory, definitions: extras.datasources,
                                               confinedTo: trust.untrusted ? baseDirectory : nil)
                sets[extras.datasources] = made
                return made
            }
        }
        options.components = extras.components
        return try template!.render(data, options: options)
    }
}
