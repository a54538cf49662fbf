import KitModel
import KitPluginRuntime
import KitStacks

// The diagnostic fields of the run layer's errors (see `DiagnosticConvertibleError`).

extension TerraformError: DiagnosticConvertibleError {
    /// The component and stack it names; the terraform subcommand as `op` where the error is about one.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .abstract(let c, let s, let sub), .locked(let c, let s, let sub):
            return .about(severity, description, stack: s, component: c, op: sub)
        case .referenceReadFailed(let c, let s, _):
            // The case is the failure of `terraform output -json` (its message says so).
            return .about(severity, description, stack: s, component: c, op: "output")
        case .componentFolderMissing(let c, let s, _, _), .backendTypeRequired(let c, let s), .httpBackendWorkspaces(let c, let s),
             .blockedByGuardrails(let c, let s, _), .approvalRequired(let c, let s), .referencesUnavailable(let c, let s),
             .redirectedWrite(_, _, let c, let s), .sharedFileNames(_, let c, let s, _, _, _), .legacyStateFolder(let c, let s, _, _):
            return .about(severity, description, stack: s, component: c)
        case .generateFailed(let c, let s, let stackFile, _, _):
            return .located(severity, generateMessage, at: SourceLocation(file: stackFile), description: description, stack: s, component: c)
        case .commandNotFound, .commandUnusable, .planfileMissing, .notApproved, .invalidPlanJSON, .writeFailed:
            return Diagnostic(severity, description)
        }
    }
}

extension ReferenceError: DiagnosticConvertibleError {
    /// The component and stack holding the reference; a located template failure keeps its place.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .noState(_, _, let from, _, _), .failed(_, _, let from, _):
            return .about(severity, description, stack: from.stack, component: from.component)
        case .located(let error, _):
            return error.diagnostic(severity)
        }
    }
}

extension PluginLoadError: DiagnosticConvertibleError {
    /// The plugin's name as `source` where the error knows it (a pin or a configured name); the other
    /// cases know only the file.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .pinMismatch(_, let name, _, _), .unknownPlugin(let name, _, _):
            return .about(severity, description, source: name)
        default:
            return Diagnostic(severity, description)
        }
    }
}

extension PluginCallError: DiagnosticConvertibleError {
    /// The plugin as `source` and the op it was handling as `op`.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .pluginError(let plugin, let op, _, _, _), .badRequest(let plugin, let op, _), .invalidResponse(let plugin, let op, _),
             .crashed(let plugin, let op, _), .exited(let plugin, let op, _), .timedOut(let plugin, let op, _),
             .interrupted(let plugin, let op):
            return .about(severity, description, source: plugin, op: op)
        }
    }
}

extension PluginInstallError: DiagnosticConvertibleError {
    /// The plugin's name as `source` where the error knows it.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .versionMismatch(_, let name, _, _), .notInstalled(let name, _):
            return .about(severity, description, source: name)
        case .notFound, .notOneLibrary, .archive:
            return Diagnostic(severity, description)
        }
    }
}

extension LocalStateError: DiagnosticConvertibleError {
    /// The component and stack whose local state it is.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        switch self {
        case .damagedBefore(_, _, let c, let s), .lowSpace(_, _, _, let c, let s), .backupFailed(_, _, let c, let s),
             .restored(_, _, _, let c, let s), .damagedNoBackup(_, let c, let s), .restoreFailed(_, _, _, let c, let s),
             .noBackup(_, let c, let s), .stateIsValid(_, _, let c, let s):
            return .about(severity, description, stack: s, component: c)
        }
    }
}

extension GeneratedPathTooLong: DiagnosticConvertibleError {
    /// The stack and component whose generated name is too long.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        .about(severity, description, stack: stack, component: component)
    }
}

extension StoreHooks.Failure: DiagnosticConvertibleError {
    /// The component and stack whose hook failed.
    func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        .about(severity, description, stack: stack, component: component)
    }
}
