import Foundation
import Synchronization
import KitModel

/// Surveys over every stack: each component resolved in parallel, failures kept per stack.
extension StackCatalog {
    /// One component's resolution in every stack, processed in parallel; broken files become warnings.
    public struct Survey: Sendable {
        /// Resolved components, ordered by stack name then component name.
        public var components: [ResolvedComponent]
        /// Problems that did not stop the survey (a broken file, a broken component): which stack and
        /// component, and the error (`diagnostic(_:)` gives it as a typed `Diagnostic`).
        public var failures: [StackFailure]
        /// The failures as text lines.
        public var warnings: [String] { failures.map { "\($0.error)" } }
    }

    /// A stack (or one component of it) that could not be resolved: which one, and why.
    public struct StackFailure: Sendable, CustomStringConvertible {
        /// The manifest, relative to the stacks directory.
        public var stackFile: String
        /// The stack's name when it could be computed, else the file id (`orgs/acme/dev`).
        public var stack: String
        /// The component, when only that component failed.
        public var component: String?
        /// The error, which names the file:line:column where the problem is.
        public var error: Error

        /// The error, followed by what was left out when the error does not already say it.
        public var description: String { "\(error) \(leftOut)" }

        /// True when a manifest has a stack-wide section of the wrong type (`vars: [1, 2]`): an error for every
        /// command that reads it (as in atmos), not a warning that leaves a stack out (issue 21).
        public var isManifestShapeError: Bool { StackFailure.isManifestShape(error) }

        /// True for `StackError.invalidSection` of a stack-wide section (`vars`, `terraform.vars`, …);
        /// a component's own section of the wrong type fails only that component.
        static func isManifestShape(_ error: Error) -> Bool {
            if let e = error as? StackError, case .invalidSection(_, _, _, _, _, let component) = e { return component == nil }
            return false
        }

        /// What the survey left out: `(component 'vpc' of stack 'dev' left out)`.
        var leftOut: String {
            let what = component.map { "component \(UserText.quoted($0)) of stack \(UserText.quoted(stack))" } ?? "stack \(UserText.quoted(stack))"
            return "(\(what) left out)"
        }
    }

    /// Resolves everything (or only files containing one of `only` components).
    public func survey(onlyComponents only: Set<String>? = nil) -> Survey {
        let (items, failures) = surveyReporting(onlyComponents: only) { $0 }
        return Survey(components: items.map(\.value), failures: failures)
    }

    /// One surveyed component, transformed on the worker thread that resolved it.
    public struct SurveyItem<T: Sendable>: Sendable {
        public var stackName: String
        public var component: String
        public var stackFile: String
        public var value: T
        /// `terraform`, `helmfile` or `packer`.
        public var componentType: String = "terraform"
    }

    /// Resolves every component in parallel and keeps only `transform`'s result for each (so callers
    /// such as `describe stacks` can serialise on the workers and never hold every resolution at once),
    /// with each failure kept as a `StackFailure` (which stack, which component, which error).
    /// Items are ordered by stack name, component, stack file.
    /// With `evaluatingFunctions`, YAML functions are evaluated (`evaluate(_:)`, the pipeline's phase); a failing function fails
    /// that component. A name pattern whose tokens a component lacks falls back to the file id, as in
    /// atmos's `describe stacks` (reference §6.1).
    /// `types`: the component types to include (terraform only by default; `allComponentTypes` for describe/list).
    public func surveyReporting<T: Sendable>(onlyComponents only: Set<String>? = nil, evaluatingFunctions evaluate: Bool = false,
                                             types: [String] = ["terraform"],
                                             transform: @escaping @Sendable (ResolvedComponent) -> T) -> (items: [SurveyItem<T>], failures: [StackFailure]) {
        let (items, failures) = eachComponent(only: only, types: types, namingByFileID: true, surveyBody(evaluate, transform))
        return (items.sorted(by: Self.outputOrder), failures)
    }

    /// The order of `describe stacks`: stack name, component type, component, stack file.
    static func outputOrder<T>(_ a: SurveyItem<T>, _ b: SurveyItem<T>) -> Bool {
        (a.stackName, a.componentType, a.component, a.stackFile) < (b.stackName, b.componentType, b.component, b.stackFile)
    }

    /// Resolves one component for a survey (file-id naming when name tokens are missing).
    func surveyBody<T: Sendable>(_ evaluate: Bool, _ transform: @escaping @Sendable (ResolvedComponent) -> T)
        -> @Sendable (ComponentResolver, String, [String: Value]) throws -> SurveyItem<T> {
        { r, name, raw in
            // `eachComponent` gives surveys a resolver that names a stack by its file id when tokens are missing.
            precondition(r.fileIDWhenNameTokensMissing, "a survey's resolver falls back to the file id")
            var c = try r.resolve(name, raw: raw)
            if evaluate { try self.evaluate(&c) }
            return SurveyItem(stackName: c.stackName, component: c.name, stackFile: c.stackFile, value: transform(c), componentType: c.componentType)
        }
    }

    /// Runs `body` on every top-level file in parallel; the results come back in file order.
    package func parallelMap<T: Sendable>(_ body: @Sendable (String) -> T) -> [T] {
        let files = topLevelFiles
        let slots = Mutex([T?](repeating: nil, count: files.count))
        // Contiguous runs of files per task: neighbouring files import the same manifests, and two
        // threads on neighbours would take turns waiting for each other's parse of every shared import.
        let count = files.count
        let tasks = min(count, Parallelism.processors * 4)
        DispatchQueue.concurrentPerform(iterations: tasks) { t in
            let range = (t * count / tasks)..<((t + 1) * count / tasks)
            var values: [T] = []
            values.reserveCapacity(range.count)
            for i in range { values.append(body(files[i])) }
            slots.withLock { for (i, v) in zip(range, values) { $0[i] = v } }
        }
        return slots.withLock { $0.map { $0! } }
    }

