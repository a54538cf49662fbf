import KitModel
import KitStacks
/// What plugins contributed to a run (from `adapt`), merged over all plugins that answer.
public struct RunAdaptation: Sendable {
    /// A complete backend map replacing the kernel's, or nil.
    public var backend: [String: Value]?
    /// Environment for terraform; `secret` names are masked in kit's output.
    public var env: [String: String] = [:]
    public var secretEnv: Set<String> = []
    /// Deep-merged into the component's providers.
    public var providers: [String: Value] = [:]
    /// Appended to the main terraform subcommand.
    public var args: [String] = []
    /// True when some plugin reviews plans (kit then plans, shows and reviews before applying).
    public var reviewsPlans = false
    public init() {}
}

/// One step of a terraform run.
public enum TerraformStep: Equatable, Sendable {
    public static func == (a: TerraformStep, b: TerraformStep) -> Bool {
        switch (a, b) {
        case let (.write(p1, c1, s1), .write(p2, c2, s2)): return p1 == p2 && c1 == c2 && s1 == s2
        case let (.run(a1, p1), .run(a2, p2)): return a1 == a2 && p1 == p2
        case let (.remove(p1), .remove(p2)): return p1 == p2
        case let (.mirror(m1), .mirror(m2)): return m1.workingDirectory == m2.workingDirectory && m1.generated == m2.generated
        default: return false
        }
    }

    /// Write a file (atomically, owner-only when it holds variables).
    case write(path: String, content: String, summary: String)
    /// Run terraform with these arguments (after the command name).
    case run(args: [String], purpose: Purpose)
    /// Remove a file kit wrote.
    case remove(path: String)
    /// Create or refresh the pair's working directory (the module's files linked).
    case mirror(ModuleMirror)

    /// Why a terraform command runs.
    public enum Purpose: String, Sendable {
        case initialize, workspace, main, reviewPlan, showPlan, applyReviewed
    }
}

/// The exact commands kit runs for one invocation (reference §10.2), built without side effects so
/// `--dry-run` and the tests see precisely what the runner does.
public struct CommandSequence: Sendable {
    public var steps: [TerraformStep]
    /// terraform's working directory (the pair's mirror of the module folder).
    public var workingDirectory: String
    /// The root module's own folder.
    public var moduleDirectory: String
    /// Variables kit adds to the process environment.
    public var env: [String: String]
    /// Names in `env` whose values are masked in kit's output.
    public var secretEnv: Set<String>
    /// The binary.
    public var command: String
    /// True when init is part of the steps.
    public var runsInit: Bool
    /// The planfile reviewed before apply, when plugins review plans.
    public var reviewPlanfile: String?
    /// True when kit must ask before applying the reviewed plan (no -auto-approve given).
    public var needsApproval: Bool

