import Foundation
import Testing

extension KitIntegration {
    /// The offline estate of the example repository (`demo-estate` + `demo-shared`), run with real
    /// terraform: dependency order, outputs flowing through `!terraform.state`/`!terraform.output`,
    /// reverse destroy, failure modes, the concurrency bound, SIGINT, run records.
    @Suite("estates")
    struct EstateTests {
        /// The summary file's content.
        struct Summary {
            let json: [String: Any]
            var components: [[String: Any]] { json["components"] as? [[String: Any]] ?? [] }
            func entry(_ component: String) -> [String: Any] { components.first { $0["component"] as? String == component } ?? [:] }
            func result(_ component: String) -> String? { entry(component)["result"] as? String }
            /// (start, end) in milliseconds from the start of the run.
            func interval(_ component: String) -> (Int, Int) {
                let e = entry(component)
                let start = e["started_after_ms"] as? Int ?? -1
                return (start, start + (e["duration_ms"] as? Int ?? 0))
            }
            /// The most components that ran at the same moment.
            var maxOverlap: Int {
                let intervals = components.compactMap { c -> (Int, Int)? in
                    guard let s = c["started_after_ms"] as? Int, let d = c["duration_ms"] as? Int, d > 0 else { return nil }
                    return (s, s + d)
                }
                var best = 0
                for (s, _) in intervals { best = max(best, intervals.filter { $0.0 <= s && s < $0.1 }.count) }
                return best
            }
        }

        static func summary(_ repo: ScratchRepository, _ file: String) throws -> Summary {
            guard let data = FileManager.default.contents(atPath: repo.path(file)),
                  let json = try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
                throw IntegrationSetupError("no summary JSON at '\(file)'")
            }
            return Summary(json: json)
        }

