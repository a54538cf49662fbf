import Foundation
import Synchronization
import KitModel

/// A survey delivered in output order while only a few stacks are held at a time.
extension StackCatalog {
    /// `surveyReporting`, but each item goes to `emit` (on the calling thread) in output order — stack
    /// name, component type, component, stack file — as soon as it and everything before it are
    /// resolved; the failures are returned at the end, in file order.
    ///
    /// The stack index names most files without merging them, so stacks are resolved in name order,
    /// `window` stacks at most in flight. Files the index cannot name are resolved first and their
    /// items held (in a repository where every file needs that, this holds everything, like
    /// `surveyReporting`).
    public func surveyInOrder<T: Sendable>(onlyComponents only: Set<String>? = nil, evaluatingFunctions evaluate: Bool = false,
                                           types: [String] = ["terraform"], window: Int = 16,
                                           transform: @escaping @Sendable (ResolvedComponent) -> T,
                                           emit: (SurveyItem<T>) -> Void) -> [StackFailure] {
        let index = stackIndex
        let body = surveyBody(evaluate, transform)
        let files = topLevelFiles

        // Which (file, types) each known stack name needs; the other files are resolved up front.
        var groups: [String: [(file: Int, types: [String])]] = [:]
        var unnamed: [Int] = []
        for (i, file) in files.enumerated() {
            guard let e = index.entry(file), let components = e.components else { unnamed.append(i); continue }
            let wanted = types.filter { type in
                (components[type] ?? []).contains { only == nil || only!.contains($0) }
            }
            guard wanted.allSatisfy({ e.name(of: $0) != nil }) else { unnamed.append(i); continue }
            var byName: [String: [String]] = [:]
            for type in wanted { byName[e.name(of: type)!, default: []].append(type) }
            for (name, ts) in byName { groups[name, default: []].append((i, ts)) }
        }
        let failures = Shared<[(file: Int, order: Int, failure: StackFailure)]>([])
        let record: @Sendable (Int, [StackFailure], Int) -> Void = { file, found, typeOrder in
            guard !found.isEmpty else { return }
            failures.withLock { all in for (k, f) in found.enumerated() { all.append((file, typeOrder * 1_000_000 + k, f)) } }
        }
        let unnamedResults = Mutex([(Int, [SurveyItem<T>])]())
        let unnamedFiles = unnamed
        DispatchQueue.concurrentPerform(iterations: unnamedFiles.count) { k in
            let i = unnamedFiles[k]
            let (items, found) = eachComponent(in: files[i], only: only, types: types, namingByFileID: true, body)
            record(i, found, 0)
            unnamedResults.withLock { $0.append((i, items)) }
        }
        // Held items, sorted; consumed from the front as their stack comes up.
        var held = unnamedResults.withLock { $0.flatMap(\.1) }.sorted(by: Self.outputOrder)
        let names = Set(groups.keys).union(held.map(\.stackName)).sorted()
        let work = names.map { groups[$0] ?? [] }

        var heldStart = 0
        OrderedPipeline.run(count: work.count, window: window, produce: { g -> [SurveyItem<T>] in
            var items: [SurveyItem<T>] = []
            for unit in work[g] {
                let (found, failed) = self.eachComponent(in: files[unit.file], only: only, types: unit.types, namingByFileID: true, body)
                items += found
                record(unit.file, failed, types.firstIndex(of: unit.types[0]) ?? 0)
            }
            return items
        }, consume: { g, items in
            let name = names[g]
            var stackItems: [SurveyItem<T>] = []
            while heldStart < held.count, held[heldStart].stackName <= name {
                stackItems.append(held[heldStart])
                heldStart += 1
            }
            for item in items {
                if item.stackName == name {
                    stackItems.append(item)
                } else {
                    // The index named this file wrongly (it never should): keep the item for its own stack.
                    assertionFailure("stack index named '\(item.stackFile)' '\(name)', resolution '\(item.stackName)'")
                    let at = held[heldStart...].firstIndex { !Self.outputOrder($0, item) } ?? held.count
                    held.insert(item, at: at)
                }
            }
            for item in stackItems.sorted(by: Self.outputOrder) { emit(item) }
        })
        for item in held[heldStart...] { emit(item) }
        return failures.withLock { all in all.sorted { ($0.file, $0.order) < ($1.file, $1.order) }.map(\.failure) }
    }
}

/// Runs `produce` for 0..<count on worker threads, at most `window` results ahead of `consume`, which
/// runs on the calling thread in index order.
enum OrderedPipeline {
    static func run<R: Sendable>(count: Int, window: Int, produce: @escaping @Sendable (Int) -> R, consume: (Int, R) -> Void) {
        guard count > 0 else { return }
        let slots = DispatchSemaphore(value: max(1, window))
        let ready = DispatchSemaphore(value: 0)
        let state = Shared<(next: Int, results: [Int: R])>((0, [:]))
        let workers = min(Parallelism.processors, count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while true {
                    slots.wait()
                    let i = state.withLock { s -> Int in
                        defer { s.next += 1 }
                        return s.next
                    }
                    if i >= count { slots.signal(); return }
                    let r = produce(i)
                    state.withLock { $0.results[i] = r }
                    ready.signal()
                }
            }
        }
        for i in 0..<count {
            var result: R?
            while true {
                result = state.withLock { $0.results.removeValue(forKey: i) }
                if result != nil { break }
                ready.wait()
            }
            consume(i, result!)
            slots.signal()
        }
        group.wait()
    }
}

/// A value behind a `Mutex`, shareable by escaping closures.
final class Shared<State: Sendable>: Sendable {
    private let state: Mutex<State>
    init(_ initial: State) { state = Mutex(initial) }
    func withLock<R: Sendable>(_ body: (inout sending State) -> sending R) -> R { state.withLock(body) }
}