    /// Builds the sequence; `initFresh` says the init fingerprint is unchanged; `selectedWorkspace` is
    /// the workspace the pair's data directory has selected (`$TF_DATA_DIR/environment`), if any.
    public static func build(_ c: ResolvedComponent, _ inv: TerraformInvocation, config: KitConfig,
                             files: WorkingFiles, adaptation: RunAdaptation = RunAdaptation(),
                             processEnv: [String: String], initFresh: Bool, selectedWorkspace: String? = nil,
                             initializedBefore: Bool = true) -> CommandSequence {
        let tf = config.terraform
        let sub = inv.terraformSubcommand
        var steps: [TerraformStep] = []
        let varfileName = Paths.basename(files.varfile)
        let planfile = inv.planfile ?? Paths.basename(files.planfile)

        // Varfile (not for workspace, nor when applying a saved plan).
        let writesVarfile = sub != "workspace" && !inv.fromPlan && inv.planfile == nil
        if writesVarfile {
            let inFile = c.vars.keys.filter { !c.secretVars.contains($0) }.sorted()
            steps.append(.write(path: files.varfile, content: WorkingFiles.varfileContent(c),
                                summary: "\(inFile.count) variables: \(inFile.joined(separator: ", "))"))
        }

        // The pair's working directory; generated files are written into it after this step.
        let mirrorIndex = steps.count
        // Backend: backend.tf.json holds the type; the values go through -backend-config from the pair's own directory.
        var backendArgs: [String] = []
        if tf.autoGenerateBackendFile, !c.backendType.isEmpty {
            let backend = files.backendSettings(type: c.backendType, adaptation.backend ?? c.backend)
            if c.backendType == "cloud" {
                steps.append(.write(path: files.workingDirectory + "/backend.tf.json",
                                    content: JSONWriter.pretty(WorkingFiles.backendDocument(type: "cloud", backend: backend, workspace: c.workspace)),
                                    summary: "terraform cloud block"))
            } else {
                steps.append(.write(path: files.workingDirectory + "/backend.tf.json",
                                    content: JSONWriter.pretty(WorkingFiles.backendTypeDocument(type: c.backendType)),
                                    summary: "backend \"\(c.backendType)\" (type only)"))
                steps.append(.write(path: files.backendConfigFile, content: HCLWriter.attributes(backend),
                                    summary: "\(c.backendType) backend settings: \(backend.keys.sorted().joined(separator: ", "))"))
                backendArgs = ["-backend-config=" + files.backendConfigFile]
            }
        }

        // Provider overrides.
        let providers = DeepMerge.merge([c.providers, adaptation.providers], strategy: .replace)
        if !providers.isEmpty {
            steps.append(.write(path: files.workingDirectory + "/providers_override.tf.json",
                                content: JSONWriter.pretty(WorkingFiles.providersDocument(providers)),
                                summary: "providers: \(providers.keys.sorted().joined(separator: ", "))"))
        }
        if c.requiredVersion != nil || !c.requiredProviders.isEmpty {
            var block: [String: Value] = [:]
            if let rv = c.requiredVersion { block["required_version"] = .string(rv) }
            if !c.requiredProviders.isEmpty { block["required_providers"] = .map(c.requiredProviders) }
            steps.append(.write(path: files.workingDirectory + "/terraform_override.tf.json",
                                content: JSONWriter.pretty(.map(["terraform": .map(block)])), summary: "required_version/required_providers"))
        }

        // The component's `generate` section, beside the files above (checked by the runner first).
        steps += GeneratedFiles.writeSteps(c, workingDirectory: files.workingDirectory)

        let generated = Set(steps[mirrorIndex...].compactMap { step -> String? in
            if case .write(let path, _, _) = step, Paths.dirname(path) == files.workingDirectory { return Paths.basename(path) }
            return nil
        })
        let reviewedName = Paths.basename(files.planfile).replacingAll(".planfile", with: ".reviewed.planfile")
        var links: [String: String] = [
            Paths.basename(files.varfile): files.varfile,
            Paths.basename(files.planfile): files.planfile,
            reviewedName: files.componentDirectory + "/" + reviewedName,
        ]
        if let p = inv.planfile, !p.contains("/") { links[p] = files.componentDirectory + "/" + p }
        steps.insert(.mirror(ModuleMirror(basePath: tf.basePath, folder: c.folder, root: files.mirrorRoot,
                                          generated: generated, extraLinks: links)), at: mirrorIndex)

        // Init (reference §10.2 step 7), skipped when the fingerprint is unchanged.
        var initArgs = ["init"]
        if tf.initRunReconfigure || sub == "workspace" { initArgs.append("-reconfigure") }
        initArgs += backendArgs
        if tf.initPassVars && writesVarfile { initArgs += ["-var-file", varfileName] }
        // `deploy` without deploy_run_init skips init as atmos does — unless the pair was never
        // initialised, where terraform would only fail with "Backend initialization required".
        let skipInit = sub == "init" || inv.skipInit || (inv.subcommand == .deploy && !tf.deployRunInit && initializedBefore) ||
            (initFresh && !inv.forceInit)
        if !skipInit { steps.append(.run(args: initArgs, purpose: .initialize)) }

        // Workspace.
        // Also skipped when no init runs and the pair's data directory already has this workspace
        // selected: `select -or-create` would be a no-op costing a terraform start (~65 ms).
        let alreadySelected = skipInit && selectedWorkspace == c.workspace
        let workspaceSkipped = ["init", "workspace", "providers", "version", "login", "logout"].contains(sub) ||
            c.backendType == "http" || processEnv["TF_WORKSPACE"] != nil || alreadySelected
        if !workspaceSkipped {
            steps.append(.run(args: ["workspace", "select", "-or-create", c.workspace], purpose: .workspace))
        }

        // The main command.
        var pass = inv.passThrough
        let autoApprove = (inv.subcommand == .deploy || (sub == "apply" && tf.applyAutoApprove)) && !inv.fromPlan
        if autoApprove && !pass.contains("-auto-approve") { pass.append("-auto-approve") }
        let extra = adaptation.args
        var reviewPlanfile: String?
        switch sub {
        case "plan":
            var args = ["plan", "-var-file", varfileName] + extra + pass
            let userOut = pass.contains { $0 == "-out" || $0.hasPrefix("-out=") }
            let writesPlanfile = !(inv.skipPlanfile || tf.planSkipPlanfile || userOut)
            if writesPlanfile { args += ["-out", planfile] }
            steps.append(.run(args: args, purpose: .main))
            // Plugins review every plan kit saves; a blocked plan's planfile is removed, so it cannot be applied.
            if adaptation.reviewsPlans && writesPlanfile {
                steps.append(.run(args: ["show", "-json", planfile], purpose: .showPlan))
            }
        case "apply" where inv.fromPlan || inv.planfile != nil:
            if adaptation.reviewsPlans {
                steps.append(.run(args: ["show", "-json", planfile], purpose: .showPlan))
            }
            // A saved planfile carries its variables, and terraform refuses -var/-var-file with one.
            steps.append(.run(args: ["apply"] + Self.withoutVariables(extra) + pass.filter { $0 != "-auto-approve" } + [planfile], purpose: .main))
        case "apply" where adaptation.reviewsPlans, "destroy" where adaptation.reviewsPlans:
            // Plan, show, review, then apply exactly the reviewed plan.
            let reviewed = Paths.basename(files.planfile).replacingAll(".planfile", with: ".reviewed.planfile")
            reviewPlanfile = files.componentDirectory + "/" + reviewed
            let planPass = pass.filter { $0 != "-auto-approve" }
            steps.append(.run(args: ["plan", "-var-file", varfileName] + (sub == "destroy" ? ["-destroy"] : []) + extra + planPass + ["-out", reviewed], purpose: .reviewPlan))
            steps.append(.run(args: ["show", "-json", reviewed], purpose: .showPlan))
            steps.append(.run(args: ["apply"] + [reviewed], purpose: .applyReviewed))
        case "apply", "destroy", "import", "refresh", "test":
            steps.append(.run(args: [sub, "-var-file", varfileName] + extra + pass, purpose: .main))
        case "init":
            steps.append(.run(args: initArgs + pass, purpose: .main))
        case "workspace":
            switch inv.subSubcommand {
            case nil: break
            case "list", "show": steps.append(.run(args: ["workspace", inv.subSubcommand!] + pass, purpose: .main))
            default: steps.append(.run(args: ["workspace", inv.subSubcommand!, c.workspace] + pass, purpose: .main))
            }
        case "providers":
            steps.append(.run(args: ["providers"] + (inv.subSubcommand.map { [$0] } ?? []) + pass, purpose: .main))
        case "state":
            var stateArgs = ["state"] + (inv.subSubcommand.map { [$0] } ?? [])
            // terraform writes the local backend's state backup under ./terraform.tfstate.d whatever
            // workspace_dir says; keep it beside the pair's state instead (the working directory is kit's).
            if c.backendType == "local", let op = inv.subSubcommand, ["rm", "mv", "push", "replace-provider"].contains(op),
               !pass.contains(where: { $0.hasPrefix("-backup") }) {
                stateArgs.append("-backup=" + ReferenceResolver.localStatePath(c, config: config) + ".backup")
            }
            steps.append(.run(args: stateArgs + pass, purpose: .main))
        default:
            steps.append(.run(args: [sub] + pass, purpose: .main))
        }

        // Colour follows kit's rule: terraform's own codes only on a terminal without NO_COLOR.
        if inv.noColor {
            let takesNoColor: Set<String> = ["init", "plan", "apply", "destroy", "refresh", "import", "output", "validate", "show", "test", "get", "console"]
            steps = steps.map { step in
                guard case .run(let args, let purpose) = step, let first = args.first, takesNoColor.contains(first),
                      !args.contains("-no-color") else { return step }
                return .run(args: [first, "-no-color"] + args.dropFirst(), purpose: purpose)
            }
        }

        // Clean-up (reference §10.2 step 11).
        if reviewPlanfile != nil { steps.append(.remove(path: reviewPlanfile!)) }
        if !["plan", "show"].contains(sub) && inv.planfile == nil { steps.append(.remove(path: files.planfile)) }
        if sub == "apply" { steps.append(.remove(path: files.varfile)) }

        // Environment.
        var env: [String: String] = [:]
        for (k, v) in DeepMerge.merge([config.env, c.env]) {
            if case .null = v { continue }
            if case .string(let s) = v, s == "null" { continue }
            env[k] = v.interpolated
        }
        env["TF_IN_AUTOMATION"] = "true"
        env["TF_DATA_DIR"] = files.dataDirectory
        env["KIT_STACK"] = c.stackName
        env["KIT_COMPONENT"] = c.name
        env["KIT_WORKSPACE"] = c.workspace
        if let ua = tf.appendUserAgent { env["TF_APPEND_USER_AGENT"] = ua }
        if let cache = tf.pluginCacheDir, processEnv["TF_PLUGIN_CACHE_DIR"] == nil {
            env["TF_PLUGIN_CACHE_DIR"] = cache
            env["TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE"] = "true"
        }
        for (k, v) in adaptation.env { env[k] = v }
        // `!secret` values reach terraform through the environment only (never a file, never shown).
        let secretVariables = writesVarfile ? WorkingFiles.secretVariables(c) : [:]
        for (k, v) in secretVariables { env[k] = v }

        return CommandSequence(steps: steps, workingDirectory: files.workingDirectory, moduleDirectory: files.componentDirectory, env: env,
                               secretEnv: adaptation.secretEnv.union(secretVariables.keys), command: c.command, runsInit: !skipInit,
                               reviewPlanfile: reviewPlanfile,
                               needsApproval: reviewPlanfile != nil && !pass.contains("-auto-approve"))
    }

