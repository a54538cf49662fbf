import Foundation
import Testing

extension KitIntegration {
    /// The AWS seed estates for real: kit deploys and destroys the example repository's `acme-local-use1`
    /// (ChatOps; vpc → ecs-runner → enclave-runner) with the real `hashicorp/aws` provider from the
    /// machine's filesystem mirror against moto_server, and the seed guardrails block real plans.
    /// Every check of what exists reads the local API with boto3, not through kit or terraform.
    ///
    /// Needs `.tools/terraform-aws.tfrc`, which `scripts/setup` writes when it finds the provider mirror;
    /// without it the tests fail with one sentence saying so (never a skip).
    @Suite("aws seed estates")
    struct AWSSeedTests {
        static let stack = "acme-local-use1"
        static let boundary = "arn:aws:iam::123456789012:policy/acme-workload-boundary"
        static let stateBucket = "acme-plat-local-tfstate"
        static let lockTable = "acme-plat-local-tflock"

        @Test("deploy --all applies ChatOps, the enclave runner and the production components in order with outputs flowing; a second plan is a no-op; destroy --all leaves only the state bucket")
        func deployAndDestroyTheEstates() throws {
            let (moto, repo) = try Self.localEstate("aws-seed-estates")
            defer { moto.stop(); repo.remove() }

            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", Self.stack, "--max-concurrency", "4"], timeout: 480)
            #expect(deploy.status == 0, "deploy --all failed:\n\(deploy.output)")
            Self.report("deploy --all", deploy)
            // Dependency order: the runner waits for the vpc, the enclave runner for both.
            #expect(deploy.stderr.contains("8 component(s) in 3 wave(s)"), "\(deploy.stderr)")
            let facts = try Self.facts(moto)
            try Self.checkDeployed(facts)

            // The second run is a no-op plan for every component (-detailed-exitcode: 0).
            let again = try repo.kit(["terraform", "plan", "--all", "-s", Self.stack, "--max-concurrency", "4", "-detailed-exitcode"], timeout: 360)
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
            let destroy = try repo.kit(["terraform", "destroy", "--all", "-s", Self.stack, "--max-concurrency", "4", "-auto-approve"], timeout: 420)
            Self.report("destroy --all", destroy)
            #expect(destroy.status == 0, "destroy --all failed:\n\(destroy.output)")
            let after = try Self.facts(moto)
            #expect(after.buckets == [Self.stateBucket], "left behind: \(after.buckets)")
            #expect(after.roles.isEmpty && after.functions.isEmpty && after.vpcs.isEmpty && after.tables == [Self.lockTable]
                        && after.launchTemplates.isEmpty && after.apis.isEmpty && after.secrets.isEmpty && after.clusters.isEmpty
                        && after.securityGroups.isEmpty && after.dashboards.isEmpty,
                    "left behind: \(after)")
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

        // MARK: - What the local API holds (boto3)

        /// What boto3 reads from the local API.
        struct Facts: Codable, CustomStringConvertible {
            var buckets: [String]
            var tables: [String]
            var roles: [String]
            var roleBoundaries: [String: String]
            var functions: [String]
            var lambdaEnvironment: [String: String]
            var lambdaRole: String
            var apis: [String]
            var stageThrottling: [String: Double]
            var streamViewType: String
            var runnerBucket: [String: String]
            var launchTemplates: [String]
            var launchTemplateTokens: [String: String]
            var vpcs: [String]
            var securityGroups: [String]
            var dbInstances: [String]
            var secrets: [String]
            var clusters: [String]
            var dashboards: [String]
            var untagged: [String]
            var description: String {
                let data = (try? JSONEncoder().encode(self)) ?? Data()
                return String(decoding: data, as: UTF8.self)
            }
        }

