import Foundation
import Testing

extension KitIntegration {
    /// Issue 18: every way of running a component goes through the one pipeline, so YAML functions
    /// (`!env`, `!exec`, a `sensitive` var from `!env`, an `env:` value from `!env`) and references
    /// (`!terraform.output`) reach terraform evaluated whichever command selects the component — a
    /// single run, `--all`, `--components`, `--query`, `--affected`, `deploy`, `generate varfile` —
    /// and every path hands terraform byte-identical files. Before the pipeline, estate runs planned
    /// `greeting = "!exec echo hello"` and reported success.
    @Suite("one run pipeline")
    struct RunPathEquivalenceTests {
        static let token = "s3cr3t-t0ken-value"
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
                    app:
                      settings:
                        depends_on:
                          base: {component: base}
                      vars:
                        label: app
                        region: !env KIT_T_REGION us-east-2
                        greeting: !exec echo hello
                        api_token: !env KIT_T_TOKEN
                        base_id: !terraform.output base id
                      env:
                        TF_VAR_from_env: !env KIT_T_REGION us-east-2
                """,
            "components/terraform/base/main.tf": """
                variable "stage" { type = string }
                variable "label" { type = string }
                resource "terraform_data" "base" { input = "${var.label}-${var.stage}" }
                output "id" { value = terraform_data.base.output }
                """,
            "components/terraform/app/main.tf": """
                variable "stage" { type = string }
                variable "label" { type = string }
                variable "region" { type = string }
                variable "greeting" { type = string }
                variable "base_id" { type = string }
                variable "from_env" { type = string }
                variable "api_token" {
                  type      = string
                  sensitive = true
                }
                resource "terraform_data" "app" {
                  input = "${var.label}|${var.region}|${var.greeting}|${var.base_id}|${var.from_env}"
                }
                output "seen" { value = terraform_data.app.output }
                output "token_length" { value = nonsensitive(length(var.api_token)) }
                """,
        ]

        static let varfile = "components/terraform/app/dev-app.terraform.tfvars.json"

        static func repository(_ label: String) throws -> ScratchRepository {
            let repo = try ScratchRepository.files(label, files)
            repo.extraEnvironment = ["KIT_T_REGION": "eu-central-1", "KIT_T_TOKEN": token]
            return repo
        }

        /// The files terraform got for `app` in the last run: the varfile, the generated backend block and
        /// the backend values (in the pair's working directory).
        static func handedFiles(_ repo: ScratchRepository) throws -> [String: String] {
            var out: [String: String] = [:]
            for f in [varfile, ".kit/terraform/dev/app/root/app/backend.tf.json", ".kit/terraform/dev/app/backend.tfbackend"] {
                out[f] = try String(contentsOfFile: repo.path(f), encoding: .utf8)
            }
            return out
        }

        @Test("plan of one component, --all, --components, --query, --affected and deploy hand terraform the same evaluated files")
        func everyPathEvaluates() throws {
            let repo = try Self.repository("run-paths")
            defer { repo.remove() }
            let base = try repo.kit(["terraform", "deploy", "base", "-s", "dev"])
            #expect(base.status == 0, "\(base.output)")

            // The single run is the reference every other path must equal.
            let single = try repo.kit(["terraform", "plan", "app", "-s", "dev"])
            #expect(single.status == 0, "\(single.output)")
            #expect(single.stdout.contains(#""app|eu-central-1|hello|base-dev|eu-central-1""#), "\(single.stdout)")
            let reference = try Self.handedFiles(repo)
            let vars = try JSONSerialization.jsonObject(with: Data(reference[Self.varfile]!.utf8)) as? [String: Any] ?? [:]
            #expect(vars["greeting"] as? String == "hello")
            #expect(vars["region"] as? String == "eu-central-1")
            #expect(vars["api_token"] as? String == Self.token)
            #expect(vars["base_id"] as? String == "base-dev")
            #expect(try repo.mode(Self.varfile) == 0o600)
            #expect(!single.output.contains(Self.token), "the sensitive value was printed:\n\(single.output)")

            var paths: [(String, [String])] = [
                ("--all", ["terraform", "plan", "--all", "-s", "dev"]),
                ("--components", ["terraform", "plan", "--components", "app", "-s", "dev"]),
                ("--query", ["terraform", "plan", "--query", ".vars.label == \"app\"", "-s", "dev"]),
            ]
            // --affected: a change to app's label on a second commit.
            try "*.tfstate*\n.kit/\n.terraform*\n*.tfvars.json\nbackend.tf.json\n*.planfile\n".write(toFile: repo.path(".gitignore"), atomically: true, encoding: .utf8)
            try PipelineTests.git(repo, ["init", "-q", "-b", "main"])
            try PipelineTests.git(repo, ["add", "-A"])
            try PipelineTests.git(repo, ["commit", "-q", "-m", "estate"])
            let stack = repo.path("stacks/deploy/dev.yaml")
            let text = try String(contentsOfFile: stack, encoding: .utf8)
            try text.replacingOccurrences(of: "greeting: !exec echo hello", with: "greeting: !exec echo hello\n        note: changed")
                .write(toFile: stack, atomically: true, encoding: .utf8)
            try PipelineTests.git(repo, ["commit", "-q", "-am", "app changes"])
            paths.append(("--affected", ["terraform", "plan", "--affected", "--base", "HEAD~1"]))

            for (name, arguments) in paths {
                let run = try repo.kit(arguments)
                #expect(run.status == 0, "\(name): \(run.output)")
                #expect(run.output.contains(#""app|eu-central-1|hello|base-dev|eu-central-1""#), "\(name) planned other values:\n\(run.output)")
                #expect(!run.output.contains("!exec") && !run.output.contains("!env"), "\(name) handed a function on:\n\(run.output)")
                #expect(!run.output.contains(Self.token), "\(name) printed the sensitive value")
                var handed = try Self.handedFiles(repo)
                // The one var the second commit added (for --affected), in every path's varfile since.
                #expect(handed[Self.varfile]?.contains("  \"note\": \"changed\",\n") == true, "\(name)")
                handed[Self.varfile] = handed[Self.varfile]?.replacingOccurrences(of: "  \"note\": \"changed\",\n", with: "")
                #expect(handed == reference, "\(name) handed terraform different files")
            }

            // generate varfile writes the very file a run gives terraform (functions and references).
            try FileManager.default.removeItem(atPath: repo.path(Self.varfile))
            let generated = try repo.kit(["terraform", "generate", "varfile", "app", "-s", "dev"])
            #expect(generated.status == 0, "\(generated.output)")
            let generatedText = try String(contentsOfFile: repo.path(Self.varfile), encoding: .utf8)
            #expect(generatedText.replacingOccurrences(of: "  \"note\": \"changed\",\n", with: "") == reference[Self.varfile])

            // describe shows the same evaluated vars (references as written: describe reads no state).
            let describe = try repo.kit(["describe", "component", "app", "-s", "dev", "--format", "json"])
            #expect(describe.status == 0, "\(describe.output)")
            let described = (try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any])?["vars"] as? [String: Any] ?? [:]
            #expect(described["greeting"] as? String == "hello")
            #expect(described["region"] as? String == "eu-central-1")
            #expect(described["base_id"] as? String == "!terraform.output base id")

            // deploy --all applies the evaluated values: the outputs prove what terraform got.
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "dev"])
            #expect(deploy.status == 0, "\(deploy.output)")
            let outputs = try EstateTests.outputs(repo, "app", "dev")
            #expect(outputs["seen"] as? String == "app|eu-central-1|hello|base-dev|eu-central-1")
            #expect(outputs["token_length"] as? Int == Self.token.count)
        }

        @Test("a failing !exec fails the single run and the estate job alike, naming file:line:column; no varfile is written")
        func unevaluableFailsEveryPath() throws {
            let repo = try Self.repository("run-paths-fail")
            defer { repo.remove() }
            let stack = repo.path("stacks/deploy/dev.yaml")
            let text = try String(contentsOfFile: stack, encoding: .utf8)
            try text.replacingOccurrences(of: "!exec echo hello", with: "!exec false").write(toFile: stack, atomically: true, encoding: .utf8)
            for arguments in [["terraform", "plan", "app", "-s", "dev"], ["terraform", "plan", "--all", "-s", "dev"],
                              ["terraform", "plan", "--components", "app", "-s", "dev"]] {
                let run = try repo.kit(arguments)
                #expect(run.status != 0, "\(arguments): \(run.output)")
                #expect(run.output.contains("stacks/deploy/dev.yaml:17:"), "\(arguments) did not locate the function:\n\(run.output)")
                #expect(!repo.exists(Self.varfile), "\(arguments) wrote a varfile")
            }
        }
    }
}
