import KitModel

extension StackError: DiagnosticConvertibleError {
    /// Where the error is, when it names a file:line:column.
    public var location: SourceLocation? {
        switch self {
        case .malformedYAML(let loc, _), .importNotFound(let loc, _, _), .invalidImport(let loc, _),
             .locatedInheritanceCycle(let loc, _, _), .globalMetadataField(let loc, _), .template(let loc, _),
             .limitExceeded(let loc, _):
            return loc
        case .invalidSection(let loc, _, _, _, _, _), .unknownBase(let loc, _, _, _, _, _), .componentEscapes(let loc, _, _, _),
             .invalidMergeStrategy(let loc, _), .outsideRepository(let loc, _, _, _), .invalidStackName(let loc, _, _),
             .yamlFunction(let loc, _, _, _, _, _):
            return loc
        default:
            return nil
        }
    }

    /// The stack and component the error names, when it names them.
    var subjects: (stack: String?, component: String?) {
        switch self {
        case .invalidSection(_, _, _, _, let stack, let component): return (stack, component)
        case .unknownBase(_, let stack, let component, _, _, _), .componentEscapes(_, let component, _, let stack),
             .backendTypeMismatch(let stack, let component, _, _, _), .validationFailed(let component, let stack, _),
             .notTerraform(let component, let stack, _), .yamlFunction(_, let stack, let component, _, _, _),
             .functionNotEvaluated(let stack, let component, _, _), .duplicateStack(let stack, let component, _),
             .unknownComponent(let component, let stack, _):
            return (stack, component)
        case .inheritanceCycle(let stack, _), .locatedInheritanceCycle(_, let stack, _), .stackNotResolved(let stack, _, _, _):
            return (stack, nil)
        case .unknownStack(let stack, _, let component): return (stack, component)
        case .missingNameToken(_, _, _, let component): return (nil, component)
        default: return (nil, nil)
        }
    }

    /// The place the text starts with, as a location: the file:line:column, or the file or folder
    /// the error is about.
    var diagnosticLocation: SourceLocation? {
        if let location { return location }
        switch self {
        case .unreadable(let path, _), .missingNameToken(let path, _, _, _), .directoryLoop(let path, _),
             .unreadableFolder(let path, _), .tooManyFiles(let path, _):
            return SourceLocation(file: path)
        default:
            return nil
        }
    }

    /// The error as a typed diagnostic: its file:line:column, stack and component as fields, and the
    /// message the case says after its place (the text rendering is `description`).
    public func diagnostic(_ severity: Diagnostic.Severity = .error) -> Diagnostic {
        Diagnostic(severity, UserText.line(message), location: diagnosticLocation, stack: subjects.stack,
                   component: subjects.component).rendering(description)
    }
}

extension StackCatalog.StackFailure {
    /// The failure as a typed diagnostic (rendered as `description`), naming its stack and component.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        var d = Diagnostic(error: error, severity)
        d.message += " " + leftOut
        d.stack = stack
        if let component { d.component = component }
        return d
    }
}

extension ManifestSchema.Problem {
    /// The problem as a diagnostic (a warning or an error), rendered as `description`.
    public var diagnostic: Diagnostic {
        Diagnostic(isWarning ? .warning : .error, message, location: location.file.isEmpty ? nil : location)
    }
}
