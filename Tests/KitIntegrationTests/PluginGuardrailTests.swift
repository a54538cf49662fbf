import Foundation
import Testing

extension KitIntegration {
    /// The provider plugins through kit and the real terraform: the AWS plugin's plan review on
    /// destroy, policy severities from `settings.kit.policies`, the S3 backend the plugin completes,
    /// `kit terraform review --plan-json` and `kit validate component`.
    ///
    /// The built plugins (`libKitAWS.so`, `libKitAzure.so`) are found next to the built kit. Golden
    /// files live in `Golden/` (re-record with `KIT_RECORD_GOLDEN=1`).
    @Suite("plugin guardrails")
    struct PluginGuardrailTests {
        @Test("a destroy the guardrails block changes nothing; --override-guardrails goes on and records why")
        func reviewBlocksDestroy() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("guardrail-block", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            let stack = "s3-guardrails"

            // Creating is allowed: the policy only looks at destroys.
            let deploy = try repo.kit(["terraform", "deploy", "slow", "-s", stack])
            #expect(deploy.status == 0, "deploy failed:\n\(deploy.output)")
            #expect(deploy.output.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."), "\(deploy.output)")
            #expect(try stateList(repo, stack) == ["terraform_data.slow"])

            // The stack enables the destroy rule, but its tags lack ChatOpsManaged: blocked before terraform runs.
            let blocked = try repo.kit(["terraform", "destroy", "slow", "-s", stack, "-auto-approve"])
            #expect(blocked.status == 1, "a destroy the guardrails block must exit 1:\n\(blocked.output)")
            #expect(!blocked.output.contains("to destroy."), "the blocked destroy was planned:\n\(blocked.output)")
            #expect(blocked.stderr.contains("error: [aws.destroy.tagged-only] vars.tags.ChatOpsManaged:"),
                    "the finding does not name the policy and the setting:\n\(blocked.output)")
            #expect(blocked.stderr.contains("nothing was changed"), "\(blocked.output)")
            #expect(blocked.stderr.contains("--override-guardrails"), "the error does not say how to override:\n\(blocked.output)")
            #expect(!blocked.output.contains("Destroying..."), "terraform started destroying:\n\(blocked.output)")
            #expect(!blocked.output.contains("Apply complete!") && !blocked.output.contains("Destroy complete!"), "\(blocked.output)")
            #expect(try stateList(repo, stack) == ["terraform_data.slow"], "the blocked destroy changed the state")
            #expect(try runRecords(repo, stack: stack, component: "slow").allSatisfy { $0["override_reason"] == nil || $0["override_reason"] is NSNull },
                    "a blocked run recorded an override")
            #expect(try runRecords(repo, stack: stack, component: "slow").first { $0["subcommand"] as? String == "destroy" }?["result"] as? String == "failed",
                    "the blocked destroy is not recorded as failed")
            let leftovers = repo.allFiles().filter { $0.hasSuffix(".planfile") }
            #expect(leftovers.isEmpty, "the blocked run left its reviewed planfile (it holds variable values): \(leftovers)")

            // The same destroy with the override goes through and is recorded.
            let overridden = try repo.kit(["terraform", "destroy", "slow", "-s", stack, "-auto-approve",
                                           "--override-guardrails", "test cleanup"])
            #expect(overridden.status == 0, "the overridden destroy failed:\n\(overridden.output)")
            #expect(overridden.stderr.contains("[aws.destroy.tagged-only] vars.tags.ChatOpsManaged:"), "\(overridden.output)")
            #expect(overridden.stderr.contains("warning: 1 guardrail error(s) overridden for 'slow' in 's3-guardrails': test cleanup"),
                    "the override is not reported:\n\(overridden.output)")
            #expect(overridden.output.contains("Resources: 0 added, 0 changed, 1 destroyed."), "\(overridden.output)")
            #expect(try stateList(repo, stack) == [], "the state still holds resources after the overridden destroy")

            let records = try runRecords(repo, stack: stack, component: "slow").filter { $0["override_reason"] is String }
            #expect(records.count == 1, "expected one run record with an override, got \(records.count)")
            let record = records.first ?? [:]
            #expect(record["result"] as? String == "succeeded")
            #expect(record["override_reason"] as? String == "test cleanup")
            #expect(record["stack"] as? String == stack)
            #expect(record["component"] as? String == "slow")
            #expect(record["subcommand"] as? String == "destroy")
            #expect(record["started_at"] is String)
            let findings = record["findings"] as? [[String: Any]] ?? []
            #expect(findings.count == 1, "\(findings)")
            #expect(findings.first?["policy"] as? String == "aws.destroy.tagged-only")
            #expect(findings.first?["severity"] as? String == "error")
            #expect(findings.first?["path"] as? String == "vars.tags.ChatOpsManaged")
            #expect((findings.first?["message"] as? String)?.contains("ChatOpsManaged") == true, "\(findings)")
        }

        @Test("settings.kit.policies lowers aws.destroy.tagged-only: the destroy goes through", arguments: ["off", "warning"])
        func policySeverityFromSettings(severity: String) throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("guardrail-\(severity)", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            let stack = "s3-policy-\(severity)"

            let deploy = try repo.kit(["terraform", "deploy", "slow", "-s", stack])
            #expect(deploy.status == 0, "deploy failed:\n\(deploy.output)")
            #expect(try stateList(repo, stack) == ["terraform_data.slow"])

            let destroy = try repo.kit(["terraform", "destroy", "slow", "-s", stack, "-auto-approve"])
            #expect(destroy.status == 0, "destroy with the policy '\(severity)' failed:\n\(destroy.output)")
            #expect(destroy.output.contains("Resources: 0 added, 0 changed, 1 destroyed."), "\(destroy.output)")
            #expect(try stateList(repo, stack) == [], "the state still holds resources")
            #expect(try runRecords(repo, stack: stack, component: "slow").allSatisfy { !($0["override_reason"] is String) },
                    "nothing was overridden, yet an override was recorded")
            #expect(!destroy.stderr.contains("error:"), "\(destroy.output)")
            switch severity {
            case "warning":
                // The configuration check reports (no destroy tag in vars.tags), as a warning; the plan's only
                // resource, terraform_data, cannot carry tags and is not judged.
                #expect(destroy.stderr.contains("warning: [aws.destroy.tagged-only] vars.tags.ChatOpsManaged:"), "\(destroy.output)")
                #expect(!destroy.stderr.contains("terraform_data.slow:"), "\(destroy.output)")
            default:
                #expect(!destroy.output.contains("aws.destroy.tagged-only"), "a policy that is off still reported:\n\(destroy.output)")
            }
        }

        @Test("the AWS plugin completes the S3 backend: state under the kernel's workspace_key_prefix, encrypt on by default")
        func s3BackendThroughPlugin() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("guardrail-backend", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            let stack = "s3-guardrails"

            // What the kernel resolved: the stack sets neither workspace_key_prefix nor encrypt.
            let describe = try repo.kitWithoutTerraform(["describe", "component", "slow", "-s", stack, "--format", "json"])
            #expect(describe.status == 0, "\(describe.output)")
            let component = try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any] ?? [:]
            let backend = component["backend"] as? [String: Any] ?? [:]
            let prefix = backend["workspace_key_prefix"] as? String
            #expect(prefix == "slow", "atmos names the prefix after the component: \(backend)")
            #expect(backend["encrypt"] == nil, "the stack must not set encrypt for this test: \(backend)")
            let workspace = component["workspace"] as? String ?? ""
            #expect(workspace == stack)

            // The plugin's backend map: `--dry-run` lists its keys, with encrypt and use_lockfile added.
            let dryRun = try repo.kitWithoutTerraform(["terraform", "plan", "slow", "-s", stack, "--dry-run"])
            #expect(dryRun.status == 0, "\(dryRun.output)")
            let backendLine = dryRun.stdout.split(separator: "\n").first { $0.contains("backend.tfbackend") }.map(String.init) ?? ""
            #expect(backendLine.contains("s3 backend settings:") && backendLine.contains(" encrypt,")
                        && backendLine.contains(" use_lockfile,") && backendLine.contains(" workspace_key_prefix"),
                    "dry-run does not list the plugin's backend keys:\n\(dryRun.stdout)")

            let deploy = try repo.kit(["terraform", "deploy", "slow", "-s", stack])
            #expect(deploy.status == 0, "deploy failed:\n\(deploy.output)")
            let settings = try String(contentsOfFile: repo.path(".kit/terraform/\(stack)/slow/backend.tfbackend"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            #expect(settings.contains("encrypt = true"), "\(settings)")
            #expect(settings.contains("use_lockfile = true"), "\(settings)")
            #expect(settings.contains("workspace_key_prefix = \"\(prefix ?? "")\""), "\(settings)")
            #expect(settings.contains("key = \"guardrails/terraform.tfstate\""), "\(settings)")

            // Terraform stores a non-default workspace's state at <workspace_key_prefix>/<workspace>/<key>.
            let expectedKey = "\(prefix ?? "")/\(workspace)/guardrails/terraform.tfstate"
            #expect(try moto.bucketKeys() == [expectedKey])
            // encrypt = true makes terraform ask for server-side encryption; moto records it (it encrypts nothing by default).
            let encryption = try moto.python("""
            import boto3
            s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1")
            print(s3.head_object(Bucket="\(MotoServer.bucket)", Key="\(expectedKey)").get("ServerSideEncryption"))
            """)
            #expect(encryption.trimmingCharacters(in: .whitespacesAndNewlines) == "AES256", "the state object is not encrypted: \(encryption)")
        }

        @Test("kit terraform review --plan-json: the violating plan exits 1 with its policy ids, the compliant one exits 0",
              arguments: [("aws-app-create-violations", Int32(1)), ("aws-app-create-compliant", Int32(0))])
        func reviewPlanJSON(fixture: String, exitCode: Int32) throws {
            let repo = try ScratchRepository.cases("review-\(fixture)")
            defer { repo.remove() }
            let source = IntegrationPaths.packageRoot + "/Tests/KitPluginTests/Fixtures/plans/\(fixture).json"
            try FileManager.default.copyItem(atPath: source, toPath: repo.path("plan.json"))

            // Review runs no terraform: terraform is not on PATH.
            let args = ["terraform", "review", "orders-db", "-s", "s3-review", "--plan-json", "plan.json"]
            let review = try repo.kitWithoutTerraform(args)
            #expect(review.status == exitCode, "\(review.output)")
            let policies = Set(review.stderr.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("error: ["), let end = line.firstIndex(of: "]") else { return nil }
                return String(line[line.index(line.startIndex, offsetBy: 8)..<end])
            })
            if exitCode == 0 {
                #expect(policies.isEmpty, "\(review.output)")
            } else {
                #expect(policies == ["aws.tags.required", "aws.rds.production", "aws.s3.force-destroy", "aws.ec2.imdsv2",
                                     "aws.ec2.user-data-size", "aws.iam.permissions-boundary"], "\(review.output)")
            }
            checkGolden(transcript(args, review), named: "review-\(fixture).txt")
        }

        @Test("kit validate component rds -s acme-prod-use1 on the example repository: the aws plugin finds nothing")
        func validateExampleRDS() throws {
            let repo = try ScratchRepository.example("validate-rds")
            defer { repo.remove() }
            let args = ["validate", "component", "rds", "-s", "acme-prod-use1"]
            let validate = try repo.kitWithoutTerraform(args)
            #expect(validate.status == 0, "the example's production rds breaks a guardrail:\n\(validate.output)")
            #expect(validate.stderr.contains("with 'aws'"), "the aws plugin did not validate the s3-backed component:\n\(validate.output)")
            checkGolden(transcript(args, validate), named: "validate-rds-acme-prod-use1.txt")
        }

        // MARK: - Helpers

        /// `kit terraform state list` for `slow` in the stack; throws when it fails.
        func stateList(_ repo: ScratchRepository, _ stack: String) throws -> [String] {
            let list = try repo.kit(["terraform", "state", "list", "slow", "-s", stack])
            guard list.status == 0 else { throw IntegrationSetupError("state list failed (status \(list.status)):\n\(list.output)") }
            return list.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }

        /// The pair's run records, newest first, read back through `kit runs list --format json`.
        func runRecords(_ repo: ScratchRepository, stack: String, component: String) throws -> [[String: Any]] {
            let list = try repo.kit(["runs", "list", "--stack", stack, "--component", component, "--format", "json"])
            guard list.status == 0 else { throw IntegrationSetupError("runs list failed (status \(list.status)):\n\(list.output)") }
            guard let records = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] else {
                throw IntegrationSetupError("runs list did not print a JSON list:\n\(list.stdout)")
            }
            return records
        }

        /// The command, exit code, stdout and stderr of a run, in the golden files' form.
        func transcript(_ args: [String], _ r: CommandResult) -> String {
            "$ kit \(args.joined(separator: " "))\nexit \(r.status)\n--- stdout\n\(r.stdout)--- stderr\n\(r.stderr)"
        }

        /// Compares `actual` with `Golden/<name>`, or writes it with `KIT_RECORD_GOLDEN=1`.
        func checkGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let file = IntegrationPaths.goldenDirectory + "/" + name
            if ProcessInfo.processInfo.environment["KIT_RECORD_GOLDEN"] == "1" {
                do { try actual.write(toFile: file, atomically: true, encoding: .utf8) } catch {
                    Issue.record("cannot write golden file '\(file)': \(error)", sourceLocation: sourceLocation)
                }
                return
            }
            guard let golden = try? String(contentsOfFile: file, encoding: .utf8) else {
                Issue.record("golden file '\(file)' is missing — record it with KIT_RECORD_GOLDEN=1\nactual:\n\(actual)",
                             sourceLocation: sourceLocation)
                return
            }
            #expect(actual == golden, "output differs from 'Golden/\(name)' (re-record with KIT_RECORD_GOLDEN=1 if intended):\n\(DryRunGoldenTests().lineDiff(golden, actual))",
                    sourceLocation: sourceLocation)
        }
    }
}
