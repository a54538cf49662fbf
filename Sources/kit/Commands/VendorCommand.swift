import ArgumentParser
import Foundation
import KitCore
import KitPluginSDK
import Synchronization

/// `kit vendor pull|diff|verify`: components pulled into the repository from vendor.yaml / component.yaml.
struct VendorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendor",
        abstract: "Pull components into the repository from vendor.yaml or component.yaml (atmos's formats).",
        discussion: "See docs/vendor.md. The lock file vendor.lock.json records what each target was pulled from.",
        subcommands: [VendorPullCommand.self, VendorDiffCommand.self, VendorVerifyCommand.self])
}

/// The selection flags shared by the vendor subcommands.
struct VendorSelectionOptions: ParsableArguments {
    @Option(name: [.short, .customLong("component")], help: "Only this component (its vendor.yaml entry, or its component.yaml).")
    var component: String?
    @Option(help: "Only sources with one of these tags (comma-separated).") var tags: String?
    @Option(name: [.short, .customLong("type")], help: "Component type for component.yaml lookup: terraform (default).")
    var type: String = "terraform"
    @Flag(help: "Every source of the manifest (the default without --component or --tags; kept for atmos's flag).")
    var everything = false
    @Option(name: [.short, .customLong("stack")], help: "Only the components of this stack (each from its vendor.yaml entry or component.yaml).")
    var stack: String?
    @Option(help: "Only components whose metadata.labels have all of these, e.g. 'tier=foundational,env=test' (with --stack: within it).")
    var labels: String?

    func validate() throws {
        if everything && (component != nil || tags != nil || stack != nil || labels != nil) {
            throw ValidationError("--everything cannot be combined with --component, --tags, --stack or --labels")
        }
        if component != nil && (stack != nil || labels != nil) { throw ValidationError("--component cannot be combined with --stack or --labels") }
        if type != "terraform" { throw ValidationError("--type '\(type)' is not supported by kit — kit vendors terraform components only") }
        _ = try labelPairs()
    }

    /// `--labels k=v,k=v`.
    func labelPairs() throws -> [(String, String)] {
        guard let labels else { return [] }
        return try labels.split(separator: ",").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--labels '\(UserText.escaped(String(pair)))' is not 'key=value' (several: 'tier=core,env=prod')")
            }
            return (parts[0], parts[1])
        }
    }

    /// The selection; `--stack` / `--labels` resolve the stacks to find the component folders.
    func selection(_ session: KitSession) throws -> VendorSelection {
        var s = VendorSelection(component: component, tags: tags.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [],
                                componentType: type)
        guard stack != nil || labels != nil else { return s }
        let wanted = try labelPairs()
        let catalog = try session.catalog()
        let (items, failures) = catalog.surveyReporting { $0 }
        // A stack that failed to resolve cannot say which components it vendors: an error, never a short list.
        let relevant = failures.filter { stack == nil || $0.stack == stack || stripExtension($0.stackFile) == stack }
        if let first = relevant.first { throw first.error }
        let instances = items.map(\.value).filter { c in
            !c.isAbstract && (stack == nil || c.stackName == stack || c.stackFileID == stack)
                && wanted.allSatisfy { key, value in c.metadata["labels"]?[key]?.stringValue == value }
        }
        if let stack, !items.contains(where: { $0.value.stackName == stack || $0.value.stackFileID == stack }) {
            throw StackError.unknownStack(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(Set(items.map(\.value.stackName)))).first, component: nil)
        }
        s.components = Array(Set(instances.map(\.folder))).sorted()
        return s
    }
}

/// Builds the planner and runner from the session: its configuration, environment, working
/// directory, template renderer and plugin hooks (no second plugin registry).
enum VendorSetup {
    static func planner(_ session: KitSession) -> VendorPlanner {
        let config = session.config
        let configured = config.rawConfiguration.value(at: ["vendor", "base_path"])?.stringValue
        let manifest = Paths.join(config.basePath, configured.flatMap { $0.isEmpty ? nil : $0 } ?? "vendor.yaml")
        return VendorPlanner(basePath: config.basePath, manifestPath: manifest, componentsPath: config.terraform.basePath,
                             templates: session.templates)
    }

    /// The selected items of pull, diff and verify; with `--stack`/`--labels`, a note names the selected
    /// components that have no vendor source, and says so when nothing matches.
    static func items(_ session: KitSession, _ options: VendorSelectionOptions, _ diagnostics: Diagnostics) throws -> [VendorItem] {
        let selection = try options.selection(session)
        let (items, skipped) = try planner(session).plan(selection)
        if !skipped.isEmpty {
            diagnostics.note("left out, no vendor.yaml entry or component.yaml: \(skipped.map { UserText.quoted($0) }.joined(separator: ", "))")
        }
        if selection.components?.isEmpty == true { diagnostics.note("no component matches the selection") }
        return items
    }

