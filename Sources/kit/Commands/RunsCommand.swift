import ArgumentParser
import Foundation
import KitCore

/// `kit runs list|show`: the run records in `<repo>/.kit/runs.db`.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Show the terraform runs kit recorded.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self])

    /// The repository's run database path, and the store when the file exists (reading never creates it).
    static func store(_ context: CLIContext) throws -> (path: String, store: RunStore?) {
        let path = RunStore.path(in: try context.config())
        // A link at the database path is refused (even a dangling one), never read through.
        if let reason = WriteTargets.redirection(at: path) { throw RunStoreError.linked(path: path, reason: reason) }
        guard FileManager.default.fileExists(atPath: path) else { return (path, nil) }
        return (path, try RunStore(path: path))
    }
}

/// `--format table|json` for `kit runs list`.
enum RunsListFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

/// `--format text|json` for `kit runs show`.
enum RunsShowFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

/// `kit runs list`: recorded runs, newest first.
struct RunsListCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded runs, newest first.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("stack")], help: "Only runs in this stack.") var stack: String?
    @Option(name: [.short, .customLong("component")], help: "Only runs of this component.") var component: String?
    @Option(help: "Only runs started since: a duration (30m, 12h, 1d, 2w) or a date (2026-11-30, UTC).") var since: String?
    @Option(help: "At most this many runs.") var limit: Int?
    @Option(help: "table or json.") var format: RunsListFormat = .table

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got '\(limit)'") }
    }

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            var start: Date?
            if let since {
                do { start = try RunSince.date(from: since, now: Date()) } catch {
                    diagnostics.error("\(error)")
                    throw ExitCode(64)
                }
            }
            let (path, store) = try RunsCommand.store(context)
            guard let store else {
                diagnostics.note("no runs recorded yet in '\(path)'")
                if format == .json { Output.write(JSONWriter.prettyBytes(.list([]))) }
                return
            }
            let runs = try store.list(stack: stack, component: component, since: start, limit: limit)
            switch format {
            case .table: Output.write(RunReport.table(runs))
            case .json: Output.write(JSONWriter.prettyBytes(.list(runs.map(RunReport.value))))
            }
        }
    }
}

/// `kit runs show <id>`: every field of one run.
struct RunsShowCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one recorded run.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The run id (see 'kit runs list').") var id: Int64
    @Option(help: "text or json.") var format: RunsShowFormat = .text

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        try context.run {
            let (path, store) = try RunsCommand.store(context)
            guard let run = try store?.run(id: id) else { throw RunStoreError.unknownRun(path: path, id: id) }
            switch format {
            case .text: Output.write(RunReport.text(run))
            case .json: Output.write(JSONWriter.prettyBytes(RunReport.value(run)))
            }
        }
    }
}
