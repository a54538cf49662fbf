import Foundation
import Testing

extension KitIntegration {
    /// The AWS seed estates for real: kit deploys and destroys every component of the example repository's
    /// `acme-local-use1` (all of `catalog/aws`) with the real `hashicorp/aws` provider from the machine's
    /// filesystem mirror against the local AWS API (moto with `tools/moto-local`), and the seed guardrails
    /// block real plans. Every check of what exists reads the local API with boto3
    /// (`tools/aws-seed/facts.py`, see AWSSeedFacts.swift), not through kit or terraform.
    ///
    /// Needs `.tools/terraform-aws.tfrc`, which `scripts/setup` writes when it finds the provider mirror;
    /// without it the tests fail with one sentence saying so (never a skip).
    @Suite("aws seed estates")
    struct AWSSeedTests {
        static let stack = "acme-local-use1"
        static let boundary = "arn:aws:iam::123456789012:policy/acme-workload-boundary"
        static let stateBucket = "acme-plat-local-tfstate"
        static let lockTable = "acme-plat-local-tflock"
        static let concurrency = "8"

        @Test("deploy --all applies every AWS component in order with outputs flowing, as the seeds claim (boto3); a second plan is a no-op; destroy --all leaves only the state bucket")
        func deployAndDestroyTheEstates() throws {
            let (moto, repo) = try Self.localEstate("aws-seed-estates")
            defer { moto.stop(); repo.remove() }

            // Eight at once: kit starts ready components in run order, so with fewer the critical path
            // (vpc → security-group/rds → rds → rds-replica on deploy, the reverse on destroy) waits
            // behind components nothing depends on; most of the time is the provider waiting on RDS.
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", Self.stack, "--max-concurrency", Self.concurrency], timeout: 720)
            #expect(deploy.status == 0, "deploy --all failed:\n\(deploy.output)")
            Self.report("deploy --all", deploy)
            // Dependency order: vpc → security groups and the ecs runner → the enclave runner and rds →
            // the replica and the alarms.
            #expect(deploy.stderr.contains("12 component(s) in 4 wave(s)"), "\(deploy.stderr)")
            let facts = try Self.facts(moto)
            try Self.checkDeployed(facts)

            // The second run is a no-op plan for every component (-detailed-exitcode: 0).
            let again = try repo.kit(["terraform", "plan", "--all", "-s", Self.stack, "--max-concurrency", Self.concurrency, "-detailed-exitcode"], timeout: 480)
            Self.report("plan --all (second run)", again)
            #expect(again.status == 0, "the second plan is not a no-op:\n\(again.output)")

            // ChatOps context: a destroy of resources that do not carry ChatOpsManaged = "true" is planned,
            // reviewed and blocked before anything is deleted. The stack now enables the rule for the vpc
            // and tags it in vars.tags (the configuration check passes), but nothing was re-applied: the
            // real prior state lacks the tag.
            try Self.enableDestroyTagOnVPC(repo)
            let blocked = try repo.kit(["terraform", "destroy", "vpc", "-s", Self.stack, "-auto-approve"], timeout: 180)
            Self.report("destroy vpc (blocked)", blocked)
            #expect(blocked.status == 1, "the untagged destroy was not blocked:\n\(blocked.output)")
            #expect(blocked.output.contains("to destroy."), "the destroy was not planned:\n\(blocked.output)")
            #expect(blocked.stderr.contains("error: [aws.destroy.tagged-only]") && blocked.stderr.contains("'aws_vpc.this'"),
                    "\(blocked.output)")
            // Types that cannot carry tags are not judged.
            #expect(!blocked.stderr.contains("aws_iam_role_policy.flow_logs"), "\(blocked.stderr)")
            #expect(!blocked.output.contains("Destroying..."), "\(blocked.output)")
            #expect(try Self.facts(moto).vpcs == facts.vpcs, "the blocked destroy changed the vpcs")
            try Self.restoreStack(repo)

