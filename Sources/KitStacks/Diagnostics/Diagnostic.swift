import KitPluginSDK
import KitModel

/// One thing kit tells the person or pipeline running it: an error, a warning, a note or a
/// guardrail finding, with where it comes from. Every message goes to one injected `DiagnosticSink`.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var severity: Severity
    /// Lowercase, user values quoted and escaped (`UserText`).
    public var message: String
    /// The file, line and column it is about, when there is one.
    public var location: SourceLocation?
    public var stack: String?
    public var component: String?
    /// What to do about it.
    public var hint: String?
    /// Who says it: a guardrail policy id (`aws.rds.production`) or a plugin's name; nil for kit.
    public var source: String?
    /// What in the configuration or plan it is about (`vars.tags`, `aws_s3_bucket.state`).
    public var subject: String?
    /// The operation it happened in: a plugin's op (`review_plan`) or a terraform subcommand (`apply`).
    public var op: String?
    /// Whether the text line starts with `[source]`: true for a policy's or plugin's own words (a
    /// finding); false when kit's message already names the source (`plugin 'aws' failed …`), so the
    /// text stays one sentence while `--diagnostics json` still carries `source`.
    public var tagsSource: Bool

    public init(_ severity: Severity, _ message: String, location: SourceLocation? = nil, stack: String? = nil,
                component: String? = nil, hint: String? = nil, source: String? = nil, subject: String? = nil,
                op: String? = nil, tagsSource: Bool = true) {
        self.severity = severity
        self.message = message
        self.location = location
        self.stack = stack
        self.component = component
        self.hint = hint
        self.source = source
        self.subject = subject
        self.op = op
        self.tagsSource = tagsSource
    }

    /// A plugin's guardrail finding (info findings become notes).
    public init(_ f: Finding, stack: String? = nil, component: String? = nil) {
        let severity: Severity = f.severity == .error ? .error : f.severity == .warning ? .warning : .note
        self.init(severity, f.message, stack: stack, component: component, hint: f.hint, source: f.policy, subject: f.path)
    }

    /// One line for a terminal: `error: [policy] subject: message — hint` (the label coloured when asked).
    public func text(colour: Bool) -> String {
        let label: String
        if colour {
            let code = severity == .error ? "31" : severity == .warning ? "33" : "36"
            label = "\u{1B}[1;\(code)m\(severity.rawValue):\u{1B}[0m"
        } else {
            label = "\(severity.rawValue):"
        }
        var line = label + " "
        if let source, tagsSource { line += "[\(source)] " }
        if let subject { line += "\(subject): " }
        if let location { line += "\(location): " }
        line += message
        if let hint { line += " — \(hint)" }
        return line
    }

    /// The diagnostic as a JSON value (sorted keys when written), for `--diagnostics json`.
    public var value: Value {
        var m: [String: Value] = ["severity": .string(severity.rawValue), "message": .string(message)]
        if let location {
            m["file"] = .string(location.file)
            if let mark = location.mark { m["line"] = .int(mark.line); m["column"] = .int(mark.column) }
        }
        if let stack { m["stack"] = .string(stack) }
        if let component { m["component"] = .string(component) }
        if let hint { m["hint"] = .string(hint) }
        if let source { m["source"] = .string(source) }
        if let subject { m["subject"] = .string(subject) }
        if let op { m["op"] = .string(op) }
        return .map(m)
    }
}

/// Where diagnostics go. The CLI's sink renders them on stderr; tests collect them.
public protocol DiagnosticSink: Sendable {
    func emit(_ diagnostic: Diagnostic)
}