    static func runner(_ session: KitSession, maxConcurrency: Int) -> VendorRunner {
        let progress = isatty(2) == 1
        let fetcher = VendorFetcher(processes: SystemProcessRunner(), environment: session.environment,
                                    pluginSource: pluginSource(session))
        return VendorRunner(fetcher: fetcher,
                            basePath: session.config.basePath, maxConcurrency: maxConcurrency) { event in
            guard progress, case .finished(let o) = event else { return }
            FileHandle.standardError.write(Data((VendorReport.line(o) + "\n").utf8))
        }
    }

    /// `fetch_source` through the session's plugins, loaded on the first plugin-served source (a run
    /// with only git, http and local sources loads none); nil with plugins off (`KIT_NO_PLUGINS=1`).
    static func pluginSource(_ session: KitSession) -> (@Sendable (FetchSourceRequest) throws -> FetchSourceResponse?)? {
        guard !session.config.pluginsDisabled else { return nil }
        let hooks = session.hooks
        return { request in
            for plugin in try hooks.plugins() {
                if let answer = try plugin.fetchSource(request) { return answer }
            }
            return nil
        }
    }
}

/// Text for vendor outcomes.
enum VendorReport {
    static func line(_ o: VendorOutcome) -> String {
        let what: String
        switch o.status {
        case .unchanged: what = "unchanged"
        case .pulled(let a, let r, let c): what = "pulled (\(a) added, \(c) changed, \(r) removed)"
        case .wouldPull: what = "would pull"
        case .differs(let a, let r, let c): what = a.isEmpty && r.isEmpty && c.isEmpty ? "no differences" : "\(a.count + r.count + c.count) differences"
        case .failed: what = "failed"
        }
        return "\(o.component) → \(o.target) [\(o.kind) \(o.source)]: \(what) (\(o.milliseconds) ms)"
    }
}

/// `kit vendor pull`.
struct VendorPullCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Pull the selected sources into their targets.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: VendorSelectionOptions
    @Flag(help: "Show what would be pulled; fetch and write nothing.") var dryRun = false
    @Option(help: "Sources fetched at once (default 4).") var maxConcurrency: Int = 4

    func validate() throws {
        if maxConcurrency < 1 { throw ValidationError("--max-concurrency must be at least 1, got '\(maxConcurrency)'") }
    }

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let session = try context.session()
            let items = try VendorSetup.items(session, options, diagnostics)
            let outcomes = try VendorSetup.runner(session, maxConcurrency: maxConcurrency).run(items, mode: dryRun ? .dryRun : .pull)
            var failed = 0
            for o in outcomes {
                if case .failed(let message) = o.status { diagnostics.error(message); failed += 1 }
            }
            Output.write(outcomes.map(VendorReport.line).joined(separator: "\n") + (outcomes.isEmpty ? "" : "\n"))
            let copied = outcomes.filter { if case .pulled = $0.status { return true }; return false }.count
            let unchanged = outcomes.filter { $0.status == .unchanged }.count
            if !dryRun { diagnostics.note("\(outcomes.count) targets: \(copied) pulled, \(unchanged) unchanged, \(failed) failed") }
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

/// `kit vendor diff`: fetches the sources and lists what a pull would change in each target.
struct VendorDiffCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Show which files a pull would add, change or remove.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: VendorSelectionOptions
    @Option(help: "Sources fetched at once (default 4).") var maxConcurrency: Int = 4

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let session = try context.session()
            let items = try VendorSetup.items(session, options, diagnostics)
            let outcomes = try VendorSetup.runner(session, maxConcurrency: maxConcurrency).run(items, mode: .diff)
            var text = "", differing = 0, failed = 0
            for o in outcomes {
                switch o.status {
                case .differs(let a, let r, let c):
                    if a.isEmpty && r.isEmpty && c.isEmpty { text += "\(o.target): up to date\n"; continue }
                    differing += 1
                    text += "\(o.target):\n"
                    for p in a { text += "  + \(p)\n" }
                    for p in c { text += "  ~ \(p)\n" }
                    for p in r { text += "  - \(p)\n" }
                case .failed(let message): diagnostics.error(message); failed += 1
                default: break
                }
            }
            Output.write(text)
            if failed > 0 { throw ExitCode(1) }
            if differing > 0 { throw ExitCode(2) }
        }
    }
}

/// `kit vendor verify`: checks each target against vendor.lock.json.
struct VendorVerifyCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the vendored files against vendor.lock.json (exit 1 on any difference).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: VendorSelectionOptions

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let session = try context.session()
            let config = session.config
            let items = try VendorSetup.items(session, options, diagnostics)
            let lock = try VendorLockFile.read(Paths.join(config.basePath, VendorLockFile.fileName))
            let problems = VendorVerifier.verify(lock: lock, items: items, basePath: config.basePath)
            for p in problems { diagnostics.error(p.description) }
            if !problems.isEmpty { throw ExitCode(1) }
            Output.write("\(items.count) targets match \(VendorLockFile.fileName)\n")
        }
    }
}
