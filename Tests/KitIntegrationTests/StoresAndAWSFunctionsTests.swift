import Foundation
import Testing

/// atmos's `stores:`, `!store`, `!store.get`, the `store` hook and `!aws.*`, served by the AWS plugin
/// against moto (SSM Parameter Store, Secrets Manager, STS, Organizations), with the real terraform.
/// boto3 checks what kit wrote, and provides the expected identity, without kit.
extension KitIntegration {
    @Suite("stores, store hooks and !aws.* (moto)", .serialized)
    struct StoresAndAWSFunctionsTests {
        static let kitYAML = """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["**/*"]
              name_pattern: "{stage}"
            stores:
              prod/ssm:
                type: aws-ssm-parameter-store
                options:
                  region: us-east-1
              vault:
                kind: aws/asm
                options:
                  region: us-east-1
                  prefix: kit
              locked:
                type: aws-ssm-parameter-store
                secret: true
                options:
                  region: us-east-1

            """

        static let stack = """
            vars:
              stage: dev
            terraform:
              backend_type: local
            components:
              terraform:
                producer:
                  hooks:
                    store-outputs:
                      events: [after-terraform-apply]
                      command: store
                      name: prod/ssm
                      outputs:
                        vpc_id: .vpc_id
                        tags: .tags
                        literal: fixed-value
                consumer:
                  vars:
                    vpc: !store prod/ssm producer vpc_id
                    tag_a: !store prod/ssm dev producer tags | query .a
                    literal: !store prod/ssm producer literal
                    shared: !store.get prod/ssm /shared/thing
                    fallback: !store prod/ssm producer nope | default "none yet"
                    db: !store vault dev app db | query .user
                    account: !aws.account_id
                    arn: !aws.caller_identity_arn
                    user: !aws.caller_identity_user_id
                    region: !aws.region
                    org: !aws.organization_id

            """

        static func repository(_ moto: MotoServer, stack: String = stack) throws -> ScratchRepository {
            let repo = try ScratchRepository.files("stores", [
                "kit.yaml": kitYAML, "stacks/dev.yaml": stack,
                "components/terraform/producer/main.tf": """
                    output "vpc_id" { value = "vpc-0abc" }
                    output "tags" { value = { a = "b", n = 1 } }

                    """,
                "components/terraform/consumer/main.tf": """
                    variable "vpc" {}
                    variable "tag_a" {}
                    variable "literal" {}
                    variable "shared" {}
                    variable "fallback" {}
                    variable "db" {}
                    variable "account" {}
                    variable "arn" {}
                    variable "user" {}
                    variable "region" {}
                    variable "org" {}

                    """,
            ])
            repo.extraEnvironment = MotoServer.awsEnvironment
            repo.extraEnvironment["AWS_ENDPOINT_URL"] = moto.endpoint
            return repo
        }

        @Test("apply runs the store hook (SSM, checked by boto3); !store, !store.get, | default, | query and !aws.* resolve through the plugin")
        func storesEndToEnd() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let expected = try moto.python("""
            import boto3, json
            ssm = boto3.client("ssm", endpoint_url=ENDPOINT, region_name="us-east-1")
            ssm.put_parameter(Name="/shared/thing", Value="shared-value", Type="String")
            sm = boto3.client("secretsmanager", endpoint_url=ENDPOINT, region_name="us-east-1")
            sm.create_secret(Name="kit/dev/app/db", SecretString=json.dumps({"user": "admin", "password": "hunter2"}))
            org = boto3.client("organizations", endpoint_url=ENDPOINT, region_name="us-east-1").create_organization(FeatureSet="ALL")
            who = boto3.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1").get_caller_identity()
            print(json.dumps({"account": who["Account"], "arn": who["Arn"], "user": who["UserId"], "org": org["Organization"]["Id"]}))
            """)
            let identity = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String: String] ?? [:]
            let repo = try Self.repository(moto)
            defer { repo.remove() }