    /// `body` for every component (or only those named in `only`) of every top-level file, in parallel,
    /// in file then name order; a broken file or component becomes a failure instead of a result.
    /// `namingByFileID`: the resolver names a stack by its file id when a component lacks the name pattern's
    /// tokens (`ComponentResolver.fileIDWhenNameTokensMissing`, what surveys want), set once per file.
    func eachComponent<T: Sendable>(only: Set<String>?, types: [String] = ["terraform"], namingByFileID: Bool = false,
                                    _ body: @Sendable (ComponentResolver, String, [String: Value]) throws -> T) -> ([T], [StackFailure]) {
        let perFile = parallelMap { file in eachComponent(in: file, only: only, types: types, namingByFileID: namingByFileID, body) }
        return (perFile.flatMap(\.0), perFile.flatMap(\.1))
    }

    /// `body` for every component of one file's types (or only those named in `only`), in type then name order.
    func eachComponent<T>(in file: String, only: Set<String>?, types: [String], namingByFileID: Bool = false,
                          _ body: (ComponentResolver, String, [String: Value]) throws -> T) -> ([T], [StackFailure]) {
        var out: [T] = []
        var failures: [StackFailure] = []
        do {
            let manifest = try merged(file)
            for type in types {
                var r = resolver(file, manifest, type: type)
                r.fileIDWhenNameTokensMissing = namingByFileID
                let raw = try r.rawComponents()
                for name in raw.keys.sorted() where only == nil || only!.contains(name) {
                    do { out.append(try body(r, name, raw)) } catch {
                        let stack = (try? r.stackName(name, raw: raw)) ?? r.stackFileID
                        failures.append(StackFailure(stackFile: file, stack: stack, component: name, error: Self.locatingCycle(error, r)))
                    }
                }
            }
        } catch {
            failures.append(StackFailure(stackFile: file, stack: stackNameHint(file) ?? stripExtension(file), component: nil, error: error))
        }
        return (out, failures)
    }

    /// One component's place: its stack name and stack file (what `list` needs, without full resolution).
    public struct Placement: Sendable, Hashable {
        public var stackName: String
        public var component: String
        public var stackFileID: String
    }

    /// Every (stack name, component) pair, computing only what naming needs; broken files become warnings.
    public func placements(onlyComponents only: Set<String>? = nil) -> (placements: [Placement], warnings: [String]) {
        let (p, failures) = placementsReporting(onlyComponents: only)
        return (p, failures.map { "\($0.error)" })
    }

    /// `placements`, with each failure kept as a `StackFailure`. A component whose name tokens are
    /// missing is placed under the file id (atmos's `describe stacks` fallback, reference §6.1).
    public func placementsReporting(onlyComponents only: Set<String>? = nil,
                                    types: [String] = ["terraform"]) -> (placements: [Placement], failures: [StackFailure]) {
        let index = stackIndex
        let perFile = parallelMap { file in placements(in: file, only: only, types: types, index: index) }
        return (perFile.flatMap(\.0), perFile.flatMap(\.1))
    }

    /// A stack name and one file that holds components of it.
    public struct StackFile: Sendable, Hashable {
        public var stackName: String
        public var stackFileID: String
    }

    /// The (stack name, file) pairs of `placementsReporting` without listing each component: where the
    /// index names a file, one pair per named type that has (the `only`) components, no sorting of
    /// component names (`list stacks` on a large estate). Other files go through `placements(in:)`.
    public func stackFilesReporting(onlyComponents only: Set<String>? = nil,
                                    types: [String] = ["terraform"]) -> (stacks: [StackFile], failures: [StackFailure]) {
        let index = stackIndex
        let perFile = parallelMap { file -> ([StackFile], [StackFailure]) in
            let id = stripExtension(file)
            if let e = index.entry(file), let components = e.components, types.allSatisfy({ components[$0] == nil || e.name(of: $0) != nil }) {
                var names: Set<String> = []
                for type in types {
                    guard let c = components[type], !c.isEmpty, only.map({ !c.isDisjoint(with: $0) }) ?? true else { continue }
                    names.insert(e.name(of: type)!)
                }
                return (names.sorted().map { StackFile(stackName: $0, stackFileID: id) }, [])
            }
            let (p, f) = placements(in: file, only: only, types: types, index: index)
            return (Set(p.map { StackFile(stackName: $0.stackName, stackFileID: $0.stackFileID) }).sorted { $0.stackName < $1.stackName }, f)
        }
        return (perFile.flatMap(\.0), perFile.flatMap(\.1))
    }

    /// One file's placements: from the index when it names the file, else by resolving each component's stack name.
    func placements(in file: String, only: Set<String>?, types: [String], index: StackIndex) -> ([Placement], [StackFailure]) {
        // Named by the index: no merge needed.
        if let e = index.entry(file), let components = e.components, types.allSatisfy({ components[$0] == nil || e.name(of: $0) != nil }) {
            let id = stripExtension(file)
            return (types.flatMap { type in
                (components[type] ?? []).sorted().filter { only == nil || only!.contains($0) }
                    .map { Placement(stackName: e.name(of: type)!, component: $0, stackFileID: id) }
            }, [])
        }
        return eachComponent(in: file, only: only, types: types) { r, name, raw in
            let stack: String
            do { stack = try r.stackName(name, raw: raw) } catch StackError.missingNameToken {
                stack = r.stackFileID
            }
            return Placement(stackName: stack, component: name, stackFileID: r.stackFileID)
        }
    }
}
