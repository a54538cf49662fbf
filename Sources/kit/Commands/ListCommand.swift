import ArgumentParser
import KitCore

/// `kit list stacks|components`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stacks, components or component instances.",
        subcommands: [ListStacksCommand.self, ListComponentsCommand.self, ListInstancesCommand.self, ListDependenciesCommand.self])
}

/// `--format plain|json|yaml` for lists (`matrix` for `list stacks`).
enum ListFormat: String, ExpressibleByArgument, CaseIterable { case plain, json, yaml, matrix }

/// `kit list stacks`: canonical stack names, one per line, sorted.
struct ListStacksCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "stacks", abstract: "List stack names.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("component")], help: "Only stacks that contain this component.") var component: String?
    @Option(help: "plain, json, yaml or matrix ({\"include\":[{\"stack\":…}]} for a GitHub Actions job matrix).") var format: ListFormat = .plain
    @Option(help: "Only the stacks for which this expression is true, over {stack, files} (see docs/query.md).") var query: String?

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        let expression = try QueryOption.parse(query, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            Statistics.catalog = catalog
            let (placements, failures) = catalog.stackFilesReporting(onlyComponents: component.map { [$0] }, types: StackCatalog.allComponentTypes)
            for f in failures { diagnostics.emit(f.diagnostic(f.isManifestShapeError ? .error : .warning)) }
            var files: [String: Set<String>] = [:]
            for p in placements { files[p.stackName, default: []].insert(p.stackFileID) }
            var names = files.keys.sorted()
            if let expression {
                names = try names.filter { try expression.matches(.map(["stack": .string($0), "files": .list(files[$0]!.sorted().map(Value.string))])) }
            }
            switch format {
            case .plain: Output.write(names.map { $0 + "\n" }.joined())
            case .matrix:
                Output.write(JSONWriter.pretty(.map(["include": .list(names.map { .map(["stack": .string($0)]) })])))
            case .json, .yaml:
                let rows: [Value] = names.map { .map(["stack": .string($0), "files": .list(files[$0]!.sorted().map(Value.string))]) }
                Output.write(format == .json ? JSONWriter.pretty(.list(rows)) : YAMLWriter.document(.list(rows)))
            }
            if names.isEmpty && !failures.isEmpty || failures.contains(where: \.isManifestShapeError) { throw ExitCode(1) }
        }
    }
}

/// `kit list components [-s stack]`.
struct ListComponentsCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "components", abstract: "List components: name, type and how many stacks deploy it.",
        discussion: """
            Plain output is atmos's: one line per component and type, tab-separated — the name, the type, \
            the number of stacks it is in — sorted by name; abstract components only with --abstract. \
            --format json|yaml prints one row per component instance (stack, folder, abstract, enabled, type).
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("stack")], help: "Only components of this stack.") var stack: String?
    @Option(help: "plain, json or yaml.") var format: ListFormat = .plain
    @Option(help: "Only the components for which this expression is true, over {component, stack, folder, abstract, enabled, type, vars, settings, metadata} (see docs/query.md).") var query: String?
    @Flag(help: "Also list abstract components (plain output; json and yaml rows always include them).") var abstract = false

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        let expression = try QueryOption.parse(query, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            Statistics.catalog = catalog
            let (items, failures) = catalog.surveyReporting(types: StackCatalog.allComponentTypes) { $0 }
            for f in failures { diagnostics.emit(f.diagnostic(f.isManifestShapeError ? .error : .warning)) }
            let all = items.map(\.value)
            var selected = all.filter { stack == nil || $0.stackName == stack || $0.stackFileID == stack }
            if let expression {
                selected = try selected.filter { c in
                    try expression.matches(.map(["component": .string(c.name), "stack": .string(c.stackName), "folder": .string(c.folder),
                                                 "abstract": .bool(c.isAbstract), "enabled": .bool(c.isEnabled), "type": .string(c.componentType),
                                                 "vars": .map(c.vars), "settings": .map(c.settings), "metadata": .map(c.metadata)]))
                }
            }
            try ListStackFilter.check(stack, selected: selected.count, all: all, failures: failures)
            switch format {
            case .matrix:
                throw ValidationError("--format matrix is for 'kit list stacks' (and 'kit describe affected') — use plain, json or yaml")
            case .plain:
                Output.write(ComponentListing.rows(selected.map { .init(name: $0.name, type: $0.componentType, stack: $0.stackName, abstract: $0.isAbstract) },
                                                   includeAbstract: abstract))
            case .json, .yaml:
                let rows: [Value] = selected.map { c in
                    .map(["component": .string(c.name), "stack": .string(c.stackName), "folder": .string(c.folder),
                          "abstract": .bool(c.isAbstract), "enabled": .bool(c.isEnabled), "type": .string(c.componentType)])
                }
                Output.write(format == .json ? JSONWriter.pretty(.list(rows)) : YAMLWriter.document(.list(rows)))
            }
            if failures.contains(where: \.isManifestShapeError) { throw ExitCode(1) }
        }
    }
}

/// The plain `list components` table (atmos's default columns Component, Type, Stacks, tab-separated
/// when not on a terminal, as atmos prints them).
enum ComponentListing {
    struct Instance {
        var name: String
        var type: String
        var stack: String
        var abstract: Bool
    }

    /// One line per (name, type): `name<TAB>type<TAB>stacks`, sorted by name then type.
    static func rows(_ instances: [Instance], includeAbstract: Bool) -> String {
        var stacks: [String: Set<String>] = [:]
        for i in instances where includeAbstract || !i.abstract {
            stacks[i.name + "\u{0}" + i.type, default: []].insert(i.stack)
        }
        return stacks.keys.sorted().map { key in
            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            return "\(parts[0])\t\(parts[1])\t\(stacks[key]!.count)\n"
        }.joined()
    }
}

/// `-s` on a list command: a stack none of whose components resolved is that failure (exit 1), never
/// "not found"; a stack no manifest names is "not found" with the closest name.
enum ListStackFilter {
    struct FailedStack: Error, CustomStringConvertible {
        var stack: String
        var count: Int
        var description: String {
            "no component of stack \(UserText.quoted(stack)) resolved: \(count) failed (the warnings above name each file:line) — fix them, then list again"
        }
    }

    static func check(_ stack: String?, selected: Int, all: [ResolvedComponent], failures: [StackCatalog.StackFailure]) throws {
        guard let stack, selected == 0 else { return }
        let failed = failures.filter { $0.stack == stack || stripExtension($0.stackFile) == stack }
        if !failed.isEmpty { throw FailedStack(stack: stack, count: failed.count) }
        throw StackError.unknownStack(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(Set(all.map(\.stackName)))).first, component: nil)
    }
}
