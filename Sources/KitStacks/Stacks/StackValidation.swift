import KitModel
/// Structural validation of every stack (`kit validate stacks`, reference §11.5 steps 1–2).
public enum StackValidation {
    /// What validation found.
    public struct Report: Sendable {
        /// One diagnostic per problem, each naming its file (and line where known).
        public var problems: [Diagnostic]
        /// How many component instances resolved.
        public var components: Int
        /// Things worth fixing that do not fail validation (deprecated keys).
        public var warnings: [Diagnostic] = []
        /// How many manifest files were checked on their own.
        public var manifests: Int = 0
    }

    /// Resolves everything; collects every failure and every duplicate stack definition.
    public static func validate(_ catalog: StackCatalog) -> Report {
        let survey = catalog.survey()
        var problems = survey.failures.map { Diagnostic(error: $0.error) }
        var seen = Set(survey.warnings)
        var byKey: [String: [ResolvedComponent]] = [:]
        for c in survey.components { byKey[c.stackName + "\u{0}" + c.name, default: []].append(c) }
        for key in byKey.keys.sorted() {
            let group = byKey[key]!
            guard group.count > 1, let first = group.first else { continue }
            if group.dropFirst().contains(where: { !StackCatalog.sameConfiguration(first, $0) }) {
                let files = group.map { catalog.store.display(Paths.join(catalog.config.stacksBasePath, $0.stackFile)) }
                problems.append(StackError.duplicateStack(stack: first.stackName, component: first.name, files: files).diagnostic())
            }
        }
        // Every manifest on its own, so a file no stack imports yet is checked too. A parse error the
        // survey already reported is not reported twice.
        let fileProblems = catalog.checkAllManifests()
        for p in fileProblems where !p.isWarning && seen.insert(p.description).inserted { problems.append(p.diagnostic) }
        let manifests = catalog.index.files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.count
        return Report(problems: problems, components: survey.components.count,
                      warnings: fileProblems.filter(\.isWarning).map(\.diagnostic), manifests: manifests)
    }
}
