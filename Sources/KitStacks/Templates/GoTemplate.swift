import Foundation
import KitModel

/// A parsed Go `text/template` (the subset atmos stacks use), rendered over a `Value`.
///
/// Parse once, render many times: `stacks.name_template` is rendered once per component instance.
/// Supported: text, actions, trim markers, comments, fields, variables, literals, pipelines,
/// `if`/`range`/`with` (with `else`, `else if`, `else with`), `break`/`continue`, the Go builtins
/// and a Sprig subset (see `TemplateFunction`). Anything else is rejected with a `TemplateError`
/// naming the construct, never passed through.
public struct GoTemplate: Sendable {
    /// The template's name, used in error messages by callers.
    public let name: String
    /// The template source text.
    public let text: String
    let body: [TemplateNode]

    /// Parses `text`; throws `TemplateError` with the line and column of the first syntax error.
    /// `gomplate`: the Gomplate namespaces kit supports are known (`templates.settings.gomplate.enabled`).
    public init(_ text: String, name: String = "template", gomplate: Bool = false) throws {
        self.name = name
        self.text = text
        self.body = try TemplateParser.parse(text, gomplate: gomplate)
        switch body.count {
        case 0: self.isPlainText = text.isEmpty
        case 1: if case .text(let s) = body[0], s == text { self.isPlainText = true } else { self.isPlainText = false }
        default: self.isPlainText = false
        }
    }

    /// True when the template has no actions: rendering returns the text unchanged.
    public let isPlainText: Bool

    /// True when `s` holds an action opening `{{`, so it must be rendered rather than used as is.
    public static func containsAction(_ s: String) -> Bool {
        var previousWasBrace = false
        for byte in s.utf8 {
            if byte == UInt8(ascii: "{") {
                if previousWasBrace { return true }
                previousWasBrace = true
            } else {
                previousWasBrace = false
            }
        }
        return false
    }

    /// Renders the template with `data` as dot (`.`) and `$`; throws `TemplateError` on failure.
    public func render(_ data: Value, options: TemplateOptions = .init()) throws -> String {
        if isPlainText { return text }
        var renderer = TemplateRenderer(source: text, root: data, options: options)
        try renderer.run(body)
        return renderer.output
    }
}

/// Options for `GoTemplate.render`.
public struct TemplateOptions: Sendable {
    /// What a missing map key does (Go's `missingkey` option).
    public enum MissingKey: Sendable, Equatable {
        /// Fail with `map has no entry for key "x"` (Go `missingkey=error`; atmos default).
        case error
        /// Render `<no value>` (Go's default; atmos `ignore_missing_template_values: true`).
        case noValue
    }

    /// What a missing map key does; `.error` by default.
    public var missingKey: MissingKey
    /// The variables the `env` function reads.
    public var environment: [String: String]
    /// The clock the `now` function reads.
    public var now: @Sendable () -> Date
    /// The time zone `date` and `now` format in (Go's `time.Local`).
    public var timeZone: TimeZone
    /// `templates.settings.gomplate.enabled`: the Gomplate namespaces (`strings.*`, `conv.*`, …) work.
    public var gomplate = false
    /// Where `file.Read` resolves relative paths (the repository).
    public var baseDirectory = "."
    /// What Gomplate's `datasource`/`ds` read (nil: no datasource is defined).
    public var datasources: TemplateDatasources? = nil
    /// Top-level keys the data lacks on purpose (atmos's `.spacelift_stack`/`.atlantis_project` where
    /// the integration is not configured): each renders as atmos renders it, whatever `missingKey` says.
    public var absentKeys: [String: AbsentKey] = [:]

    /// How a top-level key listed in `absentKeys` renders.
    public enum AbsentKey: Sendable, Equatable {
        /// `<no value>`, as atmos's component pass renders a key it does not provide.
        case noValue
        /// An error with this reason (kit cannot compute the value atmos would).
        case error(String)
    }
    /// Untrusted mode: the environment functions are errors (`TrustPolicy`).
    public var trust: TrustPolicy = .trusted
    /// What `atmos.Component` reads (nil: the function is an error, as outside component templates).
    public var components: (any TemplateComponentLookup)?

    /// Creates options; defaults: missing keys fail, no environment, the system clock, the local zone.
    public init(missingKey: MissingKey = .error,
                environment: [String: String] = [:],
                now: @escaping @Sendable () -> Date = { Date() },
                timeZone: TimeZone = .current) {
        self.missingKey = missingKey
        self.environment = environment
        self.now = now
        self.timeZone = timeZone
    }
}

/// A template that failed to parse or render, with the 1-based position in the template text.
public struct TemplateError: Error, CustomStringConvertible, Equatable, Sendable {
    /// 1-based line in the template text.
    public let line: Int
    /// 1-based column (in Unicode scalars) in the template text.
    public let column: Int
    /// What went wrong, lowercase, e.g. `map has no entry for key "x"`.
    public let message: String

    /// Creates an error at an explicit position.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// Creates an error at a UTF-8 byte offset of `source`.
    init(source: String, offset: Int, message: String) {
        var line = 1
        var lineStart = 0
        let bytes = Array(source.utf8)
        let end = min(max(offset, 0), bytes.count)
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let prefix = bytes[lineStart..<end]
        let column = (String(decoding: prefix, as: UTF8.self).unicodeScalars.count) + 1
        self.init(line: line, column: column, message: message)
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}
