import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// `kit terraform generate varfile|backend <component> -s <stack> [-f file] [--dry-run]`: the files a
/// run would write, through the same pipeline (functions evaluated, references read unless
/// `--dry-run`), so the generated varfile is byte for byte the one terraform gets.
struct GenerateRun {
    let service: TerraformRunService
    var session: KitSession { service.session }

    func run(_ inv: TerraformInvocation, _ found: ResolvedComponent) throws -> Int32 {
        let config = session.config
        // The varfile holds values read from other components (unless --dry-run); the backend needs none.
        let readReferences = !inv.dryRun && inv.subSubcommand == "varfile"
        let c = try session.pipeline().prepare(found, validation: inv.validation, readReferences: readReferences).component
        let files = WorkingFiles(component: c, config: config)
        try files.checkNameLengths(stack: c.stackName, component: c.name)
        let content: String
        let defaultPath: String
        switch inv.subSubcommand {
        case "varfile":
            content = WorkingFiles.varfileContent(c)
            defaultPath = files.varfile
        case "backend":
            guard !c.backendType.isEmpty else { throw TerraformError.backendTypeRequired(component: c.name, stack: c.stackName) }
            // The backend terraform will actually get: the plugins complete and check it, as for a run.
            let (adaptation, findings) = try session.hooks.adapt(c, operation: "plan")
            for f in findings { session.diagnostics.emit(Diagnostic(f)) }
            let errors = findings.filter { $0.severity == .error }.count
            if errors > 0 && inv.overrideGuardrails == nil {
                throw TerraformError.blockedByGuardrails(component: c.name, stack: c.stackName, count: errors)
            }
            content = JSONWriter.pretty(WorkingFiles.backendDocument(type: c.backendType,
                                                                     backend: files.backendSettings(type: c.backendType, adaptation.backend ?? c.backend),
                                                                     workspace: c.workspace))
            defaultPath = files.componentDirectory + "/backend.tf.json"
        default:
            throw TerraformInvocation.UsageError(message: "unknown generate target '\(inv.subSubcommand ?? "")' — use 'varfile' or 'backend'")
        }
        let path = inv.outputFile.map { Paths.join(session.workingDirectory, $0) } ?? defaultPath
        if inv.dryRun {
            service.console.output(content)
            return 0
        }
        if inv.outputFile == nil, let reason = WriteTargets.redirection(at: path) {
            throw TerraformError.redirectedWrite(path: Paths.relative(path, to: config.basePath), reason: reason, component: c.name, stack: c.stackName)
        }
        // The varfile's `<stack>-<component>` name may be another pair's: the same claim as a run.
        if inv.outputFile == nil && inv.subSubcommand == "varfile" {
            try FileNameClaims(config: config).claim(files, stack: c.stackName, component: c.name)
        }
        do { try AtomicFile.write(content, to: path, mode: 0o600) } catch let e as POSIXFailure {
            let shown = inv.outputFile ?? Paths.relative(path, to: config.basePath)
            throw TerraformError.writeFailed(path: shown, reason: "\(e)")
        }
        session.diagnostics.emit(Diagnostic(.note, "wrote \(Paths.relative(path, to: config.basePath))"))
        return 0
    }
}
