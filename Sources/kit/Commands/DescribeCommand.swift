import Synchronization
import Foundation
import ArgumentParser
import KitCore

/// `kit describe component|stacks`.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show what kit resolved.",
        subcommands: [DescribeComponentCommand.self, DescribeStacksCommand.self, DescribeDependentsCommand.self, DescribeConfigCommand.self, DescribeAffectedCommand.self])
}

/// `kit describe component <component> -s <stack>`.
struct DescribeComponentCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "component",
        abstract: "Print the resolved configuration of one component in one stack.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component name, or its folder ('.', './vpc', 'components/terraform/vpc').") var component: String
    @Option(name: [.short, .customLong("stack")], help: "The stack name (or a stack file path).") var stack: String
    @Option(help: "yaml or json.") var format: OutputFormat = .yaml
    @Flag(help: "Show where each value was set: YAML annotated with file:line and import depth (as atmos prints it); with --format json or --query, a 'provenance' key with every value's file:line:column and the layers it overrode.") var provenance = false
    @Flag(help: "Print secret values (sensitive variables, secret-looking names, !env of secret-looking names) instead of '***'.") var showSecrets = false
    @Option(name: [.short, .customLong("query")], help: "Print only what this expression selects (see docs/query.md), e.g. '.vars'.") var query: String?
    @Option(name: .customLong("process-functions"), help: "false: print YAML functions as written (!env, !terraform.output, …) instead of evaluating them, as atmos's --process-functions=false.")
    var processFunctions = true

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        let expression = try QueryOption.parse(query, diagnostics)
        try context.run {
            let session = try context.session()
            let catalog = try session.catalog()
            Statistics.catalog = catalog
            // The same phases as a run, up to the one describe shows: YAML functions evaluated.
            // `.`, `./vpc`, `components/terraform/vpc`: the component using that folder (issue 21).
            let name = try ComponentPath.resolve(component, stack: stack, catalog: catalog, workingDirectory: session.workingDirectory,
                                                 warn: { diagnostics.warning($0) })
            let raw = try catalog.findDescribable(component: name, stack: stack)
            let c = processFunctions ? try session.pipeline().evaluated(raw).component : raw
            // One read of the component's module serves `terraform_config` and the sensitive names.
            let modules = TerraformModules()
            var doc = try ComponentDocument.full(c, catalog: catalog, stackArgument: stack, cliArgs: ["describe", "component"],
                                                 encoding: format.atmosEncoding, modules: modules)
            // What run summaries mask (SecretMask): sensitive declarations, secret-looking names, `!env` of secret-looking names.
            let sensitive = SensitiveVariables(modules: modules).names(in: ComponentDocument.absolutePath(c, catalog: catalog))
            let mask = showSecrets ? nil : SecretMask(c, raw: raw, sensitiveNames: sensitive)
            if let mask {
                doc["vars"] = .map(mask.vars)
                doc["env"] = .map(mask.env)
                if let sources = doc["sources"] { doc["sources"] = mask.sources(sources) }
            }
            if provenance && format == .yaml && expression == nil {
                // atmos's view: the manifest-set sections, each line annotated with where it was set.
                Output.write(try AnnotatedProvenance.render(c, document: doc, catalog: catalog))
                return
            }
            if provenance {
                let document = Provenance.document(Provenance.compute(c, catalog: catalog, withMarks: true), catalog: catalog)
                doc["provenance"] = mask?.provenance(document) ?? document
            }
            Output.write(format.render(try expression.map { try $0.evaluate(.map(doc)) } ?? .map(doc)))
        }
    }
}

