import Foundation
import Testing

extension KitIntegration {
    /// `--dry-run` prints exactly what kit would do; compared with `Golden/demo-dev-app.dry-run.txt`
    /// (re-record with `KIT_RECORD_GOLDEN=1`).
    @Suite("dry-run golden")
    struct DryRunGoldenTests {
        static let goldenFile = IntegrationPaths.goldenDirectory + "/demo-dev-app.dry-run.txt"

        @Test("plan/apply/deploy/destroy --dry-run for the demo match the golden file and write nothing")
        func demoDryRun() throws {
            let repo = try ScratchRepository.demo("dry-run")
            defer { repo.remove() }
            let before = repo.allFiles()
            var transcript = ""
            for sub in ["plan", "apply", "deploy", "destroy"] {
                let args = ["terraform", sub, "app", "-s", "demo-dev", "--dry-run"]
                let r = try repo.kitWithoutTerraform(args)
                #expect(r.status == 0, "\(args): \(r.output)")
                transcript += "$ kit \(args.joined(separator: " "))\n\(r.stdout)exit \(r.status)\n\n"
            }
            #expect(repo.allFiles() == before, "--dry-run wrote files")
            let actual = transcript.replacingOccurrences(of: repo.repo, with: "<repo>").replacingOccurrences(of: repo.home, with: "<home>")

            if ProcessInfo.processInfo.environment["KIT_RECORD_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(atPath: IntegrationPaths.goldenDirectory, withIntermediateDirectories: true)
                try actual.write(toFile: Self.goldenFile, atomically: true, encoding: .utf8)
                return
            }
            guard let golden = try? String(contentsOfFile: Self.goldenFile, encoding: .utf8) else {
                Issue.record("golden file '\(Self.goldenFile)' is missing — record it with KIT_RECORD_GOLDEN=1")
                return
            }
            #expect(actual == golden, "dry-run output differs from the golden file (re-record with KIT_RECORD_GOLDEN=1 if the change is intended):\n\(lineDiff(golden, actual))")
        }

        /// A person can paste what `--dry-run` prints: after a real plan has written kit's files, the
        /// dry-run script of the same plan, run by bash from the repository root, plans successfully
        /// (paths in the environment and arguments are right after the `cd`; values are quoted).
        @Test("the --dry-run script can be pasted into a shell and works")
        func dryRunIsPasteable() throws {
            let repo = try ScratchRepository.demo("dry-run-paste")
            defer { repo.remove() }
            let plan = try repo.kit(["terraform", "plan", "app", "-s", "demo-dev"])
            #expect(plan.status == 0, "\(plan.output)")
            let dry = try repo.kit(["terraform", "plan", "app", "-s", "demo-dev", "--dry-run"])
            #expect(dry.status == 0 && dry.stdout.contains("\ncd "), "\(dry.output)")
            let script = "set -e\n" + dry.stdout
            let env = repo.environment(terraform: try IntegrationPaths.terraform())
            let bash = try RunningCommand.run("/bin/bash", ["-c", script], cwd: repo.repo, environment: env,
                                              logDirectory: repo.logs, label: "pasted dry-run")
            #expect(bash.status == 0, "the pasted dry-run failed:\n\(script)\n---\n\(bash.output)")
            #expect(bash.output.contains("No changes.") || bash.output.contains("Plan:"), "\(bash.output)")
        }

        /// The lines that differ, `-` golden / `+` actual.
        func lineDiff(_ golden: String, _ actual: String) -> String {
            let g = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            var out = ""
            for i in 0..<max(g.count, a.count) {
                let gl = i < g.count ? String(g[i]) : nil
                let al = i < a.count ? String(a[i]) : nil
                if gl != al {
                    if let gl { out += "- \(gl)\n" }
                    if let al { out += "+ \(al)\n" }
                }
            }
            return out
        }
    }
}