    /// Environment variables kit sets from its own computation (paths, names): `--dry-run` shows their
    /// values. Every other variable is shown by name only.
    static let kitOwnedEnv: Set<String> = ["TF_IN_AUTOMATION", "TF_DATA_DIR", "KIT_STACK", "KIT_COMPONENT", "KIT_WORKSPACE",
                                           "TF_APPEND_USER_AGENT", "TF_PLUGIN_CACHE_DIR", "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE"]

    /// `args` without `-var`/`-var-file` options (`-var X`, `-var=X`, `-var-file X`, `-var-file=X`).
    static func withoutVariables(_ args: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for a in args {
            if skipNext { skipNext = false; continue }
            if a == "-var" || a == "-var-file" { skipNext = true; continue }
            if a.hasPrefix("-var=") || a.hasPrefix("-var-file=") { continue }
            result.append(a)
        }
        return result
    }

    /// The sequence as text for `--dry-run`: a script a person can paste from the repository root.
    /// kit's own steps (files it writes, links, removes) are `# kit:` comments with repository-relative
    /// paths; after the `cd`, every path in the environment and the arguments is relative to terraform's
    /// working directory, and every value is shell-quoted. Secrets are masked; no timestamps.
    public func describe(relativeTo base: String) -> String {
        func rel(_ p: String) -> String { Paths.relative(p, to: base) }
        func fromWorkingDirectory(_ text: String) -> String {
            guard text.hasPrefix(base + "/") || text == base else { return text }
            return ShellText.relativePath(from: workingDirectory, to: text)
        }
        func shownArgument(_ a: String) -> String {
            if let eq = a.firstIndex(of: "="), a.hasPrefix("-") {
                let value = String(a[a.index(after: eq)...])
                return ShellText.quote(String(a[...eq]) + fromWorkingDirectory(value))
            }
            return ShellText.quote(fromWorkingDirectory(a))
        }
        var out = ""
        var changedDirectory = false
        for step in steps {
            switch step {
            case .write(let path, _, let summary): out += "# kit: write \(rel(path))  (\(summary))\n"
            case .remove(let path): out += "# kit: remove \(rel(path))\n"
            case .mirror(let m): out += "# kit: link \(rel(m.basePath + "/" + m.folder))/* into \(rel(m.workingDirectory))  (the pair's working directory)\n"
            case .run(let args, let purpose):
                if !changedDirectory {
                    out += "cd \(ShellText.quote(rel(workingDirectory)))\n"
                    // Values kit computes itself are shown; values from `env:` sections and plugins may be
                    // secrets (TF_VAR_db_password, tokens): their names only.
                    let shown = env.keys.sorted().filter { Self.kitOwnedEnv.contains($0) && !secretEnv.contains($0) }
                    let hidden = env.keys.sorted().filter { !shown.contains($0) }
                    if !hidden.isEmpty { out += "# kit: env (values not shown): \(hidden.joined(separator: " "))\n" }
                    let assignments = shown.map { k in "\(k)=" + ShellText.quote(fromWorkingDirectory(env[k]!)) }
                    if !assignments.isEmpty { out += "export \(assignments.joined(separator: " "))\n" }
                    changedDirectory = true
                }
                out += ShellText.quote(command) + " " + args.map(shownArgument).joined(separator: " ")
                    + (purpose == .main ? "" : "  # \(purpose.rawValue)") + "\n"
            }
        }
        return out
    }
}
