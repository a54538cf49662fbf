import Foundation
import Synchronization
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

@Suite struct EstateRunnerTests {
    /// Counts how many fake jobs run at once.
    final class Gauge: Sendable {
        let state = Mutex<(now: Int, most: Int, order: [InstanceID])>((0, 0, []))
        func run(_ id: InstanceID, sleepMicroseconds: UInt32 = 30_000) {
            state.withLock { s in s.now += 1; s.most = max(s.most, s.now); s.order.append(id) }
            usleep(sleepMicroseconds)
            state.withLock { $0.now -= 1 }
        }
    }

    static func wide() throws -> DependencyGraph {
        // Six independent leaves under one root.
        try DependencyGraph.build([estateComponent("root")] + (1...6).map { estateComponent("leaf\($0)", dependencies: dependsOn("root")) })
    }

    @Test(arguments: [1, 2, 4])
    func concurrencyBoundIsRespectedAndReached(limit: Int) throws {
        let g = try Self.wide()
        let gauge = Gauge()
        let runner = EstateRunner(graph: g, selection: Set(g.instances.keys), options: .init(maxConcurrency: limit))
        let summary = runner.run(subcommand: "plan", detailedExitCode: false) { id in
            gauge.run(id)
            return JobOutcome(status: .succeeded)
        }
        let (_, most, order) = gauge.state.withLock { $0 }
        #expect(most == limit, "at most \(limit) at once, and that many when six are ready")
        #expect(order.first == id("root"), "the root must run before its dependents")
        #expect(summary.exitCode == 0)
        #expect(summary.results.count == 7)
    }

    @Test func failFastStartsNothingNewKeepGoingSkipsOnlyDependents() throws {
        // a → b → c ; d independent (sorted after b in wave 1).
        let g = try DependencyGraph.build([estateComponent("a"), estateComponent("b", dependencies: dependsOn("a")),
                                           estateComponent("c", dependencies: dependsOn("b")), estateComponent("d", dependencies: dependsOn("a"))])
        for mode in FailureMode.allCases {
            let runner = EstateRunner(graph: g, selection: Set(g.instances.keys), options: .init(maxConcurrency: 1, failureMode: mode))
            let summary = runner.run(subcommand: "apply", detailedExitCode: false) { id in
                JobOutcome(status: id.component == "b" ? .failed : .succeeded, exitCode: id.component == "b" ? 1 : 0)
            }
            let status = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.id.component, $0.status) })
            #expect(status["a"] == .succeeded)
            #expect(status["b"] == .failed)
            #expect(summary.exitCode == 1)
            switch mode {
            case .failFast:
                #expect(status["c"] == .notRun && status["d"] == .notRun, "\(mode): \(status)")
            case .keepGoing:
                #expect(status["c"] == .skipped, "\(status)")
                #expect(status["d"] == .succeeded, "\(status)")
            }
        }
    }

    @Test func reverseRunsDependentsFirst() throws {
        let g = try DependencyGraph.build([estateComponent("a"), estateComponent("b", dependencies: dependsOn("a")),
                                           estateComponent("c", dependencies: dependsOn("b"))])
        let gauge = Gauge()
        let runner = EstateRunner(graph: g, selection: Set(g.instances.keys), options: .init(maxConcurrency: 3, reverse: true))
        _ = runner.run(subcommand: "destroy", detailedExitCode: false) { id in gauge.run(id, sleepMicroseconds: 1000); return JobOutcome(status: .succeeded) }
        #expect(gauge.state.withLock { $0.order } == [id("c"), id("b"), id("a")])
    }

    @Test func waitingPropagatesAndDetailedExitCode() throws {
        let g = try DependencyGraph.build([estateComponent("a"), estateComponent("b", dependencies: dependsOn("a")),
                                           estateComponent("c", dependencies: dependsOn("b"))])
        let runner = EstateRunner(graph: g, selection: Set(g.instances.keys), options: .init())
        let summary = runner.run(subcommand: "plan", detailedExitCode: true) { id in
            id.component == "b" ? JobOutcome(status: .waiting, message: "no state") : JobOutcome(status: .changes, exitCode: 2)
        }
        #expect(summary.results.map(\.status) == [.changes, .waiting, .waiting])
        #expect(summary.exitCode == 2, "waiting and changes with -detailed-exitcode exit 2")
        #expect(summary.results[2].message?.contains("waiting on 'b' in 'dev'") == true)
    }

    @Test func summaryFormats() throws {
        let s = EstateSummary(subcommand: "plan", results: [
            EstateResult(id: id("db"), status: .succeeded, wave: 0, durationMilliseconds: 1234, counts: ChangeCounts(add: 1, change: 0, destroy: 2)),
            EstateResult(id: id("api|x"), status: .failed, wave: 1, durationMilliseconds: 50, exitCode: 1, message: "terraform exited with 1"),
        ], interrupted: false, durationMilliseconds: 1300, detailedExitCode: false)
        #expect(s.exitCode == 1)
        let table = EstateSummaryFormat.table(s)
        #expect(table.contains("db         dev    succeeded  1.2s      1     0        2"), "\(table)")
        #expect(table.hasSuffix("2 component(s) in 1.3s: 1 succeeded, 1 failed\n"), "\(table)")
        let md = EstateSummaryFormat.markdown(s)
        #expect(md.contains("- `db` in `dev`: 2 to destroy"), "destroys are called out first: \(md)")
        #expect(md.contains("| api\\|x | dev | failed |"), "pipes in names are escaped: \(md)")
        let json = JSONWriter.pretty(EstateSummaryFormat.value(s))
        #expect(json.contains("\"exit_code\": 1"))
    }
}
