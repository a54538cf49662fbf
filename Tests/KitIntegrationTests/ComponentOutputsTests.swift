import Foundation
import Testing

extension KitIntegration {
    /// `atmos.Component` with real terraform: component b's var comes from component a's output
    /// (`{{ (atmos.Component "a" .stack).outputs.x }}`) and from a's vars; `deploy --all` applies a,
    /// then renders b's template from a's state and applies b.
    @Suite("atmos.Component outputs")
    struct ComponentOutputsTests {
        static let files: [String: String] = [
            "kit.yaml": """
                base_path: "."
                components:
                  terraform:
                    base_path: components/terraform
                    command: terraform
                    deploy_run_init: true
                    init_run_reconfigure: true
                    auto_generate_backend_file: true
                stacks:
                  base_path: stacks
                  included_paths: ["deploy/**/*"]
                  name_pattern: "{stage}"
                """,
            "stacks/deploy/pair.yaml": """
                vars:
                  stage: pair
                terraform:
                  backend_type: local
                components:
                  terraform:
                    a:
                      vars:
                        prefix: from-a
                    b:
                      vars:
                        upstream: '{{ (atmos.Component "a" .stack).outputs.x }}'
                        prefix_of_a: '{{ (atmos.Component "a" .stack).vars.prefix }}'
                """,
            "components/terraform/a/main.tf": """
                variable "stage" { type = string }
                variable "prefix" { type = string }
                resource "terraform_data" "a" { input = "${var.prefix}-${var.stage}" }
                output "x" { value = terraform_data.a.output }
                """,
            "components/terraform/b/main.tf": """
                variable "stage" { type = string }
                variable "upstream" { type = string }
                variable "prefix_of_a" { type = string }
                resource "terraform_data" "b" { input = "${var.upstream}+b" }
                output "seen" { value = terraform_data.b.output }
                output "prefix_of_a" { value = var.prefix_of_a }
                """,
        ]

        @Test("deploy --all applies a, then b with a's output read from a's state; before that b is an error at the template")
        func outputsFlowThroughTheTemplate() throws {
            let repo = try ScratchRepository.files("component-outputs", Self.files)
            defer { repo.remove() }

            // The template is a dependency edge.
            let deps = try repo.kit(["list", "dependencies", "-s", "pair"])
            #expect(deps.status == 0, "\(deps.output)")
            #expect(deps.stdout.contains("atmos.Component \"a\" \"pair\""), "\(deps.stdout)")

            // A dry run never reads state (like `!terraform.state`); describe shows the template as written
            // and a's vars as read.
            let dry = try repo.kitWithoutTerraform(["terraform", "plan", "b", "-s", "pair", "--dry-run"])
            #expect(dry.status == 0, "\(dry.output)")
            let describe = try repo.kitWithoutTerraform(["describe", "component", "b", "-s", "pair", "--format", "json"])
            #expect(describe.status == 0, "\(describe.output)")
            #expect(describe.stdout.contains(#""upstream": "{{ (atmos.Component \"a\" .stack).outputs.x }}""#), "\(describe.stdout)")
            #expect(describe.stdout.contains(#""prefix_of_a": "from-a""#), "\(describe.stdout)")

            // Before a is applied: never an empty string, an error naming the template, component and stack.
            let early = try repo.kit(["terraform", "plan", "b", "-s", "pair"])
            #expect(early.status == 1, "\(early.output)")
            #expect(early.stderr.contains("stacks/deploy/pair.yaml:12:19: template error: 'vars.upstream' of component 'b' in stack 'pair': atmos.Component: component 'a' in stack 'pair' has no state yet"),
                    "\(early.stderr)")
            #expect(!repo.exists(".kit/terraform/pair/b"), "b ran without a's output")

            var env = repo.extraEnvironment
            env["KIT_STATS"] = "1"
            repo.extraEnvironment = env
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "pair", "-auto-approve", "--summary-file", "deploy.json"])
            repo.extraEnvironment = [:]
            #expect(deploy.status == 0, "deploy --all failed:\n\(deploy.output)")
            #expect(deploy.stderr.contains("state_reads=1 output_reads=0"), "a's state is read once, from the file: \(deploy.stderr)")
            let summary = try EstateTests.summary(repo, "deploy.json")
            #expect(summary.components.map { $0["component"] as? String ?? "" } == ["a", "b"], "\(summary.components)")

            let b = try EstateTests.outputs(repo, "b", "pair")
            #expect(b["seen"] as? String == "from-a-pair+b", "\(b)")
            #expect(b["prefix_of_a"] as? String == "from-a", "\(b)")
        }
    }
}
