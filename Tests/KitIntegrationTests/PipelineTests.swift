import Foundation
import Testing

extension KitIntegration {
    /// The pipeline of docs/pipelines.md driven locally with real terraform on the offline estate: a
    /// git repository with two commits, plan of the affected set with a Markdown summary, apply wave by
    /// wave from the matrix, and drift detection after state changed behind kit's back.
    @Suite("pipelines")
    struct PipelineTests {
        /// Runs git in the scratch repository.
        @discardableResult
        static func git(_ repo: ScratchRepository, _ args: [String]) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git"] + args
            p.currentDirectoryURL = URL(fileURLWithPath: repo.repo)
            p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": repo.home,
                             "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
                             "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.com",
                             "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.com"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            guard p.terminationStatus == 0 else { throw IntegrationSetupError("git \(args.joined(separator: " ")) failed: \(text)") }
            return text
        }

        /// The demo repository as a git repository with one commit (`main`), both demo stacks deployed.
        static func deployedRepository(_ label: String) throws -> ScratchRepository {
            let repo = try ScratchRepository.demo(label)
            try ".kit/\n.terraform*\n*.tfstate*\n*.planfile\n*.tfvars.json\nbackend.tf.json\nproviders_override.tf.json\nout/\n"
                .write(toFile: repo.path(".gitignore"), atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: repo.path("out"), withIntermediateDirectories: true)
            try git(repo, ["init", "-q", "-b", "main"])
            try git(repo, ["add", "-A"])
            try git(repo, ["commit", "-q", "-m", "estate"])
            for stack in ["demo-shared", "demo-estate"] {
                let r = try repo.kit(["terraform", "deploy", "--all", "-s", stack])
                #expect(r.status == 0, "deploy \(stack) failed:\n\(r.output)")
            }
            return repo
        }

        @Test("pull request: plan the affected set with a summary; merge: apply the matrix wave by wave; nightly: no drift")
        func walkthrough() throws {
            let repo = try Self.deployedRepository("pipeline")
            defer { repo.remove() }
            // The pull request: the cache's port changes on a branch.
            try Self.git(repo, ["checkout", "-q", "-b", "feature"])
            let file = repo.path("stacks/catalog/demo/estate/services.yaml")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("port: 6379"))
            try text.replacingOccurrences(of: "port: 6379", with: "port: 6380").write(toFile: file, atomically: true, encoding: .utf8)
            try Self.git(repo, ["commit", "-q", "-am", "cache on 6380"])

            // Job "plan": the affected set, planned, summary for the PR comment.
            let affected = try repo.kit(["describe", "affected", "--base", "main", "--include-dependents", "--format", "json"])
            #expect(affected.status == 0, "\(affected.output)")
            let entries = try JSONSerialization.jsonObject(with: Data(affected.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(entries.map { "\($0["component"]!)@\($0["stack"]!):\($0["affected"]!)" } ==
                    ["api@demo-estate:dependency", "cache@demo-estate:stack.vars", "gateway@demo-estate:dependency"], "\(affected.stdout)")
            let plan = try repo.kit(["terraform", "plan", "--affected", "--base", "main", "--summary-file", "out/plan.md"])
            #expect(plan.status == 0, "\(plan.output)")
            let summary = try String(contentsOfFile: repo.path("out/plan.md"), encoding: .utf8)
            #expect(summary.hasPrefix("## kit terraform plan\n\n1 component(s)"), "\(summary)")
            #expect(summary.contains("| cache | demo-estate | succeeded |"), "\(summary)")
            #expect(summary.contains("<details><summary><code>cache</code> in <code>demo-estate</code> (+0 ~1 -0)</summary>"), "\(summary)")

            // Job "apply" after the merge: the matrix, wave by wave, one kit command per entry.
            try Self.git(repo, ["checkout", "-q", "main"])
            try Self.git(repo, ["merge", "-q", "--ff-only", "feature"])
            let matrix = try repo.kit(["describe", "affected", "--base", "HEAD~1", "--head", "HEAD", "--include-dependents", "--format", "matrix"])
            #expect(matrix.status == 0, "\(matrix.output)")
            let rows = (try JSONSerialization.jsonObject(with: Data(matrix.stdout.utf8)) as? [String: [[String: Any]]])?["include"] ?? []
            #expect(rows.map { "\($0["wave"]!):\($0["component"]!)" } == ["0:cache", "1:api", "2:gateway"], "\(matrix.stdout)")
            for wave in 0...2 {
                for row in rows where row["wave"] as? Int == wave {
                    let r = try repo.kit(["terraform", "deploy", row["component"] as! String, "-s", row["stack"] as! String])
                    #expect(r.status == 0, "wave \(wave) \(row):\n\(r.output)")
                }
            }
            // Nothing is affected between the merged commit and the work tree.
            let after = try repo.kit(["terraform", "plan", "--affected", "--base", "HEAD"])
            #expect(after.status == 0 && after.stderr.contains("no component is affected between 'HEAD' and the work tree"), "\(after.output)")

            // Job "drift" (nightly): everything matches.
            let drift = try repo.kit(["terraform", "plan", "--all", "-s", "demo-estate", "--drift", "--summary-file", "out/drift.json"])
            #expect(drift.status == 0, "\(drift.output)")
        }

        @Test("drift: state removed behind kit's back is reported as drifted, exit 2, recorded in the run database")
        func drift() throws {
            let repo = try Self.deployedRepository("drift")
            defer { repo.remove() }
            // Someone removes the queue's resource from its local state file by hand.
            let stateDir = repo.path(".kit/state/demo-estate/queue")
            let stateFiles = (FileManager.default.enumerator(atPath: stateDir)?.allObjects ?? []).compactMap { $0 as? String }
            let statePath = stateDir + "/" + (try #require(stateFiles.first { $0.hasSuffix("terraform.tfstate") }))
            var state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statePath))) as? [String: Any])
            let resources = state["resources"] as? [[String: Any]] ?? []
            state["resources"] = resources.filter { $0["name"] as? String != "queue" }
            #expect((state["resources"] as? [Any])?.count == resources.count - 1)
            state["serial"] = (state["serial"] as? Int ?? 0) + 1
            try JSONSerialization.data(withJSONObject: state).write(to: URL(fileURLWithPath: statePath))
            let drift = try repo.kit(["terraform", "plan", "--all", "-s", "demo-estate", "--drift", "--summary-file", "out/drift.json"])
            #expect(drift.status == 2, "\(drift.output)")
            let s = try EstateTests.summary(repo, "out/drift.json")
            let drifted = s.components.filter { $0["result"] as? String == "drifted" }.compactMap { $0["component"] as? String }
            #expect(drifted == ["queue"], "\(s.json)")
            // The queue's dependents plan as usual (their inputs read the queue's remaining state).
            #expect(s.components.filter { $0["result"] as? String == "succeeded" }.count == 6, "\(s.json)")
            let list = try repo.kit(["runs", "list", "--stack", "demo-estate", "--component", "queue", "--format", "json"])
            let records = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(records.first { $0["subcommand"] as? String == "plan" }?["result"] as? String == "drifted", "\(list.output)")
        }
    }
}
