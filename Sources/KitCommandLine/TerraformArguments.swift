import KitModel
import KitStacks
import KitTerraform

// The command line's syntax for `kit terraform`: the arguments become the kernel's typed request
// (`TerraformInvocation`); the kernel never sees an argument list.

extension TerraformInvocation {
    /// atmos's own `terraform` words, which terraform does not have: refused before anything runs
    /// (handed to terraform they would run `init` and then fail on an unknown command).
    public static let atmosOnlyWords: [String: String] = [
        "clean": "kit writes each component's files into its own working directory under .kit/ (and `kit terraform generate files --clean` removes generated files); delete what you want removed yourself",
        "planfile": "kit keeps each plan as the planfile of the component's working directory; 'kit runs list' shows the runs",
        "shell": "run terraform in the component folder after 'kit terraform generate varfile' and 'generate backend'",
        "plan-diff": "compare two 'terraform show -json' outputs with jq",
        "source": "vendor the component with 'kit vendor pull' (docs/vendor.md)",
        "backend": "kit writes the backend file on every run ('kit terraform generate backend' shows it)",
        "cache": "terraform's plugin cache is components.terraform.plugin_cache_dir",
        "migrate": "move state with terraform's own 'state' commands ('kit terraform state mv …')",
        "workdir": "kit keeps each component's working directory under .kit/",
    ]

    /// atmos's own flags of `atmos terraform …`, which terraform does not have and kit cannot honour:
    /// refused before anything runs (handed to terraform they fail there, after kit wrote files and ran init).
    public static let atmosOnlyFlags: [String: String] = [
        "--identity": "kit has no atmos auth: configure credentials in the environment (AWS_PROFILE, …)",
        "--process-templates": "kit always renders templates for terraform runs",
        "--process-functions": "kit always evaluates YAML functions for terraform runs",
    ]

    /// atmos's flags that override a `components.terraform` setting for this run.
    static func settingFlag(_ name: String) -> WritableKeyPath<TerraformSettingOverrides, Bool?>? {
        switch name {
        case "--auto-generate-backend-file": return \.autoGenerateBackendFile
        case "--init-run-reconfigure": return \.initRunReconfigure
        case "--deploy-run-init": return \.deployRunInit
        case "--init-pass-vars": return \.initPassVars
        default: return nil
        }
    }

