import Foundation
import Testing

extension KitIntegration {
    /// plan → apply --from-plan → output → destroy on the example repository's demo.
    @Suite("demo lifecycle")
    struct DemoLifecycleTests {
        let componentDir = "components/terraform/demo/app"
        let varfile = "components/terraform/demo/app/demo-dev-demo-app.terraform.tfvars.json"
        let planfile = "components/terraform/demo/app/demo-dev-demo-app.planfile"

        @Test("plan, apply the planfile, read outputs, destroy; state and files at each step")
        func planApplyOutputDestroy() throws {
            let repo = try ScratchRepository.demo("lifecycle")
            defer { repo.remove() }

            let plan = try repo.kit(["terraform", "plan", "app", "-s", "demo-dev"])
            #expect(plan.status == 0, "plan failed:\n\(plan.output)")
            #expect(plan.output.contains("Plan: 2 to add, 0 to change, 0 to destroy."), "\(plan.output)")
            #expect(repo.exists(planfile), "plan did not leave the planfile for apply --from-plan")
            #expect(try repo.mode(varfile) == 0o600, "the varfile holds variable values and must be owner-only")
            #expect(try repo.mode(planfile) == 0o600, "the planfile holds variable values and must be owner-only")
            let vars = try jsonObject(repo.path(varfile))
            #expect(vars["app_name"] as? String == "hello")
            #expect(vars["features"] as? [String] == ["healthcheck", "debug-toolbar"])
            // Generated files live in the pair's own working directory, never in the shared module folder.
            let workDir = ".kit/terraform/demo-dev/app/root/demo/app"
            #expect(!repo.exists(componentDir + "/backend.tf.json"), "backend.tf.json must not be written into the shared module folder")
            #expect(try String(contentsOfFile: repo.path(workDir + "/backend.tf.json"), encoding: .utf8)
                .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
                == #"{"terraform":{"backend":{"local":{}}}}"#, "backend.tf.json must hold the backend type only")
            let backendConfig = try String(contentsOfFile: repo.path(".kit/terraform/demo-dev/app/backend.tfbackend"), encoding: .utf8)
            #expect(backendConfig.contains(repo.path(".kit/state/demo-dev/app/terraform.tfstate")), "\(backendConfig)")

            let apply = try repo.kit(["terraform", "apply", "app", "-s", "demo-dev", "--from-plan"])
            #expect(apply.status == 0, "apply --from-plan failed:\n\(apply.output)")
            #expect(apply.output.contains("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."), "\(apply.output)")
            #expect(!repo.exists(planfile), "the planfile must be removed after apply")
            #expect(!repo.exists(varfile), "the varfile must be removed after apply")

            let workspace = try repo.selectedWorkspace(stack: "demo-dev", component: "app")
            let statePath = repo.path(".kit/state/demo-dev/app/workspaces/\(workspace)/terraform.tfstate")
            let applied = try TerraformStateFile(path: statePath)
            #expect(applied.resourceAddresses == ["terraform_data.api_credentials", "terraform_data.deployment"])
            #expect(applied.output("name") as? String == "demo-dev-local-hello")
            let strayState = repo.allFiles().filter { $0.hasPrefix("components/") && ($0.contains("tfstate") || $0.contains(".terraform/")) }
            #expect(strayState.isEmpty, "state or .terraform in the component folder: \(strayState)")

            let output = try repo.kit(["terraform", "output", "app", "-s", "demo-dev", "-json"])
            #expect(output.status == 0, "output failed:\n\(output.output)")
            let outputs = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: [String: Any]] ?? [:]
            #expect(outputs["name"]?["value"] as? String == "demo-dev-local-hello")
            #expect(outputs["endpoint"]?["value"] as? String == "http://hello.dev.demo.internal:8080")
            #expect(outputs["replicas"]?["value"] as? Int == 1)
            #expect(outputs["features"]?["value"] as? [String] == ["debug-toolbar", "healthcheck"])
            #expect(outputs["authorization_header"]?["sensitive"] as? Bool == true)
            #expect(outputs["authorization_header"]?["value"] as? String == "Bearer demo-token-not-a-secret")

            let destroy = try repo.kit(["terraform", "destroy", "app", "-s", "demo-dev", "-auto-approve"])
            #expect(destroy.status == 0, "destroy failed:\n\(destroy.output)")
            #expect(destroy.output.contains("Destroy complete! Resources: 2 destroyed."), "\(destroy.output)")
            let destroyed = try TerraformStateFile(path: statePath)
            #expect(destroyed.resourceAddresses.isEmpty)
            #expect(destroyed.output("name") == nil)

            // What is left: the module and destroy's varfile (owner-only); no temp files; state owner-only.
            let files = repo.allFiles()
            #expect(files.filter { $0.contains(".kit-tmp-") || $0.hasSuffix(".planfile") }.isEmpty, "\(files)")
            let inComponent = files.filter { $0.hasPrefix(componentDir + "/") }.map { String($0.dropFirst(componentDir.count + 1)) }
            #expect(inComponent == ["demo-dev-demo-app.terraform.tfvars.json", "main.tf", "outputs.tf", "variables.tf"])
            #expect(try repo.mode(varfile) == 0o600)
            #expect(try repo.mode(".kit") & 0o077 == 0, ".kit must be owner-only")
            #expect(try repo.mode(".kit/state/demo-dev/app/workspaces/\(workspace)/terraform.tfstate") == 0o600, "state holds secrets: owner-only")
        }
    }
}

/// Reads a JSON object from a file.
func jsonObject(_ path: String) throws -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: path) else { throw IntegrationSetupError("'\(path)' does not exist") }
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw IntegrationSetupError("'\(path)' is not a JSON object")
    }
    return object
}
