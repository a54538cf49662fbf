import KitModel
import KitStacks
import KitTerraform

// The diagnostic fields of the estate, vendor and workflow errors (see `DiagnosticConvertibleError`).

extension EstateError: DiagnosticConvertibleError {
    /// The component and stack whose dependency is wrong; a component `--components` named.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .unknownDependency(let from, _, _, _, _), .unknownDependencyStack(let from, _, _, _), .abstractDependency(let from, _, _),
             .legacyDependencyNeedsPattern(let from, _), .invalidDependency(let from, _, _):
            return .about(severity, description, stack: from.stack, component: from.component)
        case .unknownSelectedComponent(let name, _):
            return .about(severity, description, component: name)
        case .cycle, .brokenStacks, .emptySelection:
            return Diagnostic(severity, description)
        }
    }
}

extension VendorError: DiagnosticConvertibleError {
    /// The manifest position or file as the location, the vendored component as `component`.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .manifest(let loc, _):
            return .located(severity, message, at: loc, description: description)
        case .unsupportedSource(let loc, let c, _, _):
            return .located(severity, message, at: loc, description: description, component: c)
        case .unknownComponent(let c, let manifest, _):
            return .located(severity, message, at: SourceLocation(file: manifest), description: description, component: c)
        case .lockUnreadable(let path, _):
            return .located(severity, message, at: SourceLocation(file: path), description: description)
        case .fetchFailed(let c, _, _), .unsafeContent(let c, _, _), .writeFailed(let c, _, _):
            return .about(severity, description, component: c)
        case .noManifest:
            return Diagnostic(severity, description)
        }
    }
}

extension WorkflowError: DiagnosticConvertibleError {
    /// A manifest error's file:line:column as the location.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        if case .manifest(let loc, let m) = self { return .located(severity, m, at: loc, description: description) }
        return Diagnostic(severity, description)
    }
}