        static func facts(_ moto: MotoServer) throws -> Facts {
            let json = try moto.python(#"""
            import boto3, json
            def c(name): return boto3.client(name, endpoint_url=ENDPOINT, region_name="us-east-1")
            s3, ddb, iam, lam, apigw, ec2 = c("s3"), c("dynamodb"), c("iam"), c("lambda"), c("apigatewayv2"), c("ec2")
            required = ["Environment", "Owner", "CostCenter"]
            untagged = []
            def judge(what, tags):
                if any(not tags.get(k) for k in required): untagged.append(what)
            def kv(items): return {t["Key"]: t["Value"] for t in items or []}
            f = {"buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
                 "tables": sorted(ddb.list_tables()["TableNames"])}
            roles = [r for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("acme-") or r["RoleName"].startswith("guardrail-")]
            f["roles"] = sorted(r["RoleName"] for r in roles)
            f["roleBoundaries"] = {}
            for r in roles:
                full = iam.get_role(RoleName=r["RoleName"])["Role"]
                f["roleBoundaries"][r["RoleName"]] = full.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn", "")
                judge("iam role " + r["RoleName"], kv(full.get("Tags")))
            fns = lam.list_functions()["Functions"]
            f["functions"] = sorted(fn["FunctionName"] for fn in fns)
            f["lambdaEnvironment"], f["lambdaRole"] = {}, ""
            for fn in fns:
                conf = lam.get_function(FunctionName=fn["FunctionName"])
                f["lambdaEnvironment"] = conf["Configuration"].get("Environment", {}).get("Variables", {})
                f["lambdaRole"] = conf["Configuration"]["Role"]
                judge("lambda " + fn["FunctionName"], conf.get("Tags", {}))
            apis = apigw.get_apis()["Items"]
            f["apis"] = sorted(a["Name"] for a in apis)
            f["stageThrottling"] = {}
            for a in apis:
                judge("api " + a["Name"], a.get("Tags", {}))
                for st in apigw.get_stages(ApiId=a["ApiId"])["Items"]:
                    rs = st.get("DefaultRouteSettings", {})
                    f["stageThrottling"] = {"rate": float(rs.get("ThrottlingRateLimit", -1)), "burst": float(rs.get("ThrottlingBurstLimit", -1))}
            f["streamViewType"] = ""
            for t in f["tables"]:
                d = ddb.describe_table(TableName=t)["Table"]
                if t.startswith("acme-local-"):
                    f["streamViewType"] = d.get("StreamSpecification", {}).get("StreamViewType", "") if d.get("StreamSpecification", {}).get("StreamEnabled") else ""
                    judge("dynamodb " + t, kv(ddb.list_tags_of_resource(ResourceArn=d["TableArn"]).get("Tags")))
            f["runnerBucket"] = {}
            for b in f["buckets"]:
                if b.endswith("-artifacts"):
                    enc = s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
                    rule = s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]
                    f["runnerBucket"] = {"versioning": s3.get_bucket_versioning(Bucket=b).get("Status", ""),
                                         "sse": enc["SSEAlgorithm"], "kms": enc.get("KMSMasterKeyID", ""),
                                         "lifecycle": rule["Status"] + " noncurrent " + str(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])}
                    judge("bucket " + b, kv(s3.get_bucket_tagging(Bucket=b).get("TagSet")))
            lts = ec2.describe_launch_templates()["LaunchTemplates"]
            f["launchTemplates"] = sorted(t["LaunchTemplateName"] for t in lts)
            f["launchTemplateTokens"] = {}
            for t in lts:
                v = ec2.describe_launch_template_versions(LaunchTemplateId=t["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"][0]
                f["launchTemplateTokens"][t["LaunchTemplateName"]] = v["LaunchTemplateData"].get("MetadataOptions", {}).get("HttpTokens", "")
                judge("launch template " + t["LaunchTemplateName"], kv(t.get("Tags")))
            vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
            f["vpcs"] = sorted(v["VpcId"] for v in vpcs)
            for v in vpcs: judge("vpc " + v["VpcId"], kv(v.get("Tags")))
            for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": f["vpcs"] or ["none"]}])["Subnets"]:
                judge("subnet " + s["SubnetId"], kv(s.get("Tags")))
            f["securityGroups"] = sorted(g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default")
            f["dbInstances"] = sorted(d["DBInstanceIdentifier"] for d in c("rds").describe_db_instances()["DBInstances"])
            sm = c("secretsmanager").list_secrets()["SecretList"]
            f["secrets"] = sorted(s["Name"] for s in sm if not s.get("DeletedDate"))
            for s in sm:
                if not s.get("DeletedDate"): judge("secret " + s["Name"], kv(s.get("Tags")))
            ecs = c("ecs")
            arns = ecs.list_clusters()["clusterArns"]
            active = [c["clusterArn"] for c in (ecs.describe_clusters(clusters=arns)["clusters"] if arns else []) if c["status"] == "ACTIVE"]
            f["clusters"] = sorted(a.split("/")[-1] for a in active)
            for a in active:
                judge("ecs cluster " + a, {t["key"]: t["value"] for t in ecs.list_tags_for_resource(resourceArn=a).get("tags", [])})
            logs = c("logs")
            for g in logs.describe_log_groups()["logGroups"]:
                judge("log group " + g["logGroupName"], logs.list_tags_log_group(logGroupName=g["logGroupName"]).get("tags", {}))
            kms = c("kms")
            # AWS-managed keys (alias/aws/*, e.g. the one DynamoDB encryption creates) are not the stack's.
            managed = {a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"] if a["AliasName"].startswith("alias/aws/")}
            for k in kms.list_keys()["Keys"]:
                meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
                if k["KeyId"] not in managed and meta.get("KeyState") == "Enabled":
                    judge("kms key " + k["KeyId"], {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=k["KeyId"]).get("Tags", [])})
            f["dashboards"] = sorted(d["DashboardName"] for d in c("cloudwatch").list_dashboards()["DashboardEntries"])
            f["untagged"] = untagged
            print(json.dumps(f))
            """#)
            return try JSONDecoder().decode(Facts.self, from: Data(json.utf8))
        }

        /// What the deployed estates must look like.
        static func checkDeployed(_ f: Facts) throws {
            #expect(f.functions == ["acme-local-use1-chatops"], "\(f.functions)")
            #expect(Set(f.lambdaEnvironment.keys) == ["LOG_LEVEL", "TELEGRAM_ALLOWED_CHAT_IDS", "SECRET_ARNS"], "\(f.lambdaEnvironment)")
            #expect(f.lambdaEnvironment["LOG_LEVEL"] == "info" && f.lambdaEnvironment["TELEGRAM_ALLOWED_CHAT_IDS"] == "-1001234567890")
            #expect(f.lambdaEnvironment["SECRET_ARNS"]?.contains("arn:aws:secretsmanager:us-east-1:123456789012:secret:chatops/telegram-bot-token") == true,
                    "\(f.lambdaEnvironment)")
            #expect(f.lambdaRole == "arn:aws:iam::123456789012:role/acme-local-use1-chatops-lambda")
            #expect(f.apis == ["acme-local-use1-chatops"] && f.stageThrottling == ["rate": 20, "burst": 40], "\(f.apis) \(f.stageThrottling)")
            #expect(f.streamViewType == "NEW_AND_OLD_IMAGES")
            #expect(f.runnerBucket["versioning"] == "Enabled" && f.runnerBucket["sse"] == "aws:kms"
                        && f.runnerBucket["lifecycle"] == "Enabled noncurrent 14" && f.runnerBucket["kms"]?.isEmpty == false, "\(f.runnerBucket)")
            let expectedRoles: Set<String> = ["acme-local-use1-chatops-lambda", "acme-local-use1-chatops-github-deploy", "acme-local-use1-core-flow-logs",
                                              "acme-local-use1-ecs-runner-execution", "acme-local-use1-ecs-runner-task", "acme-local-use1-enclave-runner-ec2"]
            #expect(Set(f.roles) == expectedRoles, "\(f.roles)")
            #expect(f.roleBoundaries.values.allSatisfy { $0 == boundary }, "roles without the permissions boundary: \(f.roleBoundaries)")
            // The enclave runner's parent and the bastion: IMDSv2 only.
            #expect(f.launchTemplates.count == 2 && f.launchTemplateTokens.values.allSatisfy { $0 == "required" }, "\(f.launchTemplateTokens)")
            #expect(f.securityGroups == ["acme-local-use1-alb", "acme-local-use1-rds"] && f.dashboards == ["acme-local-use1-dashboard"],
                    "\(f.securityGroups) \(f.dashboards)")
            #expect(f.vpcs.count == 1 && f.clusters == ["acme-local-use1-terraform-runner"], "\(f.vpcs) \(f.clusters)")
            #expect(Set(f.secrets) == ["chatops/telegram-bot-token", "chatops/github-webhook-secret", "chatops/github-app-private-key"])
            #expect(f.untagged.isEmpty, "resources without Environment, Owner and CostCenter: \(f.untagged)")
        }
    }
}