            // destroy --all in reverse order: chatops (which enables the rule) passes, since every
            // resource of it that can carry tags carries ChatOpsManaged.
            let destroy = try repo.kit(["terraform", "destroy", "--all", "-s", Self.stack, "--max-concurrency", Self.concurrency, "-auto-approve"], timeout: 600)
            Self.report("destroy --all", destroy)
            #expect(destroy.status == 0, "destroy --all failed:\n\(destroy.output)")
            Self.checkDestroyed(try Self.facts(moto))
        }

        @Test("every seed guardrail blocks a real plan of the real provider before anything changes")
        func guardrailsBlockRealPlans() throws {
            let (moto, repo) = try Self.localEstate("aws-seed-guardrails")
            defer { moto.stop(); repo.remove() }
            try FileManager.default.createDirectory(atPath: repo.path("components/terraform/guardrail-probe"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: IntegrationPaths.testsDirectory + "/Fixtures/aws-guardrail-probe/main.tf",
                                             toPath: repo.path("components/terraform/guardrail-probe/main.tf"))
            // A production-classed stack on the local API: the probe (every plan rule at once) and the
            // ecs-runner with force_destroy on from the command line (its stack vars are compliant).
            try """
            # Production guardrails on real plans (AWSSeedTests).
            name: acme-local-guardrails
            import:
              - orgs/acme/plat/local/_defaults
              - mixins/region/use1
              - catalog/aws/ecs-runner
            settings:
              kit:
                environment_class: prod
                policies:
                  aws.sg.public-ingress: error
            components:
              terraform:
                guardrail-probe:
                  vars:
                    name: probe
                ecs-runner:
                  vars:
                    name: guarded-runner
                    cluster_name: guarded-runner
                    state_bucket_name: acme-plat-local-guarded-artifacts
                    subnet_ids: []
                    force_destroy: false
            """.write(toFile: repo.path("stacks/orgs/acme/plat/local/guardrails.yaml"), atomically: true, encoding: .utf8)

            let probe = try repo.startKit(["terraform", "deploy", "guardrail-probe", "-s", "acme-local-guardrails"])
            let runner = try repo.startKit(["terraform", "deploy", "ecs-runner", "-s", "acme-local-guardrails",
                                            "--", "-var", "force_destroy=true", "-var", "versioning_enabled=false"])
            let probed = try probe.wait(timeout: 300)
            let ran = try runner.wait(timeout: 300)
            Self.report("deploy guardrail-probe (blocked)", probed)
            Self.report("deploy ecs-runner with force_destroy (blocked)", ran)

            #expect(probed.status == 1, "\(probed.output)")
            #expect(probed.output.contains("Plan: 5 to add"), "the probe was not planned:\n\(probed.output)")
            for (policy, address) in [("aws.iam.permissions-boundary", "aws_iam_role.probe"), ("aws.s3.force-destroy", "aws_s3_bucket.probe"),
                                      ("aws.ec2.imdsv2", "aws_launch_template.probe"), ("aws.ec2.user-data-size", "aws_launch_template.probe"),
                                      ("aws.sg.public-ingress", "aws_security_group.probe"), ("aws.rds.production", "aws_db_instance.probe")] {
                #expect(probed.stderr.contains("error: [\(policy)] \(address)"), "no \(policy) error on \(address):\n\(probed.stderr)")
            }
            #expect(probed.stderr.contains("nothing was changed"), "\(probed.stderr)")
            #expect(!probed.output.contains("Creating..."), "\(probed.output)")

            #expect(ran.status == 1, "\(ran.output)")
            #expect(ran.stderr.contains("error: [aws.s3.force-destroy] aws_s3_bucket.state"), "\(ran.stderr)")
            #expect(!ran.output.contains("Creating..."), "\(ran.output)")

            let facts = try Self.facts(moto)
            #expect(facts.buckets == [Self.stateBucket] && facts.roles.isEmpty && facts.launchTemplates.isEmpty
                        && facts.securityGroups.isEmpty && facts.dbInstances.isEmpty && facts.clusters.isEmpty,
                    "a blocked plan created something: \(facts)")
        }