    /// Parses the arguments after `kit terraform`.
    public static func parse(_ args: [String]) throws -> TerraformInvocation {
        var inv = TerraformInvocation(subcommand: "", component: "", stack: "")
        if let first = args.first, Self.toolWords.contains(first) {
            inv.subcommand = TerraformSubcommand(first)
            inv.toolArguments = args
            return inv
        }
        var positional: [String] = []
        var i = 0
        let kitArgs = args.prefix { $0 != "--" }
        let estateMode = kitArgs.contains { a in
            ["--all", "--components", "--query", "--affected"].contains(a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a)
        }
        var flags = EstateFlags()
        func value(_ flag: String) throws -> String {
            if let eq = args[i].firstIndex(of: "=") { return String(args[i][args[i].index(after: eq)...]) }
            guard i + 1 < args.count else { throw UsageError(message: "missing value for '\(flag)'") }
            i += 1
            return args[i]
        }
        while i < args.count {
            let a = args[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            switch name {
            case "--":
                inv.passThrough += args[(i + 1)...]
                i = args.count
                continue
            case "-s", "--stack": inv.stack = try value(name)
            case "--dry-run": inv.dryRun = true
            case "--no-color": inv.noColor = true
            case "--untrusted": inv.untrusted = true
            case "--diagnostics": _ = try value(name)   // read by the CLI's diagnostics sink
            case "--skip-init": inv.skipInit = true
            case "--init": inv.forceInit = true
            case "--skip-planfile": inv.skipPlanfile = true
            case "--from-plan":
                inv.fromPlan = true
                if a.contains("=") { inv.planfile = try value(name) }
            case "--planfile": inv.planfile = try value(name)
            case "--override-guardrails": inv.overrideGuardrails = try value(name)
            case "--plan-json": inv.planJSON = try value(name)
            case "-f", "--file": inv.outputFile = try value(name)
            case "--format": inv.format = try value(name)
            case "--all": flags.all = true
            case "--components":
                flags.components += try value(name).split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            case "--query": flags.query = try value(name)
            case "--include-dependents": flags.includeDependents = true
            case "--max-concurrency":
                let text = try value(name)
                guard let n = Int(text), n >= 1, n <= 256 else {
                    throw UsageError(message: "--max-concurrency '\(text)' must be a whole number from 1 to 256")
                }
                flags.maxConcurrency = n
            case "--failure-mode":
                let text = try value(name)
                guard let mode = FailureMode(rawValue: text) else {
                    throw UsageError(message: "--failure-mode '\(text)' is not \(Self.choices(FailureMode.allCases))")
                }
                flags.failureMode = mode
            case "--log-order":
                let text = try value(name)
                guard let order = LogOrder(rawValue: text) else {
                    throw UsageError(message: "--log-order '\(text)' is not \(Self.choices(LogOrder.allCases))")
                }
                flags.logOrder = order
            case "--summary-file": flags.summaryFile = try value(name)
            // Pipelines (issue 8).
            case "--affected": flags.affected = true
            case "--base": flags.base = try value(name)
            case "--head": flags.head = try value(name)
            case "--drift": flags.drift = true
            case _ where Self.settingFlag(name) != nil:
                // `--flag` or `--flag=true|false` (atmos's boolean flags take no separate value).
                var on = true
                if let eq = a.firstIndex(of: "=") {
                    switch a[a.index(after: eq)...] {
                    case "true": on = true
                    case "false": on = false
                    default: throw UsageError(message: "'\(a)' — \(name) is true or false ('\(name)' alone means true)")
                    }
                }
                inv.settingOverrides[keyPath: Self.settingFlag(name)!] = on
            case _ where Self.atmosOnlyFlags[name] != nil:
                throw UsageError(message: "'\(name)' is an atmos flag kit does not have — \(Self.atmosOnlyFlags[name]!)")
            default:
                // `plan vpc -s prod --all`: a component with a selection flag (atmos refuses it too).
                if estateMode && positional.count == 1 && inv.passThrough.isEmpty && !a.hasPrefix("-") && !Self.isSecondWord(a, of: positional[0]) {
                    let selector = ["--all", "--components", "--query", "--affected"].first { f in kitArgs.contains { $0 == f || $0.hasPrefix(f + "=") } } ?? "--all"
                    throw UsageError(message: "the component '\(a)' cannot be used with \(selector) — name one component, or select several with --all, --components, --query or --affected")
                }
                let limit = estateMode ? (positional.count == 1 && Self.isSecondWord(a, of: positional[0]) ? 2 : 1) : expectedPositionals(positional)
                if a.hasPrefix("-") || !positional.isEmpty && positional.count >= limit {
                    inv.passThrough.append(a)
                } else {
                    positional.append(a)
                }
            }
            i += 1
        }
        guard let word = positional.first else {
            throw UsageError(message: "missing terraform subcommand — usage: kit terraform <plan|apply|deploy|destroy|output|…> <component> -s <stack>")
        }
        if let hint = Self.atmosOnlyWords[word] {
            throw UsageError(message: "'kit terraform \(word)' is an atmos command kit does not have — \(hint)")
        }
        let sub = TerraformSubcommand(word)
        inv.subcommand = sub
        var rest = positional.dropFirst()
        if sub == .providers, let next = rest.first, Self.isSecondWord(next, of: word) {
            // `providers lock|mirror|schema`: terraform's two-word subcommands (bare `providers` prints the tree).
            inv.subSubcommand = next
            rest = rest.dropFirst()
        }
        if sub == .workspace || sub == .generate || sub == .state {
            if let next = rest.first, rest.count >= 2 { inv.subSubcommand = next; rest = rest.dropFirst() }
            if sub == .generate && inv.subSubcommand == nil {
                throw UsageError(message: "missing what to generate — usage: kit terraform generate <varfile|backend> <component> -s <stack>")
            }
        }
        if estateMode {
            guard sub.runsForMany(second: inv.subSubcommand) else {
                throw UsageError(message: "'kit terraform \(([word] + (inv.subSubcommand.map { [$0] } ?? [])).joined(separator: " "))' runs one component — --all, --components and --query work with \(TerraformSubcommand.estateCapableText)")
            }
            if let s = flags.summaryFile, !(s.hasSuffix(".json") || s.hasSuffix(".md")) {
                throw UsageError(message: "--summary-file '\(s)' must end in .json or .md (the format follows the extension)")
            }
            if (sub == .apply || sub == .destroy) && !inv.passThrough.contains("-auto-approve") && !inv.dryRun && !inv.fromPlan {
                throw UsageError(message: "'kit terraform \(sub)' of many components needs -auto-approve (kit cannot ask for each one) — or use 'deploy', or plan first")
            }
            if !flags.components.isEmpty && flags.all {
                throw UsageError(message: "--all and --components both select components — use one of them")
            }
            // Pipelines (issue 8).
            if flags.affected && flags.base == nil {
                throw UsageError(message: "--affected needs '--base <ref>' — the ref to compare with, e.g. --base origin/main")
            }
            if !flags.affected && (flags.base != nil || flags.head != nil) {
                throw UsageError(message: "--base and --head work with --affected")
            }
            if flags.affected && flags.all {
                throw UsageError(message: "--all and --affected both select components — use one of them")
            }
            if flags.drift {
                guard sub == .plan else { throw UsageError(message: "--drift works with 'kit terraform plan' (it plans with -detailed-exitcode)") }
                if !inv.passThrough.contains("-detailed-exitcode") { inv.passThrough.append("-detailed-exitcode") }
            }
            inv.estate = flags
            inv.passThrough = Array(rest) + inv.passThrough
            return inv
        }
        for f in ["--include-dependents", "--max-concurrency", "--failure-mode", "--log-order", "--summary-file", "--base", "--head", "--drift"]
            where kitArgs.contains(where: { $0 == f || $0.hasPrefix(f + "=") }) {
            throw UsageError(message: "\(f) works with --all, --components, --query or --affected")
        }
        guard let component = rest.first else {
            throw UsageError(message: "missing component — usage: kit terraform \(sub) <component> -s <stack>")
        }
        inv.component = component
        inv.passThrough = Array(rest.dropFirst()) + inv.passThrough
        if inv.stack.isEmpty {
            throw UsageError(message: "missing '-s <stack>' — name the stack to \(sub) '\(component)' in (see 'kit list stacks')")
        }
        return inv
    }

    /// `'a' or 'b'` / `'a', 'b' or 'c'`: the accepted values of an enum flag, for usage errors.
    static func choices<E: RawRepresentable>(_ cases: [E]) -> String where E.RawValue == String {
        let quoted = cases.map { "'\($0.rawValue)'" }
        return quoted.count < 2 ? quoted.joined() : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
    }

    /// The first words that ask terraform itself about itself, with no component.
    static let toolWords: Set<String> = ["-version", "-v", "version", "-help"]

    /// How many positionals a command takes before the rest is passed through.
    static func expectedPositionals(_ p: [String]) -> Int {
        guard let sub = p.first else { return 1 }
        switch TerraformSubcommand(sub) {
        case .providers: return p.count >= 2 && !isSecondWord(p[1], of: sub) ? 2 : 3
        case .workspace, .generate, .state: return 3
        default: return 2
        }
    }

    /// The second word of one of terraform's two-word subcommands that take kit's component after it
    /// (`providers lock`, `providers mirror`, `providers schema`).
    static func isSecondWord(_ word: String, of sub: String) -> Bool {
        sub == "providers" && ["lock", "mirror", "schema"].contains(word)
    }
}
