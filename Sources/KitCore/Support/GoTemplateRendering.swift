import Foundation

/// The kernel's template renderer: Go text/template semantics (`GoTemplate`), each distinct template
/// text parsed once per run.
public final class GoTemplateRendering: TemplateRendering, @unchecked Sendable {
    let environment: [String: String]
    private let lock = NSLock()
    private var parsed: [String: GoTemplate] = [:]

    /// `templates.settings.gomplate.enabled`: the Gomplate namespaces kit supports are available.
    public var gomplateEnabled = false
    /// Where Gomplate's `file.Read` resolves relative paths.
    public var baseDirectory = "."

    /// `environment` is what the `env` template function reads.
    public init(environment: [String: String]) { self.environment = environment }

    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool) throws -> String {
        lock.lock()
        var template = parsed[text]
        lock.unlock()
        if template == nil {
            template = try GoTemplate(text, name: name, gomplate: gomplateEnabled)
            lock.lock(); parsed[text] = template; lock.unlock()
        }
        var options = TemplateOptions(missingKey: ignoreMissing ? .noValue : .error, environment: environment)
        options.gomplate = gomplateEnabled
        options.baseDirectory = baseDirectory
        return try template!.render(data, options: options)
    }
}
