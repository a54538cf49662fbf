import ArgumentParser
import KitCore

/// `--format` for `describe affected`.
enum AffectedFormat: String, ExpressibleByArgument, CaseIterable { case json, yaml, matrix }

/// `kit describe affected --base <ref> [--head <ref>] [--include-dependents] [--format json|yaml|matrix]`.
struct DescribeAffectedCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "affected",
        abstract: "List the components whose configuration, terraform folder, local modules or dependency files changed between two git refs.",
        discussion: """
        The base ref is read from git objects (no checkout, no clone); the head is the work tree unless
        --head names a ref. --format matrix prints {"include":[{stack, component, wave, …}]} for a GitHub
        Actions strategy.matrix, one wave per dependency level.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The ref to compare against (a branch, tag or commit, e.g. origin/main).") var base: String
    @Option(help: "The ref to compare (default: the work tree, including uncommitted changes).") var head: String?
    @Flag(help: "Also report every component that depends on an affected one.") var includeDependents = false
    @Option(help: "json, yaml or matrix.") var format: AffectedFormat = .json

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            // Plugin paths and pins, external paths and the terraform command: the base ref's.
            let session = try context.session(baseRef: base)
            let config = session.config
            let analysis = AffectedAnalysis(session: session)
            let report = try analysis.run(.init(base: base, head: head, includeDependents: includeDependents,
                                                needsGraph: format == .matrix))
            for w in report.warnings { diagnostics.emit(w) }
            let terraformBase = Paths.relative(config.terraform.basePath, to: config.basePath)
            if CLIContext.environment["KIT_STATS"] != nil {
                diagnostics.note("kit-stats: resolved_files_base=\(report.resolvedFiles.base) resolved_files_head=\(report.resolvedFiles.head)")
            }
            switch format {
            case .matrix:
                Output.write(OutputFormat.json.render(AffectedDocument.matrix(report.runnable, graph: report.graph!, terraformBase: terraformBase)))
            case .json, .yaml:
                let doc = AffectedDocument.value(report, terraformBase: terraformBase, includeDependents: includeDependents)
                Output.write((format == .json ? OutputFormat.json : .yaml).render(doc))
            }
        }
    }
}
