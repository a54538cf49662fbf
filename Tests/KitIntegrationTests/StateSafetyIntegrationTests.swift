import Foundation
import Testing

extension KitIntegration {
    /// Issue 20 with the real terraform: components whose names differ only in '/' and '-' keep
    /// separate local state (§2), state of kit's earlier layout is moved, not dropped, and run records
    /// show killed and interrupted runs (§7).
    @Suite("state safety")
    struct StateSafetyIntegrationTests {
        /// The cases fixture plus a stack `names` with `net/a`, `net-a` and `vpc/x`, all of module `slow`.
        static func repository(_ label: String) throws -> ScratchRepository {
            let repo = try ScratchRepository.cases(label)
            try """
            name: names
            import: [_local]
            vars: {stage: names}
            components:
              terraform:
                net/a: {metadata: {component: slow}, vars: {label: slash}}
                net-a: {metadata: {component: slow}, vars: {label: dash}}
                vpc/x: {metadata: {component: slow}, vars: {label: moved}}
            """.write(toFile: repo.path("stacks/names.yaml"), atomically: true, encoding: .utf8)
            return repo
        }

        static func runs(_ repo: ScratchRepository) throws -> [[String: Any]] {
            let list = try repo.kit(["runs", "list", "--format", "json"])
            guard list.status == 0, let runs = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] else {
                throw IntegrationSetupError("kit runs list failed:\n\(list.output)")
            }
            return runs
        }

        @Test("net/a and net-a in one stack: each apply and plan sees only its own resources and state")
        func namesDifferingInSlashAndDash() throws {
            let repo = try Self.repository("names-slash-dash")
            defer { repo.remove() }
            for component in ["net/a", "net-a"] {
                let deploy = try repo.kit(["terraform", "deploy", component, "-s", "names"])
                #expect(deploy.status == 0, "\(deploy.output)")
                #expect(deploy.stdout.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
                        "\(component) saw the other's resources:\n\(deploy.output)")
            }
            for component in ["net/a", "net-a"] {
                let plan = try repo.kit(["terraform", "plan", component, "-s", "names", "-detailed-exitcode"])
                #expect(plan.status == 0, "a plan of \(component) proposes changes (it reads the other's state):\n\(plan.output)")
            }
            let slash = try TerraformStateFile(path: repo.path(".kit/state/names/net%2Fa/workspaces/names-net-a/terraform.tfstate"))
            let dash = try TerraformStateFile(path: repo.path(".kit/state/names/net-a/workspaces/names-net-a/terraform.tfstate"))
            #expect(slash.output("label") as? String == "slash")
            #expect(dash.output("label") as? String == "dash")
            #expect(slash.resourceAddresses == ["terraform_data.slow"])
            #expect(dash.resourceAddresses == ["terraform_data.slow"])
        }

        @Test("state in the folder of kit's earlier layout: the run stops with the mv command; after it, no changes")
        func legacyStateIsMovedNotDropped() throws {
            let repo = try Self.repository("names-legacy")
            defer { repo.remove() }
            let deploy = try repo.kit(["terraform", "deploy", "vpc/x", "-s", "names"])
            #expect(deploy.status == 0, "\(deploy.output)")
            // What kit before issue 20 left: the state under '/' → '-'.
            try FileManager.default.moveItem(atPath: repo.path(".kit/state/names/vpc%2Fx"), toPath: repo.path(".kit/state/names/vpc-x"))
            let stopped = try repo.kit(["terraform", "plan", "vpc/x", "-s", "names"])
            #expect(stopped.status == 1, "\(stopped.output)")
            let new = repo.path(".kit/state/names/vpc%2Fx"), old = repo.path(".kit/state/names/vpc-x")
            let command = "mkdir -p '\(repo.path(".kit/state/names"))' && mv '\(old)' '\(new)'"
            #expect(stopped.stderr.contains(command), "\(stopped.stderr)")
            #expect(!stopped.stdout.contains("Plan:"), "terraform ran from empty state:\n\(stopped.output)")
            // The printed command, run as printed.
            let moved = try RunningCommand.run("/bin/sh", ["-c", command], cwd: repo.repo, environment: ["PATH": "/usr/bin:/bin"],
                                               logDirectory: repo.logs, label: "mv-state")
            #expect(moved.status == 0, "\(moved.output)")
            let plan = try repo.kit(["terraform", "plan", "vpc/x", "-s", "names", "-detailed-exitcode"])
            #expect(plan.status == 0, "after the move the plan should find the resource:\n\(plan.output)")
        }

        @Test("kill -9 of kit mid-apply leaves the run recorded as running (unknown outcome); SIGINT records interrupted; the user is the OS account")
        func recordsTellTheTruth() throws {
            let repo = try ScratchRepository.cases("records-truth")
            defer { repo.remove() }
            let killed = try repo.startKit(["terraform", "deploy", "slow", "-s", "local", "-var", "sleep_seconds=43"])
            try killed.waitForOutput(containing: "Provisioning with 'local-exec'", timeout: 60)
            kill(killed.pid, SIGKILL)
            _ = try killed.wait(timeout: 30)
            let table = try repo.kit(["runs", "list"])
            let rows = table.stdout.split(separator: "\n").filter { $0.contains("deploy") }
            #expect(rows.count == 1 && rows[0].contains("running (unknown outcome)"), "\(table.output)")

            let interrupted = try repo.startKit(["terraform", "deploy", "slow", "-s", "local", "-var", "sleep_seconds=20"])
            try interrupted.waitForOutput(containing: "Provisioning with 'local-exec'", timeout: 120)
            usleep(500_000)
            interrupted.interrupt()
            let ended = try interrupted.wait(timeout: 30)
            #expect(ended.status != 0, "\(ended.output)")
            let runs = try Self.runs(repo)
            #expect(runs.map { $0["result"] as? String } == ["interrupted", "running"], "\(runs)")
            let account = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) }
            #expect(runs.allSatisfy { $0["user"] as? String == account }, "USER is not set for kit here; the record must still name the account: \(runs)")
        }
    }
}
