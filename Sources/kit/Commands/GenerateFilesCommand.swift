import ArgumentParser
import Foundation
import KitCore

/// `kit terraform generate files <component> -s <stack>` (or `--all`, `--components`, `--stacks`):
/// writes each component's `generate` section into its component folder (`--clean` removes those files).
struct GenerateFilesCommand: ParsableArguments {
    @Argument(help: "The component (omit with --all or --components).") var component: String?
    @Option(name: [.short, .customLong("stack")], help: "The stack.") var stack: String?
    @Flag(help: "Every component with a generate section, in every stack (or the -s stack).") var all = false
    @Option(help: "Only these components (comma-separated globs).") var components: String?
    @Option(help: "Only these stacks (comma-separated globs).") var stacks: String?
    @Flag(help: "Print the files instead of writing them.") var dryRun = false
    @Flag(help: "Remove the generated files instead of writing them.") var clean = false
    @Flag(help: "Untrusted mode (the global --untrusted, which arrives here after 'terraform').") var untrusted = false

    /// Parses the arguments after `generate files` and runs.
    static func run(_ arguments: [String], context: CLIContext) throws {
        let options: GenerateFilesCommand
        do { options = try parse(arguments) } catch {
            context.diagnostics.error(fullMessage(for: error))
            throw ExitCode(64)
        }
        try options.validateSelection(context.diagnostics)
        var context = context
        if options.untrusted { context.global.untrusted = true }
        try context.run { [context] in try options.execute(context) }
    }

    func validateSelection(_ diagnostics: Diagnostics) throws {
        let many = all || components != nil || stacks != nil
        if component == nil && !many {
            diagnostics.error("missing the component — 'kit terraform generate files <component> -s <stack>', or --all / --components / --stacks")
            throw ExitCode(64)
        }
        if component != nil && many {
            diagnostics.error("name one component, or select with --all / --components / --stacks, not both")
            throw ExitCode(64)
        }
        if component != nil && stack == nil {
            diagnostics.error("missing '-s <stack>' — name the stack to generate '\(component!)' files in (see 'kit list stacks')")
            throw ExitCode(64)
        }
    }

    func execute(_ context: CLIContext) throws {
        let session = try context.session()
        let catalog = try session.catalog()
        let pipeline = try session.pipeline()
        var pairs: [(stack: String, component: String)] = []
        if let component, let stack {
            pairs = [(stack, component)]
        } else {
            let componentGlobs = components.map { $0.split(separator: ",").map { Glob(String($0).trimmingCharacters(in: .whitespaces)) } }
            let stackGlobs = (stacks ?? stack).map { $0.split(separator: ",").map { Glob(String($0).trimmingCharacters(in: .whitespaces)) } }
            for (s, names) in catalog.stackNames().sorted(by: { $0.key < $1.key }) {
                if let g = stackGlobs, !g.contains(where: { $0.matches(s) }) { continue }
                for c in names.sorted() {
                    if let g = componentGlobs, !g.contains(where: { $0.matches(c) }) { continue }
                    pairs.append((s, c))
                }
            }
        }
        let single = component != nil
        var written = 0
        for (s, name) in pairs {
            let found = try catalog.find(component: name, stack: s)
            if !single && (found.isAbstract || found.generate.isEmpty) { continue }
            // The same evaluated component a run writes these files from (YAML functions evaluated).
            let c = try pipeline.evaluated(found).component
            let generated = try GeneratedFiles(component: c)
            let directory = WorkingFiles(component: c, config: catalog.config).componentDirectory
            let shown = Paths.relative(directory, to: catalog.config.basePath)
            if clean {
                if dryRun {
                    for f in generated.files where FileManager.default.fileExists(atPath: directory + "/" + f.name) { Output.write("would remove \(shown)/\(f.name)\n") }
                    continue
                }
                for removed in try generated.clean(in: directory) { Output.write("removed \(shown)/\(removed)\n"); written += 1 }
                continue
            }
            if dryRun {
                for f in generated.files {
                    Output.write("# \(shown)/\(f.name) (\(name) in \(s))\n" + f.content + (f.content.hasSuffix("\n") ? "" : "\n"))
                }
                continue
            }
            do { try generated.write(into: directory) } catch {
                throw TerraformError.writeFailed(path: shown, reason: "\(error)")
            }
            for f in generated.files { Output.write("wrote \(shown)/\(f.name) (\(name) in \(s))\n"); written += 1 }
        }
        if single, let c = pairs.first, written == 0, !dryRun, !clean {
            context.diagnostics.note("component '\(c.component)' in stack '\(c.stack)' has no generate section")
        }
    }
}
