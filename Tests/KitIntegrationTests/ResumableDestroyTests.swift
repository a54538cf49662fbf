import Foundation
import Testing

extension KitIntegration {
    /// Issue 20 §6: a destroy needs the inputs a component was applied with, not fresh outputs of
    /// components that may already be gone. After `api` is destroyed on its own, `destroy --all`
    /// still destroys `gateway` (which reads `api`'s output) with the inputs recorded at its last
    /// apply, says so, and a second `destroy --all` finishes cleanly. Before, `gateway` failed
    /// because `api` had no outputs, and everything after it was left not run.
    @Suite("resumable destroys")
    struct ResumableDestroyTests {
        static let files: [String: String] = [
            "kit.yaml": """
                base_path: "."
                components:
                  terraform:
                    base_path: components/terraform
                    deploy_run_init: true
                    init_run_reconfigure: true
                    auto_generate_backend_file: true
                stacks:
                  base_path: stacks
                  included_paths: ["deploy/**/*"]
                  name_pattern: "{stage}"
                """,
            "stacks/deploy/dev.yaml": """
                vars:
                  stage: dev
                terraform:
                  backend_type: local
                components:
                  terraform:
                    api:
                      vars:
                        name: api
                    gateway:
                      settings:
                        depends_on:
                          api: {component: api}
                      vars:
                        name: gateway
                        api_id: !terraform.output api id
                """,
            "components/terraform/api/main.tf": """
                variable "stage" { type = string }
                variable "name" { type = string }
                resource "terraform_data" "this" { input = "${var.name}-${var.stage}" }
                output "id" { value = terraform_data.this.output }
                """,
            "components/terraform/gateway/main.tf": """
                variable "stage" { type = string }
                variable "name" { type = string }
                variable "api_id" { type = string }
                resource "terraform_data" "this" { input = "${var.name}->${var.api_id}" }
                output "route" { value = terraform_data.this.output }
                """,
        ]

        /// The resources in a component's local state (kit's default state location).
        static func resources(_ repo: ScratchRepository, _ component: String) throws -> Int {
            // terraform.tfstate of the component's workspace, wherever below its state folder it is.
            let root = repo.path(".kit/state/dev/\(component)")
            let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix("terraform.tfstate") }
            #expect(files.count == 1, "state files of \(component): \(files)")
            guard let file = files.first else { return -1 }
            let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/" + file))) as? [String: Any]
            return (state?["resources"] as? [Any])?.count ?? 0
        }

        @Test("after api is destroyed alone, destroy --all destroys gateway with its recorded inputs and says so; a second destroy --all succeeds")
        func destroyResumes() throws {
            let repo = try ScratchRepository.files("resumable-destroy", Self.files)
            defer { repo.remove() }
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "dev"])
            #expect(deploy.status == 0, "\(deploy.output)")
            #expect(try Self.resources(repo, "api") == 1 && Self.resources(repo, "gateway") == 1)
            let recorded = repo.path(".kit/terraform/dev/gateway/applied-inputs.json")
            let attributes = try FileManager.default.attributesOfItem(atPath: recorded)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try String(contentsOfFile: recorded, encoding: .utf8).contains("\"api_id\": \"api-dev\""))

            // An interrupted destroy, as far as gateway can tell: api is gone, gateway is not.
            let api = try repo.kit(["terraform", "destroy", "api", "-s", "dev", "-auto-approve"])
            #expect(api.status == 0, "\(api.output)")
            #expect(try Self.resources(repo, "api") == 0 && Self.resources(repo, "gateway") == 1)

            let destroy = try repo.kit(["terraform", "destroy", "--all", "-s", "dev", "-auto-approve"])
            #expect(destroy.status == 0, "\(destroy.output)")
            #expect(destroy.output.contains("destroying 'gateway' in 'dev' with the inputs recorded at its last successful apply"), "\(destroy.output)")
            #expect(try Self.resources(repo, "gateway") == 0, "gateway was not destroyed:\n\(destroy.output)")

            // Again: nothing is left, and the repeated destroy finishes cleanly.
            let again = try repo.kit(["terraform", "destroy", "--all", "-s", "dev", "-auto-approve"])
            #expect(again.status == 0, "\(again.output)")

            // A single destroy of gateway takes the same path (one pipeline).
            let single = try repo.kit(["terraform", "destroy", "gateway", "-s", "dev", "-auto-approve"])
            #expect(single.status == 0, "\(single.output)")
            #expect(single.output.contains("with the inputs recorded at its last successful apply"), "\(single.output)")
        }

        @Test("without recorded inputs the reference error stands: a destroy never guesses")
        func noRecordNoGuess() throws {
            let repo = try ScratchRepository.files("destroy-no-record", Self.files)
            defer { repo.remove() }
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "dev"])
            #expect(deploy.status == 0, "\(deploy.output)")
            try FileManager.default.removeItem(atPath: repo.path(".kit/terraform/dev/gateway/applied-inputs.json"))
            let api = try repo.kit(["terraform", "destroy", "api", "-s", "dev", "-auto-approve"])
            #expect(api.status == 0, "\(api.output)")
            let gateway = try repo.kit(["terraform", "destroy", "gateway", "-s", "dev", "-auto-approve"])
            #expect(gateway.status != 0, "\(gateway.output)")
            #expect(gateway.output.contains("api"), "\(gateway.output)")
            #expect(try Self.resources(repo, "gateway") == 1)
        }
    }
}