        /// `kit terraform output <c> -s <stack> -json` as name → value.
        static func outputs(_ repo: ScratchRepository, _ component: String, _ stack: String) throws -> [String: Any] {
            let r = try repo.kit(["terraform", "output", component, "-s", stack, "-json"])
            guard r.status == 0, let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: Any]] else {
                throw IntegrationSetupError("output of \(component) failed:\n\(r.output)")
            }
            return json.mapValues { $0["value"] as Any }
        }

        static let estate = ["network", "queue", "secrets", "cache", "database", "api", "gateway"]

        @Test("deploy --all applies in dependency order with outputs flowing; each reference is read once; a second deploy changes nothing; destroy --all reverses")
        func deployAndDestroy() throws {
            let repo = try ScratchRepository.demo("estate-deploy")
            defer { repo.remove() }

            // The gateway reads the DNS zone of another stack: deploy that first.
            let shared = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-shared"])
            #expect(shared.status == 0, "demo-shared deploy failed:\n\(shared.output)")

            var env = repo.extraEnvironment
            env["KIT_STATS"] = "1"
            repo.extraEnvironment = env
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-estate", "--max-concurrency", "2",
                                       "--summary-file", "deploy.json"])
            repo.extraEnvironment = [:]
            #expect(deploy.status == 0, "deploy --all failed:\n\(deploy.output)")
            let s = try Self.summary(repo, "deploy.json")
            for c in Self.estate { #expect(s.result(c) == "succeeded", "\(c): \(s.entry(c))") }
            #expect(s.components.map { $0["component"] as? String ?? "" } == Self.estate, "run order is not wave by wave")

            // Every edge is respected: a component starts only after what it depends on has ended.
            let edges = [("database", "network"), ("cache", "network"), ("api", "database"), ("api", "cache"), ("api", "secrets"),
                         ("api", "queue"), ("gateway", "api")]
            for (dependent, dependency) in edges {
                #expect(s.interval(dependent).0 >= s.interval(dependency).1,
                        "\(dependent) started at \(s.interval(dependent).0) ms before \(dependency) ended at \(s.interval(dependency).1) ms")
            }
            // The bound holds, and independent components did run at the same time.
            #expect(s.maxOverlap <= 2, "more than 2 components ran at once: \(s.components)")
            #expect(s.maxOverlap == 2, "with --max-concurrency 2 no two components overlapped: \(s.components)")

            // Outputs flowed: the api got the database and cache endpoints and the secret ARN; the gateway the api and the zone.
            let api = try Self.outputs(repo, "api", "demo-estate")
            let inputs = api["inputs"] as? [String: String] ?? [:]
            #expect(inputs["database"] == "demo-estate-orders-db.database.internal:5432", "\(api)")
            #expect(inputs["cache"] == "demo-estate-sessions.cache.internal:6379", "\(api)")
            #expect(inputs["bot_token_arn"] == "arn:demo:secretsmanager:local:000000000000:secret:demo-estate-bot-token", "\(api)")
            let cache = try Self.outputs(repo, "cache", "demo-estate")
            #expect((cache["inputs"] as? [String: String])?["subnet"] == "10.42.1.0/24", "!terraform.output did not flow: \(cache)")
            let gateway = try Self.outputs(repo, "gateway", "demo-estate")
            #expect(gateway["url"] as? String == "https://chatops.estate.demo.kit.example/webhook", "\(gateway)")

            // Six distinct !terraform.state targets and one !terraform.output target: each read once.
            #expect(deploy.stderr.contains("state_reads=6 output_reads=1"), "\(deploy.stderr)")

            // The run records: one per component, sharing one group.
            let list = try repo.kit(["runs", "list", "--stack", "demo-estate", "--format", "json"])
            let records = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? [])
                .filter { $0["subcommand"] as? String == "deploy" }
            #expect(records.count == 7, "\(list.output)")
            #expect(Set(records.compactMap { $0["group"] as? String }).count == 1, "the components of one run do not share a group")
            #expect(records.allSatisfy { $0["result"] as? String == "succeeded" && $0["exit_code"] as? Int == 0 })

            // A second deploy is a no-op.
            let again = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-estate", "--summary-file", "again.json"])
            #expect(again.status == 0, "\(again.output)")
            let s2 = try Self.summary(repo, "again.json")
            for c in s2.components {
                #expect((c["add"] as? Int, c["change"] as? Int, c["destroy"] as? Int) == (0, 0, 0), "second deploy changed \(c)")
            }

            // Destroy in reverse: the gateway first, the network after everything that reads it.
            let destroy = try repo.kit(["terraform", "destroy", "--all", "-s", "demo-estate", "-auto-approve",
                                        "--max-concurrency", "3", "--summary-file", "destroy.md"])
            #expect(destroy.status == 0, "destroy --all failed:\n\(destroy.output)")
            let markdown = try String(contentsOfFile: repo.path("destroy.md"), encoding: .utf8)
            #expect(markdown.contains("### :warning: Replacements and destroys\n\n- `gateway` in `demo-estate`: 1 to destroy"), "\(markdown)")
            #expect(markdown.contains("| gateway | demo-estate | succeeded |"), "\(markdown)")
            let order = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| component") }
                .map { String($0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)) }
            // Reverse waves: gateway; api; what the api read (cache, database, queue, secrets); the network last.
            #expect(order == ["gateway", "api", "cache", "database", "queue", "secrets", "network"], "destroy order: \(order)")
            for c in Self.estate {
                let workspace = try repo.selectedWorkspace(stack: "demo-estate", component: c)
                let state = try TerraformStateFile(path: repo.path(".kit/state/demo-estate/\(c)/workspaces/\(workspace)/terraform.tfstate"))
                #expect(state.resourceAddresses.isEmpty, "\(c) still has resources after destroy --all")
            }
        }

        @Test("plan --all before anything is applied: the roots plan, their dependents wait (never a plan from placeholders); exit 2 with -detailed-exitcode")
        func planBeforeApplyWaits() throws {
            let repo = try ScratchRepository.demo("estate-plan")
            defer { repo.remove() }
            let plan = try repo.kit(["terraform", "plan", "--all", "-s", "demo-estate", "-detailed-exitcode", "--summary-file", "plan.json"])
            #expect(plan.status == 2, "plan --all -detailed-exitcode with changes must exit 2:\n\(plan.output)")
            let s = try Self.summary(repo, "plan.json")
            for c in ["network", "queue", "secrets"] { #expect(s.result(c) == "changes", "\(c): \(s.entry(c))") }
            for c in ["cache", "database", "api", "gateway"] { #expect(s.result(c) == "waiting", "\(c): \(s.entry(c))") }
            #expect((s.entry("database")["message"] as? String)?.contains("component 'network' in stack 'demo-estate' has no state yet") == true,
                    "\(s.entry("database"))")
            #expect(!repo.exists("components/terraform/demo/service/demo-estate-demo-service.planfile") ||
                    !plan.output.contains("[demo-estate/api] Plan:"), "a waiting component was planned")
            #expect(plan.stderr.contains("COMPONENT") && plan.stderr.contains("waiting"), "no summary table:\n\(plan.stderr)")
        }

        @Test("a failure in the middle: fail-fast starts nothing new; keep-going runs everything that does not depend on it",
              arguments: ["fail-fast", "keep-going"])
        func failureModes(mode: String) throws {
            let repo = try ScratchRepository.demo("estate-\(mode)")
            defer { repo.remove() }
            try Self.appendToStack(repo, """
              components:
                terraform:
                  cache:
                    vars:
                      fail: true
              """)
            _ = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-shared"])
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-estate", "--failure-mode", mode,
                                       "--summary-file", "deploy.json"])
            #expect(deploy.status == 1, "a failed component must make the run exit 1:\n\(deploy.output)")
            #expect(deploy.output.contains("this plan fails on purpose"), "terraform's error is not shown:\n\(deploy.output)")
            let s = try Self.summary(repo, "deploy.json")
            for c in ["network", "queue", "secrets"] { #expect(s.result(c) == "succeeded", "\(c): \(s.entry(c))") }
            #expect(s.result("cache") == "failed")
            switch mode {
            case "fail-fast":
                #expect(s.result("database") == "not-run", "\(s.entry("database"))")
                #expect(s.result("api") == "not-run" && s.result("gateway") == "not-run", "\(s.components)")
            default:
                #expect(s.result("database") == "succeeded", "keep-going did not run an independent component: \(s.entry("database"))")
                #expect(s.result("api") == "skipped", "\(s.entry("api"))")
                #expect((s.entry("api")["message"] as? String)?.contains("dependency 'cache' in 'demo-estate' failed") == true, "\(s.entry("api"))")
                #expect(s.result("gateway") == "skipped", "\(s.entry("gateway"))")
            }
            // Nothing was applied for the skipped ones.
            #expect(!repo.exists(".kit/state/demo-estate/api"), "a skipped component has state")
        }

        @Test("SIGINT during deploy --all: running terraform stops cleanly, nothing new starts, the summary says what ran; a rerun succeeds")
        func interrupt() throws {
            let repo = try ScratchRepository.demo("estate-sigint")
            defer { repo.remove() }
            // Make every service slow (a provisioner that sleeps), so the interrupt lands mid-apply.
            try """
            variable "sleep_seconds" {
              type    = number
              default = 20
            }

            resource "terraform_data" "slow" {
              provisioner "local-exec" {
                command = "sleep ${var.sleep_seconds}"
              }
            }
            """.write(toFile: repo.path("components/terraform/demo/service/slow.tf"), atomically: true, encoding: .utf8)
            _ = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-shared"])
            let run = try repo.startKit(["terraform", "deploy", "--all", "-s", "demo-estate", "--max-concurrency", "2",
                                         "--log-order", "stream", "--summary-file", "deploy.json"])
            try run.waitForOutput(containing: "Provisioning with 'local-exec'", timeout: 60)
            usleep(300_000)
            let sent = Date()
            run.interrupt()
            let result = try run.wait(timeout: 60)
            let seconds = Date().timeIntervalSince(sent)
            #expect(result.status != 0, "kit exited 0 after SIGINT:\n\(result.output)")
            #expect(seconds < 10, "kit took \(seconds) s to stop after SIGINT")
            #expect(result.output.contains("Interrupt received"), "terraform did not hear the SIGINT:\n\(result.output)")
            let s = try Self.summary(repo, "deploy.json")
            #expect(s.json["interrupted"] as? Bool == true)
            #expect(s.result("api") == "not-run" || s.result("api") == "skipped", "\(s.entry("api"))")
            #expect(s.result("gateway") == "not-run" || s.result("gateway") == "skipped", "\(s.entry("gateway"))")
            #expect(!result.output.contains("[demo-estate/api] Apply complete"), "a component started after the interrupt")

            // No lock is left: with the provisioner made fast, a rerun succeeds for every component.
            let slow = repo.path("components/terraform/demo/service/slow.tf")
            try (try String(contentsOfFile: slow, encoding: .utf8)).replacingOccurrences(of: "default = 20", with: "default = 0")
                .write(toFile: slow, atomically: true, encoding: .utf8)
            let rerun = try repo.kit(["terraform", "deploy", "--all", "-s", "demo-estate", "--max-concurrency", "2",
                                      "-lock-timeout=0s", "--summary-file", "rerun.json"])
            #expect(rerun.status == 0, "the rerun after SIGINT failed:\n\(rerun.output)")
            #expect(!rerun.output.contains("Error acquiring the state lock"), "a lock was left:\n\(rerun.output)")
            let r = try Self.summary(repo, "rerun.json")
            for c in Self.estate { #expect(r.result(c) == "succeeded", "\(c): \(r.entry(c))") }
        }

        @Test("providers lock --components runs 'terraform providers lock' for every selected component (atmos's --all); mirror stays one component")
        func providersLockForMany() throws {
            let repo = try ScratchRepository.demo("estate-providers-lock")
            defer { repo.remove() }
            let selected = ["network", "queue", "secrets"]
            let dry = try repo.kit(["terraform", "providers", "lock", "--components", selected.joined(separator: ","), "-s", "demo-estate", "--dry-run"])
            #expect(dry.status == 0, "\(dry.output)")
            let lines = dry.output.split(separator: "\n")
            for c in selected {
                #expect(lines.contains { $0.hasPrefix("[demo-estate/\(c)] ") && $0.hasSuffix("terraform providers lock") }, "\(c):\n\(dry.output)")
            }
            #expect(dry.output.contains("providers lock 3 component(s)"), "\(dry.output)")
            let run = try repo.kit(["terraform", "providers", "lock", "--components", selected.joined(separator: ","), "-s", "demo-estate",
                                    "--summary-file", "lock.json"])
            #expect(run.status == 0, "\(run.output)")
            let s = try Self.summary(repo, "lock.json")
            for c in selected { #expect(s.result(c) == "succeeded", "\(c): \(s.entry(c))") }
            #expect(s.json["subcommand"] as? String == "providers lock", "\(s.json)")
            let mirror = try repo.kit(["terraform", "providers", "mirror", "--all", "-s", "demo-estate"])
            #expect(mirror.status == 64, "\(mirror.output)")
            #expect(mirror.output.contains("'kit terraform providers mirror' runs one component"), "\(mirror.output)")
        }

        @Test("one module in two stacks at once: each reads only its own generated files (per-pair working directory)")
        func generatedFilesArePerPair() throws {
            let repo = try ScratchRepository.demo("estate-per-pair")
            defer { repo.remove() }
            // demo-dev asks for a terraform version that exists; demo-prod for one that does not. With one
            // shared terraform_override.tf.json in the module folder, one stack would read the other's.
            for (stack, version) in [("dev", ">= 1.0"), ("prod", ">= 99.0")] {
                let path = repo.path("stacks/orgs/demo/sandbox/\(stack)/local.yaml")
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let edited = text.contains("    network:\n")
                    ? text.replacingOccurrences(of: "    network:\n", with: "    network:\n      required_version: \"\(version)\"\n")
                    : text.replacingOccurrences(of: "components:\n  terraform:\n",
                                                with: "components:\n  terraform:\n    network:\n      required_version: \"\(version)\"\n")
                try edited.write(toFile: path, atomically: true, encoding: .utf8)
            }
            for round in 1...3 {
                let dev = try repo.startKit(["terraform", "plan", "network", "-s", "demo-dev"])
                let prod = try repo.startKit(["terraform", "plan", "network", "-s", "demo-prod"])
                let devResult = try dev.wait(timeout: 120)
                let prodResult = try prod.wait(timeout: 120)
                #expect(devResult.status == 0, "round \(round): demo-dev read demo-prod's required_version:\n\(devResult.output)")
                #expect(prodResult.status != 0 && prodResult.output.contains("Unsupported Terraform Core version"),
                        "round \(round): demo-prod did not get its own required_version:\n\(prodResult.output)")
            }
            #expect(!repo.exists("components/terraform/demo/network/terraform_override.tf.json"), "a generated file was written into the shared module folder")
        }

        @Test("graph errors: a cycle prints the chain; an unknown dependency says 'did you mean'")
        func graphErrors() throws {
            let repo = try ScratchRepository.demo("estate-graph-errors")
            defer { repo.remove() }
            try Self.appendToStack(repo, """
              components:
                terraform:
                  network:
                    dependencies:
                      components:
                        - component: gateway
              """)
            let cycle = try repo.kit(["terraform", "plan", "--all", "-s", "demo-estate"])
            #expect(cycle.status == 1)
            #expect(cycle.stderr.contains("error: dependency cycle: 'api' in 'demo-estate' → 'cache' in 'demo-estate' → 'network' in 'demo-estate' → 'gateway' in 'demo-estate' → 'api' in 'demo-estate'"),
                    "\(cycle.stderr)")
            #expect(!repo.exists(".kit/terraform"), "kit ran something despite the cycle")

            let repo2 = try ScratchRepository.demo("estate-unknown-dep")
            defer { repo2.remove() }
            try Self.appendToStack(repo2, """
              components:
                terraform:
                  network:
                    dependencies:
                      components:
                        - component: secretz
              """)
            let unknown = try repo2.kit(["list", "dependencies", "-s", "demo-estate"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("error: component 'network' in stack 'demo-estate' depends on 'secretz' (dependencies.components[0]), which is not a component of stack 'demo-estate' — did you mean 'secrets'?"),
                    "\(unknown.stderr)")

            let query = try repo2.kit(["terraform", "plan", "--query", ".vars.stage ==", "-s", "demo-dev"])
            #expect(query.status == 1 || query.status == 64, "\(query.output)")
        }

        @Test("--query selects across stacks; --components with --include-dependents adds what depends on them")
        func selection() throws {
            let repo = try ScratchRepository.demo("estate-select")
            defer { repo.remove() }
            let byQuery = try repo.kit(["terraform", "plan", "--query", ".vars.kind == \"database\"", "--dry-run", "--summary-file", "q.json"])
            #expect(byQuery.status == 0, "\(byQuery.output)")
            let q = try Self.summary(repo, "q.json")
            #expect(q.components.map { "\($0["stack"] as? String ?? "")/\($0["component"] as? String ?? "")" } == ["demo-estate/database"], "\(q.components)")

            let withDependents = try repo.kit(["terraform", "plan", "--components", "database", "-s", "demo-estate",
                                               "--include-dependents", "--dry-run", "--summary-file", "d.json"])
            #expect(withDependents.status == 0, "\(withDependents.output)")
            let d = try Self.summary(repo, "d.json")
            #expect(d.components.map { $0["component"] as? String ?? "" } == ["database", "api", "gateway"], "\(d.components)")
            #expect(!repo.exists(".kit/runs.db"), "a dry run created the run database")
        }

        @Test("state rm on the local backend works from the pair's working directory (the backup lands beside the pair's state)")
        func stateRemoveOnLocalBackend() throws {
            let repo = try ScratchRepository.demo("estate-state-rm")
            defer { repo.remove() }
            let deploy = try repo.kit(["terraform", "deploy", "queue", "-s", "demo-estate"])
            #expect(deploy.status == 0, "\(deploy.output)")
            let rm = try repo.kit(["terraform", "state", "rm", "queue", "-s", "demo-estate", "terraform_data.dead_letter[0]"])
            #expect(rm.status == 0, "state rm failed:\n\(rm.output)")
            let list = try repo.kit(["terraform", "state", "list", "queue", "-s", "demo-estate"])
            #expect(list.stdout.split(separator: "\n").map(String.init) == ["terraform_data.queue"], "\(list.output)")
            #expect(repo.allFiles().contains { $0.hasPrefix(".kit/state/demo-estate/queue/") && $0.hasSuffix(".backup") }, "no backup beside the state")
        }

        @Test("deploy with atmos's default deploy_run_init: false initialises a pair that never was (no 'Backend initialization required')")
        func deployInitialisesWhenNeeded() throws {
            let repo = try ScratchRepository.demo("deploy-run-init")
            defer { repo.remove() }
            let kitYAML = repo.path("kit.yaml")
            try (try String(contentsOfFile: kitYAML, encoding: .utf8)).replacingOccurrences(of: "deploy_run_init: true", with: "deploy_run_init: false")
                .write(toFile: kitYAML, atomically: true, encoding: .utf8)
            let deploy = try repo.kit(["terraform", "deploy", "network", "-s", "demo-dev"])
            #expect(deploy.status == 0, "\(deploy.output)")
            #expect(!deploy.output.contains("Backend initialization required"), "\(deploy.output)")
            let again = try repo.kit(["terraform", "deploy", "network", "-s", "demo-dev", "--dry-run"])
            #expect(!again.stdout.contains(" init "), "an initialised pair must not init again on deploy:\n\(again.stdout)")
        }

        /// Appends YAML to the demo-estate stack file of the copy.
        static func appendToStack(_ repo: ScratchRepository, _ yaml: String) throws {
            try append(repo, "stacks/orgs/demo/sandbox/estate/local.yaml", yaml)
        }

        static func append(_ repo: ScratchRepository, _ file: String, _ yaml: String) throws {
            let path = repo.path(file)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try (text + "\n" + yaml + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
