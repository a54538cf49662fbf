import Foundation
import Testing

/// `kit terraform generate files` and the `generate` section written before every terraform run.
@Suite("generate files")
struct GenerateFilesTests {
    static func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.write("kit.yaml", """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["**/*"]
              name_pattern: "{stage}"

            """)
        try repo.write("components/terraform/demo/main.tf", "resource \"terraform_data\" \"demo\" {}\n")
        for stage in ["dev", "prod"] {
            try repo.write("stacks/\(stage).yaml", """
                vars:
                  stage: \(stage)
                terraform:
                  backend_type: local
                components:
                  terraform:
                    demo:
                      vars:
                        app: web
                      generate:
                        locals.tf:
                          locals:
                            app: "{{ .vars.app }}"
                          variable:
                            extra: { type: string, default: "x" }
                          resource:
                            terraform_data:
                              marker: { input: "{{ .vars.stage }}" }
                        config.json: { stage: "{{ .vars.stage }}", replicas: 2 }
                        settings.yaml: { stage: "{{ .vars.stage }}", zones: [a, b] }
                        terraform.tfvars: { app: "{{ .vars.app }}" }
                        README.md: "app {{ .vars.app }} in {{ .atmos_stack }}\\n"

                """)
        }
        return repo
    }

    func text(_ repo: GitFixture, _ path: String) throws -> String {
        try String(contentsOf: repo.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("with templates.settings.enabled: false the generate section is still rendered when written, as atmos does")
    func templatesDisabled() throws {
        let repo = try Self.repository()
        try repo.write("kit.yaml", """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["**/*"]
              name_pattern: "{stage}"
            templates:
              settings:
                enabled: false

            """)
        let run = try repo.kit(["terraform", "generate", "files", "demo", "-s", "prod"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let d = "components/terraform/demo/"
        #expect(try text(repo, d + "README.md") == "app web in prod\n")
        let config = try text(repo, d + "config.json")
        #expect(config.contains("\"stage\": \"prod\"") && !config.contains("{{"), "\(config)")
        // Only the generate section: other sections keep their text when templates are off.
        try repo.write("stacks/prod.yaml", (try text(repo, "stacks/prod.yaml")).replacingOccurrences(of: "app: web", with: "app: web\n        note: \"{{ .vars.stage }}\""))
        let described = try repo.kit(["describe", "component", "demo", "-s", "prod", "--format", "json"])
        #expect(described.exitCode == 0, "\(described.stderr)")
        #expect(described.stdout.contains("\"note\": \"{{ .vars.stage }}\""), "\(described.stdout)")
    }

    @Test("writes each entry serialised by its extension, templates rendered with the component's context")
    func single() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["terraform", "generate", "files", "demo", "-s", "dev"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let d = "components/terraform/demo/"
        #expect(try text(repo, d + "locals.tf") == """
            locals {
              app = "web"
            }

            resource "terraform_data" "marker" {
              input = "dev"
            }

            variable "extra" {
              default = "x"
              type = "string"
            }

            """)
        #expect(try text(repo, d + "config.json") == "{\n  \"replicas\": 2,\n  \"stage\": \"dev\"\n}\n")
        #expect(try text(repo, d + "settings.yaml").contains("stage: dev"))
        #expect(try text(repo, d + "terraform.tfvars") == "app = \"web\"\n")
        #expect(try text(repo, d + "README.md") == "app web in dev\n")
        let clean = try repo.kit(["terraform", "generate", "files", "--all", "--clean"])
        #expect(clean.exitCode == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent(d).path) == ["main.tf"])
    }

    @Test("--stacks globs and --dry-run print without writing")
    func dryRunGlobs() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["terraform", "generate", "files", "--stacks", "pro*", "--components", "dem?", "--dry-run"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("# components/terraform/demo/README.md (demo in prod)\napp web in prod\n"))
        #expect(!run.stdout.contains("in dev"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent("components/terraform/demo").path) == ["main.tf"])
    }

    @Test("a bad entry names the stack file, component and file; usage errors exit 64")
    func errors() throws {
        let repo = try Self.repository()
        try repo.write("stacks/dev.yaml", "vars:\n  stage: dev\ncomponents:\n  terraform:\n    demo:\n      generate:\n        ../escape.tf: \"x\"\n")
        let run = try repo.kit(["terraform", "generate", "files", "demo", "-s", "dev"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines == ["error: dev.yaml: generate '../escape.tf' of component 'demo' in stack 'dev': a generated file's name must be a plain file name in the component folder (no '/', no '..')"])
        let usage = try repo.kit(["terraform", "generate", "files", "demo"])
        #expect(usage.exitCode == 64)
    }

    @Test("a terraform run gets the generated files in its working directory, per stack")
    func beforeRun() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["terraform", "plan", "demo", "-s", "prod", "--dry-run"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("README.md"))
        #expect(run.stdout.contains("locals.tf"))
    }
}
