import Foundation
import Synchronization

/// The kernel's template renderer: Go text/template semantics (`GoTemplate`), each distinct template
/// text parsed once per run.
public final class GoTemplateRendering: TemplateRendering, Sendable {
    let environment: [String: String]
    private let parsed = Mutex<[String: GoTemplate]>([:])
    private let options = Mutex<(gomplate: Bool, baseDirectory: String)>((false, "."))

    /// `templates.settings.gomplate.enabled`: the Gomplate namespaces kit supports are available.
    public var gomplateEnabled: Bool {
        get { options.withLock { $0.gomplate } }
        set { options.withLock { $0.gomplate = newValue } }
    }
    /// Where Gomplate's `file.Read` resolves relative paths.
    public var baseDirectory: String {
        get { options.withLock { $0.baseDirectory } }
        set { options.withLock { $0.baseDirectory = newValue } }
    }

    /// `environment` is what the `env` template function reads.
    public init(environment: [String: String]) { self.environment = environment }

    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool) throws -> String {
        try render(text, name: name, data: data, ignoreMissing: ignoreMissing, components: nil)
    }

    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool,
                       components: (any TemplateComponentLookup)?) throws -> String {
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
        options.components = components
        return try template!.render(data, options: options)
    }
}
