import ArgumentParser
import Foundation
import KitCore

/// `kit debug fuzz`: mutates corpus manifests with a seed and checks the stack loader's answer to each.
struct FuzzCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Seeded mutation fuzzing of the YAML parser and stack loader (see docs/hostile-input.md).")

    @Option(help: "The seed; the same seed gives the same inputs.") var seed: UInt64 = 1
    @Option(help: "How many mutated manifests to try.") var iterations: Int = 1000
    @Option(help: "The folder of seed manifests (*.yaml).") var corpus: String = "Tests/Fuzz/corpus"
    @Option(help: "Seconds one iteration may take before it counts as a finding.") var timeBudget: Double = 2
    @Option(help: "Folder where failing inputs are saved.") var findings: String = ".kit/fuzz-findings"

    func run(_ diagnostics: Diagnostics) throws {
        try CLIContext.run(diagnostics) {
            let fm = FileManager.default
            let dir = Paths.join(Paths.currentDirectory(), corpus)
            var files: [String: [UInt8]] = [:]
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".yaml") {
                files[name] = try LocalFileSystem().readRegularFile(dir + "/" + name, limit: 1 << 20)
            }
            guard !files.isEmpty else { throw ValidationError("no *.yaml files in '\(corpus)'") }
            let scratch = NSTemporaryDirectory() + "/kit-fuzz-\(getpid())"
            try? fm.removeItem(atPath: scratch)
            try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? fm.removeItem(atPath: scratch) }
            var fuzzer = ManifestFuzzer(corpus: files, seed: seed, workDirectory: scratch, timeBudget: timeBudget)
            let report = try fuzzer.run(iterations: iterations)
            Output.write("seed \(seed): \(report.iterations) iterations, \(report.resolved) resolved, \(report.rejected) rejected with a kit error, slowest \(String(format: "%.3f", report.slowest)) s, \(report.findings.count) findings\n")
            if !report.findings.isEmpty {
                let out = Paths.join(Paths.currentDirectory(), findings)
                try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
                for f in report.findings {
                    try Data(f.bytes).write(to: URL(fileURLWithPath: out + "/seed\(seed)-iteration\(f.iteration).yaml"))
                    Output.write("finding: \(f)\n")
                }
                throw ExitCode(1)
            }
        }
    }
}
