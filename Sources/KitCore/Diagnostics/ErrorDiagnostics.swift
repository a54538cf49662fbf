import KitPluginRuntime

// The fields each of kit's errors knows, for `Diagnostic(error:)` (see `DiagnosticConvertibleError`).
// Every diagnostic here renders as the error's `description`; an error that carries only text
// (`TerraformOutputsError`, `AffectedError`, `RunStoreError`, `FetchFailure`, …) is not listed and
// stays a plain message.

extension Diagnostic {
    /// The diagnostic of an error whose text is its `description` whole, naming `stack` and `component`.
    static func about(_ severity: Severity, _ description: String, stack: String? = nil, component: String? = nil,
                      source: String? = nil, op: String? = nil) -> Diagnostic {
        Diagnostic(severity, description, stack: stack, component: component, source: source, op: op, tagsSource: false)
    }

    /// The diagnostic of an error whose text is `<place>: <message>`, with the place as its location.
    static func located(_ severity: Severity, _ message: String, at location: SourceLocation?, description: String,
                        stack: String? = nil, component: String? = nil, source: String? = nil) -> Diagnostic {
        Diagnostic(severity, message, location: location, stack: stack, component: component, source: source, tagsSource: false)
            .rendering(description)
    }
}

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

extension UntrustedRefusal: DiagnosticConvertibleError {
    /// Where the refused construct is: file:line:column, stack and component.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        .located(severity, located, at: location, description: description, stack: stack, component: component)
    }
}

extension GeneratedPathTooLong: DiagnosticConvertibleError {
    /// The stack and component whose generated name is too long.
    public func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        .about(severity, description, stack: stack, component: component)
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

extension StoreHooks.Failure: DiagnosticConvertibleError {
    /// The component and stack whose hook failed.
    func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        .about(severity, description, stack: stack, component: component)
    }
}