/// `kit describe stacks`.
struct DescribeStacksCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "stacks",
        abstract: "Print every stack with its resolved components.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("stack")], help: "Only this stack (name or file id).") var stack: String?
    @Option(help: "Only these components (comma-separated).") var components: String?
    @Option(help: "Only these sections of each component (comma-separated, e.g. vars,backend).") var sections: String?
    @Option(help: "yaml or json.") var format: OutputFormat = .yaml
    @Flag(help: "Print variables root modules declare 'sensitive = true' instead of '***'.") var showSecrets = false
    @Option(name: [.short, .customLong("query")], help: "Print only what this expression selects from the whole document (see docs/query.md).") var query: String?
    @Option(name: .customLong("process-functions"), help: "false: print YAML functions as written instead of evaluating them, as atmos's --process-functions=false.")
    var processFunctions = true

    func run(_ diagnostics: Diagnostics) throws {
        let context = CLIContext(global, diagnostics)
        let expression = try QueryOption.parse(query, diagnostics)
        try context.run {
            let catalog = try context.catalog()
            Statistics.catalog = catalog
            let secrets = showSecrets ? nil : SensitiveVariables()
            let terraformBase = catalog.config.terraform.basePath
            let only = components.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
            let wanted = sections.map { Set($0.split(separator: ",").map(String.init)) }
            let json = format == .json
            let stackFilter = stack
            // The sensitive names of each component folder, found once (not a path joined per component).
            let sensitiveByFolder = Mutex<[String: Set<String>]>([:])
            // Each component's document is serialised on the worker that resolved it.
            let render: @Sendable (ResolvedComponent) -> [UInt8]? = { c in
                if let s = stackFilter, c.stackName != s && c.stackFileID != s { return nil }
                // The document's entries in key order: written without building a dictionary.
                var doc = ComponentDocument.entries(c, componentType: false)
                var keyMask: JSONWriter.KeyMask?
                if let secrets {
                    // Functions are already evaluated here, so `!env` sources are not seen: names and declarations only.
                    let sensitive = sensitiveByFolder.withLock { $0[c.folder] } ?? {
                        let names = secrets.names(in: Paths.join(terraformBase, c.folder))
                        sensitiveByFolder.withLock { $0[c.folder] = names }
                        return names
                    }()
                    if json && expression == nil && c.secretPaths.isEmpty {
                        // The same rule applied while the JSON is written (no second walk over the values).
                        keyMask = SecretMask.keyMask(sensitiveNames: sensitive)
                    } else {
                        let mask = SecretMask(c, raw: nil, sensitiveNames: sensitive)
                        for i in doc.indices where doc[i].key == "vars" || doc[i].key == "env" {
                            doc[i].value = .map(doc[i].key == "vars" ? mask.vars : mask.env)
                        }
                    }
                }
                if let wanted { doc = doc.filter { wanted.contains($0.key) } }
                // With --query the document is built whole; without, each fragment is serialised here.
                guard expression != nil else { return StacksDocumentWriter.fragment(entries: doc, json: json, mask: keyMask) }
                return Array(JSONWriter.compact(.map(Dictionary(uniqueKeysWithValues: doc.lazy.map { ($0.key, $0.value) }))).utf8)
            }
            if stack == nil && expression == nil {
                // Every stack: written while resolving, in order, a few stacks held at a time.
                var stream = StacksDocumentWriter.Stream(json: json)
                let failures = catalog.surveyInOrder(onlyComponents: only, evaluatingFunctions: processFunctions,
                                                     types: StackCatalog.allComponentTypes, transform: render) { item in
                    stream.add(stack: item.stackName, type: item.componentType, component: item.component, fragment: item.value!) { Output.write($0) }
                }
                if stream.started || failures.isEmpty { stream.finish { Output.write($0) } }
                try Self.report(failures, diagnostics)
                return
            }
            let (items, failures) = catalog.surveyReporting(onlyComponents: only, evaluatingFunctions: processFunctions,
                                                            types: StackCatalog.allComponentTypes, transform: render)
            // A stack that failed is an error (and the exit code is 1), printed after the stacks that resolved;
            // with -s, failures of other stacks are only warnings.
            // A manifest with a section of the wrong type is an error whichever stack is asked for (issue 21).
            let relevant = failures.filter { f in stack == nil || f.stack == stack || stripExtension(f.stackFile) == stack || f.isManifestShapeError }
            let others = failures.filter { f in !(stack == nil || f.stack == stack || stripExtension(f.stackFile) == stack || f.isManifestShapeError) }
            for f in others { diagnostics.emit(f.diagnostic(.warning)) }
            let kept = items.compactMap { item in item.value.map { (stack: item.stackName, type: item.componentType, component: item.component, fragment: $0) } }
            let unnamed = others.filter { $0.component == nil }
            if let stack, kept.isEmpty, relevant.isEmpty, let first = unnamed.first {
                // The stack may be one whose manifest failed: never a plain "not found".
                throw StackError.stackNotResolved(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(Set(items.map(\.stackName)))).first,
                                                  failedManifests: unnamed.map { stripExtension($0.stackFile) }, firstError: "\(first.error)")
            }
            if let stack, kept.isEmpty, relevant.isEmpty {
                throw StackError.unknownStack(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(Set(items.map(\.stackName)))).first, component: nil)
            }
            if let expression {
                var tree: [String: Value] = [:]
                for item in kept {
                    let doc = (try? YAMLParser.parse(String(decoding: item.fragment, as: UTF8.self)).value) ?? .null
                    var stackDoc = tree[item.stack]?.mapValue ?? [:]
                    var comps = stackDoc["components"]?.mapValue ?? [:]
                    var typed = comps[item.type]?.mapValue ?? [:]
                    if typed[item.component] == nil { typed[item.component] = doc }
                    comps[item.type] = .map(typed)
                    stackDoc["components"] = .map(comps)
                    tree[item.stack] = .map(stackDoc)
                }
                Output.write(format.render(try expression.evaluate(.map(tree))))
            } else if !kept.isEmpty || relevant.isEmpty {
                StacksDocumentWriter.write(kept, json: json) { Output.write($0) }
            }
            try Self.report(relevant, diagnostics)
        }
    }

    /// Stacks that failed are errors (exit code 1), printed after the stacks that resolved.
    static func report(_ failures: [StackCatalog.StackFailure], _ diagnostics: Diagnostics) throws {
        for f in failures { diagnostics.emit(f.diagnostic(.error)) }
        if !failures.isEmpty {
            diagnostics.note("\(Set(failures.map(\.stackFile)).count) stack(s) could not be resolved; the others are printed above")
            throw ExitCode(1)
        }
    }
}
