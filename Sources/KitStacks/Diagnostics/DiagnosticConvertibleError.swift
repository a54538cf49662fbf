import KitModel

/// An error that knows its diagnostic fields: the file:line:column it is about, its stack and
/// component, the plugin that raised it (`source`) and the operation it happened in (`op`, a plugin's
/// op or a terraform subcommand). `Diagnostic(error:)` asks it for them, so `--diagnostics json`
/// carries them; a foreign error (POSIX, Foundation) becomes its text alone.
///
/// The fields never change what a person reads: the diagnostic's `text(colour: false)` is the
/// severity label followed by the error's `description`, byte for byte. An error that carries only
/// text stays a plain message.
public protocol DiagnosticConvertibleError: Error, CustomStringConvertible {
    /// The error as a diagnostic of `severity`, with every field it knows.
    func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic
}

extension Diagnostic {
    /// An error as a diagnostic: a `DiagnosticConvertibleError` with its fields, any other error as its text.
    public init(error: any Error, _ severity: Severity = .error) {
        if let e = error as? any DiagnosticConvertibleError {
            self = e.diagnostic(severity)
        } else {
            self.init(severity, "\(error)")
        }
    }

    /// An error's diagnostic whose text line is the error's `description` after the label: this
    /// diagnostic when it renders so; otherwise (a name with control characters is escaped in the
    /// description, not in a location) the description as the message, keeping the fields the text
    /// does not show (stack, component, source, op).
    package func rendering(_ description: String) -> Diagnostic {
        guard text(colour: false) != "\(severity.rawValue): \(description)" else { return self }
        var d = self
        d.message = description
        d.location = nil
        d.subject = nil
        d.hint = nil
        d.tagsSource = false
        return d
    }

    /// The error's text `<file>: <message>` as `message` at `file`, when the text prints the file as
    /// it is (`rendering` falls back to the whole text when it does not).
    package static func at(_ file: String, _ severity: Severity, _ description: String) -> Diagnostic {
        let prefix = file + ": "
        guard description.hasPrefix(prefix) else { return Diagnostic(severity, description) }
        return Diagnostic(severity, String(description.dropFirst(prefix.count)), location: SourceLocation(file: file))
    }
}
