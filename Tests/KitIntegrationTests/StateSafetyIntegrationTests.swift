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

        @Test("a disk that fills during an apply: terraform cuts the state off; kit says so, refuses to run on it, and 'kit state recover' brings back the newest state — nothing lost")
        func fullDiskState() throws {
            let repo = try ScratchRepository.cases("state-full-disk")
            defer { repo.remove() }
            let disk = try TinyFilesystem(at: repo.path(".kit/state"), kilobytes: 400, logDirectory: repo.logs)
            defer { disk.unmount() }
            let first = String(repeating: "a", count: 10_000), second = String(repeating: "c", count: 10_000)
            let state = repo.path(".kit/state/local/slow/workspaces/local/terraform.tfstate")
            let deploy = try repo.kit(["terraform", "deploy", "slow", "-s", "local", "-var", "label=\(first)"])
            #expect(deploy.status == 0, "\(deploy.stderr)")

            // Nearly full before the apply: refused, nothing run.
            #expect(try disk.fill() == ENOSPC)
            let refused = try repo.kit(["terraform", "deploy", "slow", "-s", "local", "-var", "label=\(second)"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("needs at least") && refused.stderr.contains("nothing was run"), "\(refused.stderr)")
            #expect(try TerraformStateFile(path: state).output("label") as? String == first)
            try disk.free()

            // The disk fills while terraform replaces the resource: it cannot write the state.
            let apply = try repo.startKit(["terraform", "deploy", "slow", "-s", "local", "-var", "label=\(second)", "-var", "sleep_seconds=4",
                                           "-replace=terraform_data.slow"])
            try apply.waitForOutput(containing: "terraform_data.slow: Creating...", timeout: 120)
            #expect(try disk.fill() == ENOSPC)
            let broken = try apply.wait(timeout: 120)
            #expect(broken.status != 0, "\(broken.stderr)")
            #expect(broken.stderr.contains("not valid JSON"), "kit did not notice the damaged state:\n\(broken.stderr)")
            let damaged = (try? TerraformStateFile(path: state)) == nil
            if damaged {
                // The disk is still full, so kit could not restore: it says how to, and refuses to run on the damage.
                #expect(broken.stderr.contains("run 'kit state recover slow -s local'"), "\(broken.stderr)")
                try disk.free()
                let blocked = try repo.kit(["terraform", "plan", "slow", "-s", "local"])
                #expect(blocked.status == 1)
                #expect(blocked.stderr.contains("is not valid JSON") && blocked.stderr.contains("kit state recover slow -s local"), "\(blocked.stderr)")
                let recover = try repo.kit(["state", "recover", "slow", "-s", "local"])
                #expect(recover.status == 0, "\(recover.stderr)")
                #expect(recover.stderr.contains("errored.tfstate"), "the newest state is terraform's errored.tfstate:\n\(recover.stderr)")
            } else {
                try disk.free()
            }
            // Nothing lost: the state holds the resource terraform created, with the new label (terraform's
            // errored.tfstate may predate the outputs' update, so a plan may only refresh outputs).
            let recovered = try TerraformStateFile(path: state)
            #expect(recovered.resourceAddresses == ["terraform_data.slow"])
            let input = ((recovered.json["resources"] as? [[String: Any]])?.first?["instances"] as? [[String: Any]])?.first?["attributes"] as? [String: Any]
            // terraform_data keeps `input` as a dynamic value: {"value": …, "type": "string"}.
            let value = (input?["input"] as? [String: Any])?["value"] as? String ?? input?["input"] as? String
            #expect(value == second, "the state does not hold the resource the interrupted apply created: \(String(describing: input).prefix(300))")
            let plan = try repo.kit(["terraform", "plan", "slow", "-s", "local", "-detailed-exitcode", "-var", "label=\(second)"])
            #expect(plan.status == 0 || (plan.status == 2 && plan.stdout.contains("without changing any real infrastructure")),
                    "the recovered state does not match the infrastructure:\n\(plan.stdout.suffix(2000))")
            #expect(!plan.stdout.contains("Plan: "), "the plan changes resources:\n\(plan.stdout.suffix(2000))")
        }
    }
}