            let before = try repo.kit(["describe", "component", "consumer", "-s", "dev", "--format", "json"])
            #expect(before.status == 1, "the producer's outputs are not stored yet:\n\(before.output)")
            #expect(before.stderr.contains("stacks/dev.yaml:21:"), "the error names where !store was written:\n\(before.stderr)")
            #expect(before.stderr.contains("no SSM parameter '/dev/producer/literal' in store 'prod/ssm'"), "\(before.stderr)")

            let apply = try repo.kit(["terraform", "deploy", "producer", "-s", "dev"])
            #expect(apply.status == 0, "\(apply.output)")
            #expect(apply.stderr.contains("hook 'store-outputs': stored 'literal', 'tags', 'vpc_id' of 'producer' in store 'prod/ssm'"), "\(apply.stderr)")
            let stored = try moto.python("""
            import boto3, json
            ssm = boto3.client("ssm", endpoint_url=ENDPOINT, region_name="us-east-1")
            out = {}
            for name in ["/dev/producer/vpc_id", "/dev/producer/tags", "/dev/producer/literal"]:
                p = ssm.get_parameter(Name=name)["Parameter"]
                out[name] = [p["Type"], p["Value"]]
            print(json.dumps(out, sort_keys=True))
            """)
            #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines)
                    == #"{"/dev/producer/literal": ["String", "\"fixed-value\""], "/dev/producer/tags": ["String", "{\"a\":\"b\",\"n\":1}"], "/dev/producer/vpc_id": ["String", "\"vpc-0abc\""]}"#,
                    "atmos stores JSON-encoded values in String parameters:\n\(stored)")

            let after = try repo.kit(["describe", "component", "consumer", "-s", "dev", "--format", "json"])
            #expect(after.status == 0, "\(after.output)")
            let doc = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any] ?? [:]
            let vars = doc["vars"] as? [String: Any] ?? [:]
            #expect(vars["vpc"] as? String == "vpc-0abc")
            #expect(vars["tag_a"] as? String == "b")
            #expect(vars["literal"] as? String == "fixed-value")
            #expect(vars["shared"] as? String == "shared-value")
            #expect(vars["fallback"] as? String == "none yet")
            #expect(vars["db"] as? String == "admin")
            #expect(vars["account"] as? String == identity["account"] && identity["account"] != nil, "\(vars) vs \(identity)")
            #expect(vars["arn"] as? String == identity["arn"] && vars["user"] as? String == identity["user"], "\(vars) vs \(identity)")
            #expect(vars["region"] as? String == "us-east-1")
            #expect(vars["org"] as? String == identity["org"] && identity["org"] != nil, "\(vars) vs \(identity)")

            // The single run and the estate run write the same varfile (one pipeline).
            let single = try repo.kit(["terraform", "plan", "consumer", "-s", "dev"])
            #expect(single.status == 0, "\(single.output)")
            let varfile = try String(contentsOfFile: repo.path("components/terraform/consumer/dev-consumer.terraform.tfvars.json"), encoding: .utf8)
            #expect(varfile.contains("\"vpc\": \"vpc-0abc\"") && varfile.contains("\"db\": \"admin\""), "\(varfile)")
            let estate = try repo.kit(["terraform", "plan", "--all", "-s", "dev"])
            #expect(estate.status == 0, "\(estate.output)")
            let estateVarfile = try String(contentsOfFile: repo.path("components/terraform/consumer/dev-consumer.terraform.tfvars.json"), encoding: .utf8)
            #expect(estateVarfile == varfile)
        }

        @Test("!secret reads a declared secret from a secret store: masked in describe, never in a file, given to terraform as TF_VAR_")
        func secrets() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            _ = try moto.python("""
            import boto3, json
            ssm = boto3.client("ssm", endpoint_url=ENDPOINT, region_name="us-east-1")
            ssm.put_parameter(Name="/dev/app/db_password", Value="hunter2", Type="SecureString")
            ssm.put_parameter(Name="/dev/api", Value=json.dumps({"token": "t0k-secret"}), Type="SecureString")
            print("seeded")
            """)
            let repo = try Self.repository(moto, stack: """
                vars:
                  stage: dev
                terraform:
                  backend_type: local
                components:
                  terraform:
                    app:
                      secrets:
                        vars:
                          db_password: {store: locked}
                          api: {store: locked, scope: stack}
                          shared: {store: locked, scope: global, reference: org/shared}
                      vars:
                        password: !secret db_password
                        token: !secret api | path .token
                        shared: !secret shared | default none
                        plain: visible

                """)
            defer { repo.remove() }
            try """
                variable "password" {}
                variable "token" {}
                variable "shared" {}
                variable "plain" {}
                output "lengths" { value = [length(var.password), length(var.token), var.shared, var.plain] }

                """.write(toFile: repo.path("components/terraform/app/main.tf").createParent(), atomically: true, encoding: .utf8)

            let describe = try repo.kit(["describe", "component", "app", "-s", "dev", "--format", "json"])
            #expect(describe.status == 0, "\(describe.output)")
            let vars = (try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any])?["vars"] as? [String: Any] ?? [:]
            #expect(vars["password"] as? String == "***" && vars["token"] as? String == "***" && vars["shared"] as? String == "***", "\(vars)")
            #expect(vars["plain"] as? String == "visible")
            #expect(!describe.output.contains("hunter2") && !describe.output.contains("t0k-secret"))
            let shown = try repo.kit(["describe", "component", "app", "-s", "dev", "--format", "json", "--show-secrets"])
            #expect(shown.stdout.contains("\"password\": \"hunter2\"") && shown.stdout.contains("\"token\": \"t0k-secret\""), "\(shown.output)")

            let dry = try repo.kit(["terraform", "apply", "app", "-s", "dev", "--dry-run"])
            #expect(dry.status == 0, "\(dry.output)")
            #expect(dry.output.contains("TF_VAR_password") && dry.output.contains("TF_VAR_token"), "\(dry.output)")
            #expect(dry.output.contains("(2 variables: plain, stage)"), "the varfile line names only what the file holds:\n\(dry.output)")
            #expect(!dry.output.contains("hunter2") && !dry.output.contains("t0k-secret"), "\(dry.output)")

            let apply = try repo.kit(["terraform", "apply", "app", "-s", "dev", "-auto-approve"])
            #expect(apply.status == 0, "\(apply.output)")
            #expect(!apply.output.contains("hunter2") && !apply.output.contains("t0k-secret"), "\(apply.output)")
            let files = repo.allFiles().filter { !$0.contains("/.terraform/") }
            // Every file kit wrote, text or binary (the run database too); terraform's own state is
            // terraform's business (it holds no input variables here: the outputs are lengths).
            for file in files {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: repo.path(file)))) ?? Data()
                #expect(bytes.range(of: Data("hunter2".utf8)) == nil && bytes.range(of: Data("t0k-secret".utf8)) == nil, "a secret reached \(file)")
            }
            let output = try repo.kit(["terraform", "output", "app", "-s", "dev", "-json"])
            #expect(output.stdout.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "").contains(#""value":[7,10,"none","visible"]"#), "terraform received the secrets:\n\(output.output)")
        }

        @Test("a secret store refuses !store; an unknown store and an unknown option are located errors")
        func refusals() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            for (value, message) in [
                ("!store locked producer k", "store 'locked' is a secret store — '!store' does not read secret stores (atmos: use '!secret')"),
                ("!store nowhere producer k", "store 'nowhere' is not configured — configured stores: 'locked', 'prod/ssm', 'vault'"),
                ("!store prod/ssm producer k | sideways x", "unknown option 'sideways x' after '|'"),
            ] {
                let repo = try Self.repository(moto, stack: """
                    vars:
                      stage: dev
                    components:
                      terraform:
                        consumer:
                          vars:
                            vpc: \(value)

                    """)
                defer { repo.remove() }
                let r = try repo.kit(["describe", "component", "consumer", "-s", "dev"])
                #expect(r.status == 1, "\(r.output)")
                #expect(r.stderr.contains("stacks/dev.yaml:7:") && r.stderr.contains(message), "\(r.stderr)")
            }
        }
    }
}
