import ArgumentParser
import Foundation
import KitCore

/// `kit list instances`: atmos's list of deployable component instances — one row per (component,
/// stack), abstract components left out — in columns (default `Component={{ .component }}` and
/// `Stack={{ .stack }}`, or `--columns 'Header={{ template }}'`, repeatable), sorted by the columns
/// in order, as a table, CSV, TSV, JSON or YAML.
struct ListInstancesCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "instances", abstract: "List deployable component instances (component, stack) as atmos does.",
        discussion: """
            Each column is 'Header={{ template }}', rendered with the instance's data: .component, .stack, \
            .component_type, .folder and its sections (.vars, .settings, .metadata, .env, .backend, …) as \
            describe stacks prints them (secret-looking vars masked; YAML functions as written). Rows are \
            sorted by the columns in order. JSON and YAML print one object per row keyed by the headers. \
            An instance that fails to resolve is an error (exit 1, after the rows that resolved).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, tsv, json, yaml }

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("stack")], help: "Only instances in this stack.") var stack: String?
    @Option(help: "table, csv, tsv, json or yaml.") var format: Format = .table
    @Option(help: "A column as 'Header={{ template }}' (repeat for several).") var columns: [String] = []
    @Option(help: "Only the instances for which this expression is true, over the template data (see docs/query.md).") var query: String?

    static let defaultColumns = ["Component={{ .component }}", "Stack={{ .stack }}"]

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        let expression = try QueryOption.parse(query, diagnostics)
        let specs: [InstanceColumn]
        do { specs = try (columns.isEmpty ? Self.defaultColumns : columns).map(InstanceColumn.parse) } catch {
            diagnostics.error(error)
            throw ExitCode(64)
        }
        try context.run {
            let session = try context.session()
            let catalog = try session.catalog()
            Statistics.catalog = catalog
            let secrets = SensitiveVariables()
            let terraformBase = catalog.config.terraform.basePath
            let (items, failures) = catalog.surveyReporting(types: StackCatalog.allComponentTypes) { $0 }
            // An instance that did not resolve is missing from the list: an error (exit 1, after the rows
            // that resolved), as in `describe stacks`; with -s only that stack's failures count.
            func counts(_ f: StackCatalog.StackFailure) -> Bool {
                stack == nil || f.stack == stack || stripExtension(f.stackFile) == stack || f.isManifestShapeError
            }
            for f in failures { diagnostics.emit(f.diagnostic(counts(f) ? .error : .warning)) }
            let all = items.map(\.value).filter { !$0.isAbstract }
            let selected = all.filter { stack == nil || $0.stackName == stack || $0.stackFileID == stack }
            try ListStackFilter.check(stack, selected: selected.count, all: all, failures: failures)
            var rows: [[String]] = []
            for c in selected {
                var data = ComponentDocument.stacksEntry(c)
                let mask = SecretMask(c, raw: nil, sensitiveNames: secrets.names(in: Paths.join(terraformBase, c.folder)))
                data["vars"] = .map(mask.vars)
                if data["env"] != nil { data["env"] = .map(mask.env) }
                data["component"] = .string(c.name)
                data["stack"] = .string(c.stackName)
                data["component_type"] = .string(c.componentType)
                data["folder"] = .string(c.folder)
                if let expression, try !expression.matches(.map(data)) { continue }
                rows.append(try specs.map { spec in
                    do {
                        return try session.templates.render(spec.template, name: spec.header, data: .map(data), ignoreMissing: false)
                    } catch {
                        throw InstanceColumn.Failure(header: spec.header, component: c.name, stack: c.stackName, error: error)
                    }
                })
            }
            rows.sort { $0.lexicographicallyPrecedes($1) }
            Output.write(InstanceTable.render(headers: specs.map(\.header), rows: rows, format: format))
            if failures.contains(where: counts) { throw ExitCode(1) }
        }
    }
}

/// One `--columns 'Header={{ template }}'`.
struct InstanceColumn {
    var header: String
    var template: String

    struct Malformed: Error, CustomStringConvertible {
        var text: String
        var description: String { "--columns \(UserText.quoted(text)) is not 'Header={{ template }}', e.g. 'Stack={{ .stack }}'" }
    }

    /// A column's template failed for one instance.
    struct Failure: Error, CustomStringConvertible {
        var header: String, component: String, stack: String, error: Error
        var description: String {
            "--columns \(UserText.quoted(header)) for component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)): \(error)"
                + " — a key some instances lack can be read with 'index', e.g. {{ index .vars \"cidr\" | default \"-\" }}"
        }
    }

    static func parse(_ text: String) throws -> InstanceColumn {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw Malformed(text: text) }
        return InstanceColumn(header: String(text[..<eq]), template: String(text[text.index(after: eq)...]))
    }
}

/// The rows as atmos's formats print them (no colour: the same bytes on a terminal and in a pipe).
enum InstanceTable {
    static func render(headers: [String], rows: [[String]], format: ListInstancesCommand.Format) -> String {
        switch format {
        case .csv:
            return ([headers] + rows).map { $0.map(csvField).joined(separator: ",") + "\n" }.joined()
        case .tsv:
            return ([headers] + rows).map { $0.map(tsvField).joined(separator: "\t") + "\n" }.joined()
        case .json, .yaml:
            let objects: [Value] = rows.map { row in .map(Dictionary(zip(headers, row.map(Value.string)), uniquingKeysWith: { _, last in last })) }
            return format == .json ? JSONWriter.pretty(.list(objects)) : YAMLWriter.document(.list(objects))
        case .table:
            let cells = ([headers] + rows).map { $0.map { tsvField($0) } }
            let widths = headers.indices.map { i in cells.map { $0[i].count }.max() ?? 0 }
            return cells.map { row in
                row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
                    .joined(separator: "  ") + "\n"
            }.joined()
        }
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Tabs and line breaks written as `\t`, `\n`, `\r` (one row per line, one cell per tab).
    static func tsvField(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }
}
