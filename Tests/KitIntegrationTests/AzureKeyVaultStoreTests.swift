import Foundation
import Testing

/// atmos's `azure-key-vault` stores through the Azure plugin, against the loopback Key Vault fake:
/// the `store` hook writes a component's outputs after a real terraform apply, `!store` and
/// `!store.get` read them, and Microsoft's own SDK (azure-keyvault-secrets, over the fake's https
/// listener) reads what kit wrote and writes what kit reads.
extension KitIntegration {
    @Suite("Azure Key Vault stores (loopback fake, checked with Microsoft's SDK)", .serialized)
    struct AzureKeyVaultStoreTests {
        static func repository(_ vault: KeyVaultFake, stack: String) throws -> ScratchRepository {
            let repo = try ScratchRepository.files("keyvault", [
                "kit.yaml": """
                    base_path: "."
                    components:
                      terraform:
                        base_path: components/terraform
                    stacks:
                      base_path: stacks
                      included_paths: ["**/*"]
                      name_pattern: "{stage}"
                    stores:
                      kv:
                        type: azure-key-vault
                        options:
                          vault_url: \(vault.origin)
                          insecure_allow_credential_with_http: true

                    """,
                "stacks/dev.yaml": stack,
                "components/terraform/producer/main.tf": "output \"vpc_id\" { value = \"vpc-0abc\" }\noutput \"cidrs\" { value = [\"10.0.0.0/16\"] }\n",
                "components/terraform/consumer/main.tf": "variable \"vpc\" {}\nvariable \"first_cidr\" {}\nvariable \"shared\" {}\n",
            ])
            repo.extraEnvironment = vault.environment
            return repo
        }

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
                      events: [after.terraform.apply]
                      kind: store
                      name: kv
                      outputs:
                        vpc_id: .vpc_id
                        cidrs: .cidrs
                consumer:
                  vars:
                    vpc: !store kv producer vpc_id
                    first_cidr: !store kv producer cidrs | query .[0]
                    shared: !store.get kv shared/thing

            """

        @Test("the store hook writes to Key Vault (read back by Microsoft's SDK); !store and !store.get read it")
        func hookAndReads() throws {
            let vault = try KeyVaultFake()
            defer { vault.stop() }
            try vault.sdk(["set", "shared-thing", "\"from the sdk\""])
            let repo = try Self.repository(vault, stack: Self.stack)
            defer { repo.remove() }

            let apply = try repo.kit(["terraform", "deploy", "producer", "-s", "dev"])
            #expect(apply.status == 0, "\(apply.output)")
            #expect(apply.stderr.contains("hook 'store-outputs': stored 'cidrs', 'vpc_id' of 'producer' in store 'kv'"), "\(apply.stderr)")
            // atmos's secret name: dev-producer-vpc_id with '_' normalised to '-'; the value JSON-encoded.
            #expect(try vault.sdk(["get", "dev-producer-vpc-id"]) == "\"vpc-0abc\"")
            #expect(try vault.sdk(["get", "dev-producer-cidrs"]) == "[\"10.0.0.0/16\"]")

            let describe = try repo.kit(["describe", "component", "consumer", "-s", "dev", "--format", "json"])
            #expect(describe.status == 0, "\(describe.output)")
            let vars = (try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any])?["vars"] as? [String: Any] ?? [:]
            #expect(vars["vpc"] as? String == "vpc-0abc" && vars["first_cidr"] as? String == "10.0.0.0/16", "\(vars)")
            #expect(vars["shared"] as? String == "from the sdk", "\(vars)")
            #expect(vault.requests.contains { $0.hasPrefix("POST /\(KeyVaultFake.tenant)/oauth2/v2.0/token 200") }, "kit signed in with the client secret:\n\(vault.requests)")
            #expect(!apply.output.contains(KeyVaultFake.clientSecret) && !describe.output.contains(KeyVaultFake.clientSecret))
        }

        @Test("a wrong client secret, a missing key and a plain-http vault without the emulator option are errors naming the store")
        func failures() throws {
            let vault = try KeyVaultFake()
            defer { vault.stop() }
            let repo = try Self.repository(vault, stack: """
                vars:
                  stage: dev
                components:
                  terraform:
                    consumer:
                      vars:
                        vpc: !store kv producer vpc_id

                """)
            defer { repo.remove() }
            let missing = try repo.kit(["describe", "component", "consumer", "-s", "dev"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("stacks/dev.yaml:7:") && missing.stderr.contains("no secret 'dev-producer-vpc-id' in vault \(vault.origin) in store 'kv'"), "\(missing.stderr)")

            repo.extraEnvironment["AZURE_CLIENT_SECRET"] = "wrong"
            let denied = try repo.kit(["describe", "component", "consumer", "-s", "dev"])
            #expect(denied.status == 1)
            #expect(denied.stderr.contains("store 'kv': signing in to Azure AD failed: AADSTS7000215: Invalid client secret provided."), "\(denied.stderr)")

            let kitYAML = try String(contentsOfFile: repo.path("kit.yaml"), encoding: .utf8)
            try kitYAML.replacingOccurrences(of: "      insecure_allow_credential_with_http: true\n", with: "")
                .write(toFile: repo.path("kit.yaml"), atomically: true, encoding: .utf8)
            let plain = try repo.kit(["describe", "component", "consumer", "-s", "dev"])
            #expect(plain.status == 1)
            #expect(plain.stderr.contains("store 'kv': vault_url is plain http, and a bearer token would travel in clear"), "\(plain.stderr)")
        }
    }
}