        // MARK: - Set-up

        /// moto (seed mode, with the state bucket and lock table) and a copy of the example repository
        /// whose local stage points at it; kit runs with the AWS CLI configuration and a shared provider cache.
        static func localEstate(_ label: String) throws -> (MotoServer, ScratchRepository) {
            let cliConfig = IntegrationPaths.packageRoot + "/.tools/terraform-aws.tfrc"
            guard FileManager.default.fileExists(atPath: cliConfig) else {
                throw IntegrationSetupError("no terraform CLI configuration for the aws provider at '\(cliConfig)': scripts/setup found no filesystem mirror of registry.terraform.io/hashicorp/aws on this machine (put the provider in /opt/tf-plugins or set KIT_TF_PROVIDER_MIRROR, then run scripts/setup)")
            }
            let moto = try MotoServer(bucket: stateBucket, lockTable: lockTable, seedEstates: true)
            let repo: ScratchRepository
            do {
                repo = try ScratchRepository.example(label)
                let defaults = repo.path("stacks/orgs/acme/plat/local/_defaults.yaml")
                let text = try String(contentsOfFile: defaults, encoding: .utf8)
                guard text.contains("http://127.0.0.1:4566") else { throw IntegrationSetupError("'\(defaults)' no longer sets endpoint_url http://127.0.0.1:4566") }
                try text.replacingOccurrences(of: "http://127.0.0.1:4566", with: moto.endpoint).write(toFile: defaults, atomically: true, encoding: .utf8)
            } catch {
                moto.stop()
                throw error
            }
            repo.extraEnvironment = [
                "TF_CLI_CONFIG_FILE": cliConfig,
                // One provider copy for every component (kit serialises the inits that use the cache).
                "TF_PLUGIN_CACHE_DIR": IntegrationPaths.packageRoot + "/.tools/terraform-plugin-cache",
                "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE": "true",
                "AWS_DEFAULT_REGION": "us-east-1", "KIT_STATS": "1",
            ]
            return (moto, repo)
        }

        /// Prints a step's duration and kit's summary table (the figures the README quotes).
        static func report(_ step: String, _ result: CommandResult) {
            let summary = result.stderr.split(separator: "\n").filter {
                $0.contains("acme-local-") || $0.hasPrefix("COMPONENT") || $0.contains("component(s)") || $0.hasPrefix("kit-stats")
            }
            print("aws-seed: \(step): \(String(format: "%.1f", result.seconds)) s, exit \(result.status)\n  " + summary.joined(separator: "\n  "))
        }

        static func enableDestroyTagOnVPC(_ repo: ScratchRepository) throws {
            let file = repo.path("stacks/orgs/acme/plat/local/use1.yaml")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            try text.write(toFile: repo.root + "/use1.yaml.orig", atomically: true, encoding: .utf8)
            // components.terraform.vpc: the rule enabled, the tag in vars.tags (the other vars stay).
            let tagged = """
                vpc:
                  settings:
                    kit:
                      aws:
                        destroy_tag:
                          key: ChatOpsManaged
                          value: "true"
                  vars:
                    tags:
                      ChatOpsManaged: "true"

            """
            guard text.contains("    vpc:\n      vars:\n") else { throw IntegrationSetupError("'\(file)' has no 'vpc: vars:' block") }
            try text.replacingOccurrences(of: "    vpc:\n      vars:\n", with: tagged).write(toFile: file, atomically: true, encoding: .utf8)
        }

        static func restoreStack(_ repo: ScratchRepository) throws {
            let file = repo.path("stacks/orgs/acme/plat/local/use1.yaml")
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(atPath: repo.root + "/use1.yaml.orig", toPath: file)
        }
    }
}
