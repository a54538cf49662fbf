import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// A short, bounded run of the seeded mutation fuzzer over `Tests/Fuzz/corpus` (CI runs it with the
/// unit tests); longer runs: `kit debug fuzz --seed N --iterations K` (docs/hostile-input.md).
@Suite struct FuzzTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus").path

    static func corpus() throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: corpusDirectory) where name.hasSuffix(".yaml") {
            files[name] = try LocalFileSystem().readRegularFile(corpusDirectory + "/" + name, limit: 1 << 20)
        }
        return files
    }

    @Test("the unmutated corpus resolves")
    func corpusResolves() throws {
        let files = try Self.corpus()
        #expect(files.count >= 5)
        let scratch = FixtureRepo.sessionRoot + "/fuzz-clean-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let fuzzer = ManifestFuzzer(corpus: files, seed: 0, workDirectory: scratch)
        try fuzzer.prepareRepository()
        guard case .resolved = fuzzer.check(files["stack.yaml"]!) else {
            Issue.record("corpus stack.yaml does not resolve: \(fuzzer.check(files["stack.yaml"]!))")
            return
        }
    }

    @Test("300 mutated manifests (seeds 1–3): every one ends in output or a one-line kit error, within 2 s")
    func boundedRun() throws {
        let files = try Self.corpus()
        for seed: UInt64 in 1...3 {
            let scratch = FixtureRepo.sessionRoot + "/fuzz-\(seed)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            var fuzzer = ManifestFuzzer(corpus: files, seed: seed, workDirectory: scratch, timeBudget: 2)
            let report = try fuzzer.run(iterations: 100)
            #expect(report.iterations == 100)
            #expect(report.findings.isEmpty, "seed \(seed): \(report.findings.prefix(3).map(\.description))")
            #expect(report.rejected > 0)
        }
    }

    @Test("the same seed gives the same mutations")
    func deterministic() throws {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    }
}
