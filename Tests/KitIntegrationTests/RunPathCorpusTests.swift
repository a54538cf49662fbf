import Foundation
import Testing

extension KitIntegration {
    /// Issue 18's path-equivalence corpus: one component using every value source kit evaluates —
    /// `!template`, `!include` with a query, `!repo-root`, `!cwd`, `!env` in `env:`, Go templates with a
    /// Gomplate function and a datasource, `atmos.Component`, `!terraform.state`, and a `providers:`
    /// section (a provider override file) — is run through every entry path, for real and with
    /// `--dry-run`. Every path must hand terraform byte-identical files (varfile, backend block, backend
    /// values, provider override) and print the same dry-run block (commands and environment) as
    /// `plan web -s dev`. A path added later that skips a phase fails here.
    @Suite("one run pipeline: every function through every path")
    struct RunPathCorpusTests {
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
                templates:
                  settings:
                    enabled: true
                    gomplate:
                      enabled: true
                      datasources:
                        network: {url: "./config/network.json"}
                """,
            "config/network.json": #"{"cidr": "10.9.0.0/16"}"# + "\n",
            "config/sizes.json": #"{"web": 3}"# + "\n",
            "stacks/deploy/dev.yaml": """
                vars:
                  stage: dev
                terraform:
                  backend_type: local
                components:
                  terraform:
                    base:
                      vars:
                        label: base
                    web:
                      settings:
                        cidrs: ["10.0.0.0/16", "10.1.0.0/16"]
                        depends_on:
                          base: {component: base}
                      providers:
                        terraform: {}
                      vars:
                        label: web
                        cidrs: !template '{{ toJson .settings.cidrs }}'
                        size: !include ../../config/sizes.json .web
                        root_dir: !repo-root
                        here: !cwd
                        network: '{{ (datasource "network").cidr }}'
                        shout: '{{ strings.ToUpper "web" }}'
                        base_label: '{{ (atmos.Component "base" .stack).vars.label }}'
                        base_id: !terraform.state base id
                      env:
                        TF_VAR_from_env: !env KIT_T_REGION us-east-2
                """,
            "components/terraform/base/main.tf": """
                variable "stage" { type = string }
                variable "label" { type = string }
                resource "terraform_data" "base" { input = "${var.label}-${var.stage}" }
                output "id" { value = terraform_data.base.output }
                """,
            "components/terraform/web/main.tf": """
                provider "terraform" {}
                variable "stage" { type = string }
                variable "label" { type = string }
                variable "cidrs" { type = list(string) }
                variable "size" { type = number }
                variable "root_dir" { type = string }
                variable "here" { type = string }
                variable "network" { type = string }
                variable "shout" { type = string }
                variable "base_label" { type = string }
                variable "base_id" { type = string }
                variable "from_env" { type = string }
                resource "terraform_data" "web" {
                  input = join("|", [var.label, join(",", var.cidrs), tostring(var.size), var.root_dir, var.here,
                                     var.network, var.shout, var.base_label, var.base_id, var.from_env])
                }
                output "seen" { value = terraform_data.web.output }
                """,
            ".gitignore": "*.tfstate*\n.kit/\n.terraform*\n*.tfvars.json\nbackend.tf.json\n*.planfile\n",
        ]

        static let varfile = "components/terraform/web/dev-web.terraform.tfvars.json"
        static let handed = [varfile, ".kit/terraform/dev/web/root/web/backend.tf.json", ".kit/terraform/dev/web/backend.tfbackend",
                             ".kit/terraform/dev/web/root/web/providers_override.tf.json"]

        static func expectedSeen(_ repo: ScratchRepository) -> String {
            let root = URL(fileURLWithPath: repo.repo).resolvingSymlinksInPath().path
            return "web|10.0.0.0/16,10.1.0.0/16|3|\(root)|\(root)|10.9.0.0/16|WEB|base|base-dev|eu-central-1"
        }

        static func handedFiles(_ repo: ScratchRepository) throws -> [String: String] {
            var out: [String: String] = [:]
            for f in handed { out[f] = try String(contentsOfFile: repo.path(f), encoding: .utf8) }
            return out
        }

        /// The dry-run block of `dev/web`: a single run prints it as is, an estate prefixes each line.
        static func dryRunBlock(_ output: String) -> [String] {
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.contains(where: { $0.hasPrefix("[dev/web] ") }) {
                return lines.filter { $0.hasPrefix("[dev/web] ") }.map { String($0.dropFirst("[dev/web] ".count)) }
            }
            return lines.filter { !$0.isEmpty && !$0.hasPrefix("exit ") }
        }

        @Test("plan, --all, --components, --query, --affected, deploy, generate varfile and describe agree on every function, real and --dry-run")
        func corpusThroughEveryPath() throws {
            let repo = try ScratchRepository.files("run-path-corpus", Self.files)
            repo.extraEnvironment = ["KIT_T_REGION": "eu-central-1"]
            defer { repo.remove() }
            _ = try PipelineTests.git(repo, ["init", "-q", "-b", "main"])
            _ = try PipelineTests.git(repo, ["add", "-A"])
            _ = try PipelineTests.git(repo, ["commit", "-q", "-m", "estate"])
            let base = try repo.kit(["terraform", "deploy", "base", "-s", "dev"])
            #expect(base.status == 0, "\(base.output)")

            let seen = Self.expectedSeen(repo)
            let single = try repo.kit(["terraform", "plan", "web", "-s", "dev"])
            #expect(single.status == 0, "\(single.output)")
            #expect(single.stdout.contains("\"\(seen)\""), "\(single.stdout)")
            let reference = try Self.handedFiles(repo)
            #expect(reference[Self.handed[3]]?.contains("\"terraform\"") == true, "\(reference)")
            // A second commit changes web (for --affected); every path sees the added var from here on.
            let stack = repo.path("stacks/deploy/dev.yaml")
            let text = try String(contentsOfFile: stack, encoding: .utf8)
            try text.replacingOccurrences(of: "        label: web\n", with: "        label: web\n        note: changed\n")
                .write(toFile: stack, atomically: true, encoding: .utf8)
            _ = try PipelineTests.git(repo, ["commit", "-q", "-am", "web changes"])
            let note = "  \"note\": \"changed\",\n"
            let singleDry = try repo.kit(["terraform", "plan", "web", "-s", "dev", "--dry-run"])
            #expect(singleDry.status == 0, "\(singleDry.output)")
            let dryReference = Self.dryRunBlock(singleDry.stdout)
            #expect(dryReference.contains("# kit: env (values not shown): TF_VAR_from_env"), "\(singleDry.stdout)")
            #expect(dryReference.contains { $0.contains("providers_override.tf.json") }, "\(singleDry.stdout)")

            let paths: [(String, [String])] = [
                ("single", ["terraform", "plan", "web", "-s", "dev"]),
                ("--all", ["terraform", "plan", "--all", "-s", "dev"]),
                ("--components", ["terraform", "plan", "--components", "web", "-s", "dev"]),
                ("--query", ["terraform", "plan", "--query", ".vars.label == \"web\"", "-s", "dev"]),
                ("--affected", ["terraform", "plan", "--affected", "--base", "HEAD~1"]),
            ]
            for (name, arguments) in paths {
                let run = try repo.kit(arguments)
                #expect(run.status == 0, "\(name): \(run.output)")
                #expect(run.output.contains("\"\(seen)\""), "\(name) planned other values:\n\(run.output)")
                #expect(!run.output.contains("!template") && !run.output.contains("!include") && !run.output.contains("{{"),
                        "\(name) handed a function or template on:\n\(run.output)")
                var files = try Self.handedFiles(repo)
                #expect(files[Self.varfile]?.contains(note) == true, "\(name)")
                files[Self.varfile] = files[Self.varfile]?.replacingOccurrences(of: note, with: "")
                #expect(files == reference, "\(name) handed terraform different files")

                // The same path with --dry-run prints the single run's block: files, commands, environment.
                let dry = try repo.kit(arguments + ["--dry-run"])
                #expect(dry.status == 0, "\(name) --dry-run: \(dry.output)")
                #expect(Self.dryRunBlock(dry.stdout) == dryReference, "\(name) --dry-run printed another block:\n\(dry.stdout)")
            }

            // generate varfile writes the very file the runs gave terraform.
            try FileManager.default.removeItem(atPath: repo.path(Self.varfile))
            let generated = try repo.kit(["terraform", "generate", "varfile", "web", "-s", "dev"])
            #expect(generated.status == 0, "\(generated.output)")
            let generatedText = try String(contentsOfFile: repo.path(Self.varfile), encoding: .utf8)
            #expect(generatedText.replacingOccurrences(of: note, with: "") == reference[Self.varfile])

            // describe shows the same evaluated values (the state reference as written: describe reads no state).
            let describe = try repo.kit(["describe", "component", "web", "-s", "dev", "--format", "json"])
            #expect(describe.status == 0, "\(describe.output)")
            let described = try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any] ?? [:]
            let vars = described["vars"] as? [String: Any] ?? [:]
            #expect(vars["cidrs"] as? [String] == ["10.0.0.0/16", "10.1.0.0/16"])
            #expect(vars["size"] as? Int == 3)
            #expect(vars["network"] as? String == "10.9.0.0/16")
            #expect(vars["shout"] as? String == "WEB")
            #expect(vars["base_label"] as? String == "base")
            #expect(vars["base_id"] as? String == "!terraform.state base id")
            #expect((described["env"] as? [String: Any])?["TF_VAR_from_env"] as? String == "eu-central-1")

            // deploy, single and --all: the outputs prove what terraform applied.
            for arguments in [["terraform", "deploy", "web", "-s", "dev"], ["terraform", "deploy", "--all", "-s", "dev"]] {
                let deploy = try repo.kit(arguments)
                #expect(deploy.status == 0, "\(arguments): \(deploy.output)")
                #expect(try EstateTests.outputs(repo, "web", "dev")["seen"] as? String == seen, "\(arguments)")
            }
        }
    }
}
