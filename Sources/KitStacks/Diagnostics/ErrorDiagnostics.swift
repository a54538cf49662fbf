import KitModel

// The fields each of kit's errors knows, for `Diagnostic(error:)` (see `DiagnosticConvertibleError`).
// Every diagnostic here renders as the error's `description`; an error that carries only text
// (`TerraformOutputsError`, `AffectedError`, `RunStoreError`, `FetchFailure`, …) is not listed and
// stays a plain message.

extension Diagnostic {
    /// The diagnostic of an error whose text is its `description` whole, naming `stack` and `component`.
    package static func about(_ severity: Severity, _ description: String, stack: String? = nil, component: String? = nil,
                      source: String? = nil, op: String? = nil) -> Diagnostic {
        Diagnostic(severity, description, stack: stack, component: component, source: source, op: op, tagsSource: false)
    }

    /// The diagnostic of an error whose text is `<place>: <message>`, with the place as its location.
    package static func located(_ severity: Severity, _ message: String, at location: SourceLocation?, description: String,
                        stack: String? = nil, component: String? = nil, source: String? = nil) -> Diagnostic {
        Diagnostic(severity, message, location: location, stack: stack, component: component, source: source, tagsSource: false)
            .rendering(description)
    }
}

extension TerraformReferenceError: DiagnosticConvertibleError {
    /// The component (and stack, when given) whose outputs were read.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        if case .outputNotFound(_, let component, let stack, _) = self {
            return .about(severity, description, stack: stack, component: component)
        }
        return Diagnostic(severity, description)
    }
}

extension QueryError: DiagnosticConvertibleError {
    /// The expression as the subject (`--query '<expression>'`), the problem and its place as the
    /// message, what to do as the hint.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        Diagnostic(severity, placedProblem, hint: hint.isEmpty ? nil : hint, subject: quotedExpression)
            .rendering(description)
    }
}

extension PluginConfigurationError: DiagnosticConvertibleError {
    /// The plugin a pin is for, as `source`.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .pinNotString(let name, _), .pinMalformed(let name, _):
            return .about(severity, description, source: name)
        case .badIsolation, .badTimeout, .badSpin:
            return Diagnostic(severity, description)
        }
    }
}

extension ConfigError: DiagnosticConvertibleError {
    /// The configuration file (and position) as the location; a pin's plugin as `source`.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        var source: String?
        if case .invalidPlugins(let e, _) = self, case .pinNotString(let name, _) = e { source = name }
        if case .invalidPlugins(let e, _) = self, case .pinMalformed(let name, _) = e { source = name }
        let location: SourceLocation?
        switch self {
        case .malformed(let loc, _): location = loc
        // A setting from the environment has no file.
        case .invalidValue(_, _, _, "environment"), .invalidType(_, _, _, "environment"), .unknownKey(_, _, "environment"),
             .unknownNameToken(_, _, _, "environment"), .invalidPlugins(_, "environment"), .noConfigAt:
            location = nil
        default: location = place.map { SourceLocation(file: $0) }
        }
        guard location != nil else { return .about(severity, description, source: source) }
        return .located(severity, message, at: location, description: description, source: source)
    }
}

extension UntrustedRefusal: DiagnosticConvertibleError {
    /// Where the refused construct is: file:line:column, stack and component.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        .located(severity, located, at: location, description: description, stack: stack, component: component)
    }
}

extension ComponentPath.Failure: DiagnosticConvertibleError {
    /// The stack searched for the component folder.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .noComponent(_, _, let stack, _), .ambiguous(_, let stack, _):
            return .about(severity, description, stack: stack)
        case .inStacksDirectory, .componentsBase, .outsideComponents:
            return Diagnostic(severity, description)
        }
    }
}
