import Foundation
import Testing

extension KitIntegration {
    /// Issue 18's path-equivalence corpus: one component using every value source kit evaluates —
    /// `!env` (with a default, and a `sensitive` variable), `!exec`, `!template`, `!include` (JSON with a
    /// query, YAML whole), `!repo-root`, `!cwd`, Go templates with a Gomplate function and two
    /// datasources (a relative path and a `file://` URL), `atmos.Component` (another component's vars
    /// while stacks resolve, its outputs at run time), `!terraform.state`, `!terraform.output`, `!env` in
    /// `env:`, and a `providers:` section rendered by a template (a provider override file) — is run
    /// through every entry path, for real and with `--dry-run`.
    ///
    /// terraform is started through a recorder (`components.terraform.command`) that copies, for every
    /// terraform command, the files terraform reads (varfile, `backend.tf.json`, the `-backend-config`
    /// file of init, `providers_override.tf.json`), its arguments and its whole environment before it
    /// execs the real terraform — so deploy, which removes the varfile afterwards, is compared like a
    /// plan. The backend values are also read where kit writes them (init is skipped once the pair is
    /// initialised). Every
    /// row of `paths` must hand terraform byte-identical files and environment, and print the same
    /// dry-run block as the first row of its kind. A path added later is one more row, and fails here
    /// until it joins the pipeline. `generate varfile` must write the runs' varfile byte for byte (its
    /// `--dry-run` the same with the deferred values as written), `generate backend` the runs' backend
    /// type and values, and `describe component` the same values.
    @Suite("one run pipeline: every function through every path")
    struct RunPathCorpusTests {
        static let token = "c0rpus-t0ken"
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
                        zone: {url: "file://@REPO@/config/zone.yaml"}
                """,
            "config/network.json": #"{"cidr": "10.9.0.0/16"}"# + "\n",
            "config/zone.yaml": "zone: corpus.internal\n",
            "config/sizes.json": #"{"web": 3}"# + "\n",
            "config/tags.yaml": "team: paths\ntier: 2\n",
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
                        terraform:
                          alias: '{{ .vars.label }}-corpus'
                      vars:
                        label: web
                        region: !env KIT_T_REGION us-east-2
                        fallback: !env KIT_T_UNSET fallback-value
                        api_token: !env KIT_T_TOKEN
                        greeting: !exec echo hello
                        cidrs: !template '{{ toJson .settings.cidrs }}'
                        size: !include ../../config/sizes.json .web
                        tags: !include ../../config/tags.yaml
                        root_dir: !repo-root
                        here: !cwd
                        network: '{{ (datasource "network").cidr }}'
                        zone: '{{ (ds "zone").zone }}'
                        shout: '{{ strings.ToUpper "web" }}'
                        base_label: '{{ (atmos.Component "base" .stack).vars.label }}'
                        base_out: '{{ (atmos.Component "base" .stack).outputs.id }}'
                        base_id: !terraform.state base id
                        base_id_out: !terraform.output base id
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
                provider "terraform" { alias = "web-corpus" }
                variable "stage" { type = string }
                variable "label" { type = string }
                variable "region" { type = string }
                variable "fallback" { type = string }
                variable "api_token" {
                  type      = string
                  sensitive = true
                }
                variable "greeting" { type = string }
                variable "cidrs" { type = list(string) }
                variable "size" { type = number }
                variable "tags" { type = map(string) }
                variable "root_dir" { type = string }
                variable "here" { type = string }
                variable "network" { type = string }
                variable "zone" { type = string }
                variable "shout" { type = string }
                variable "base_label" { type = string }
                variable "base_out" { type = string }
                variable "base_id" { type = string }
                variable "base_id_out" { type = string }
                variable "from_env" { type = string }
                resource "terraform_data" "web" {
                  input = join("|", [var.label, var.region, var.fallback, var.greeting, join(",", var.cidrs), tostring(var.size),
                                     var.tags["team"], var.root_dir, var.here, var.network, var.zone, var.shout, var.base_label,
                                     var.base_out, var.base_id, var.base_id_out, var.from_env])
                }
                output "seen" { value = terraform_data.web.output }
                output "token_length" { value = nonsensitive(length(var.api_token)) }
                """,
            ".gitignore": "*.tfstate*\n.kit/\n.terraform*\n*.tfvars.json\nbackend.tf.json\n*.planfile\n",
        ]

        /// Started as terraform: keeps what terraform is about to read, per component and subcommand, then
        /// execs the real terraform.
        static let recorder = """
            #!/bin/sh
            out="$KIT_T_SEEN/$KIT_COMPONENT/$1"
            rm -rf "$out" && mkdir -p "$out" || exit 97
            env | LC_ALL=C sort > "$out/environment"
            printf '%s\\n' "$@" > "$out/arguments"
            for f in *.tfvars.json backend.tf.json providers_override.tf.json; do
              if [ -e "$f" ]; then cat "$f" > "$out/$f" || exit 97; fi
            done
            for a in "$@"; do
              case "$a" in -backend-config=*) cat "${a#-backend-config=}" > "$out/backend.tfbackend" || exit 97 ;; esac
            done
            exec "$KIT_T_TERRAFORM" "$@"
            """

        static let varfile = "dev-web.terraform.tfvars.json"
        /// What terraform reads: compared byte for byte on every path.
        static let handed = [varfile, "backend.tf.json", "backend.tfbackend", "providers_override.tf.json", "environment"]
        /// The references and the run-time `atmos.Component` read: the value a run hands terraform, and the
        /// text `describe`, `generate varfile --dry-run` and dry runs keep.
        static let deferred: [(name: String, value: String, written: String)] = [
            ("base_out", "base-dev", #"{{ (atmos.Component \"base\" .stack).outputs.id }}"#),
            ("base_id", "base-dev", "!terraform.state base id"),
            ("base_id_out", "base-dev", "!terraform.output base id"),
        ]

        /// One way into the pipeline. `main` is the terraform subcommand the recorder sees; rows of one
        /// `main` print the same dry-run block as the first of them.
        struct EntryPath {
            var name: String
            var arguments: [String]
            var main: String
        }

        static let paths: [EntryPath] = [
            EntryPath(name: "plan web -s dev", arguments: ["terraform", "plan", "web", "-s", "dev"], main: "plan"),
            EntryPath(name: "plan --all", arguments: ["terraform", "plan", "--all", "-s", "dev"], main: "plan"),
            EntryPath(name: "plan --components", arguments: ["terraform", "plan", "--components", "web", "-s", "dev"], main: "plan"),
            EntryPath(name: "plan --query", arguments: ["terraform", "plan", "--query", ".vars.label == \"web\"", "-s", "dev"], main: "plan"),
            EntryPath(name: "plan --affected", arguments: ["terraform", "plan", "--affected", "--base", "HEAD~1"], main: "plan"),
            EntryPath(name: "deploy web -s dev", arguments: ["terraform", "deploy", "web", "-s", "dev"], main: "apply"),
            EntryPath(name: "deploy --all", arguments: ["terraform", "deploy", "--all", "-s", "dev"], main: "apply"),
            EntryPath(name: "deploy --components", arguments: ["terraform", "deploy", "--components", "web", "-s", "dev"], main: "apply"),
        ]

        static func expectedSeen(_ root: String) -> String {
            "web|eu-central-1|fallback-value|hello|10.0.0.0/16,10.1.0.0/16|3|paths|\(root)|\(root)|10.9.0.0/16|corpus.internal|WEB|base"
                + "|base-dev|base-dev|base-dev|eu-central-1"
        }

        /// The backend values kit gives `terraform init` (`-backend-config`), in the pair's directory.
        static let backendValues = ".kit/terraform/dev/web/backend.tfbackend"

        /// What the recorder kept for web's last `main` command, and the backend values (an absent file is
        /// "<absent>"). init may be skipped when the pair is initialised already, so the backend values
        /// are read from where kit writes them on every run (removed before each row).
        static func handedFiles(_ repo: ScratchRepository, _ seen: String, _ main: String) -> [String: String] {
            var out: [String: String] = [:]
            for f in handed {
                let path = f == "backend.tfbackend" ? repo.path(backendValues) : "\(seen)/web/\(main)/\(f)"
                out[f] = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<absent>"
            }
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

        /// `name = value` lines of a `-backend-config` file, each value a quoted string, number or bool.
        static func hclAttributes(_ text: String) throws -> [String: Any] {
            var out: [String: Any] = [:]
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw IntegrationSetupError("not an attribute: \(line)") }
                out[parts[0]] = try JSONSerialization.jsonObject(with: Data(parts[1].utf8), options: .fragmentsAllowed)
            }
            return out
        }

        /// Lines of `a` and `b` that differ, for a readable failure.
        static func difference(_ a: String, _ b: String) -> String {
            let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
            return (0..<max(x.count, y.count)).compactMap { i -> String? in
                let l = i < x.count ? String(x[i]) : "<none>", r = i < y.count ? String(y[i]) : "<none>"
                return l == r ? nil : "  line \(i + 1): \(l)\n       vs: \(r)"
            }.joined(separator: "\n")
        }

        @Test("plan, --all, --components, --query, --affected, deploy (one, --all, --components), generate varfile/backend and describe hand terraform the same files and environment for every function, real and --dry-run")
        func corpusThroughEveryPath() throws {
            let repo = try ScratchRepository.files("run-path-corpus", Self.files)
            defer { repo.remove() }
            let root = URL(fileURLWithPath: repo.repo).resolvingSymlinksInPath().path
            let config = repo.path("kit.yaml")
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "@REPO@", with: root)
                .write(toFile: config, atomically: true, encoding: .utf8)
            let seen = repo.root + "/seen"
            let recorder = repo.root + "/bin/terraform"
            try FileManager.default.createDirectory(atPath: repo.root + "/bin", withIntermediateDirectories: true)
            try Self.recorder.write(toFile: recorder, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: recorder)
            repo.extraEnvironment = ["KIT_T_REGION": "eu-central-1", "KIT_T_TOKEN": Self.token, "KIT_T_SEEN": seen,
                                     "KIT_T_TERRAFORM": try IntegrationPaths.terraform(),
                                     "KIT_COMPONENTS_TERRAFORM_COMMAND": recorder]

            // Two commits: the second changes web (for --affected); every path sees the same stack.
            _ = try PipelineTests.git(repo, ["init", "-q", "-b", "main"])
            _ = try PipelineTests.git(repo, ["add", "-A"])
            _ = try PipelineTests.git(repo, ["commit", "-q", "-m", "estate"])
            let stack = repo.path("stacks/deploy/dev.yaml")
            try String(contentsOfFile: stack, encoding: .utf8)
                .replacingOccurrences(of: "        label: web\n", with: "        label: web\n        note: changed\n")
                .write(toFile: stack, atomically: true, encoding: .utf8)
            _ = try PipelineTests.git(repo, ["commit", "-q", "-am", "web changes"])

            let base = try repo.kit(["terraform", "deploy", "base", "-s", "dev"])
            #expect(base.status == 0, "\(base.output)")
            let expected = Self.expectedSeen(root)

            // Every row: the real run, then its --dry-run; the first row of each kind is the reference.
            var reference: [String: String]?
            var referenceArguments: [String: String] = [:]
            var referenceDry: [String: [String]] = [:]
            for path in Self.paths {
                // Nothing an earlier row left can stand in for this row's files.
                try? FileManager.default.removeItem(atPath: seen + "/web")
                try? FileManager.default.removeItem(atPath: repo.path(Self.backendValues))
                let run = try repo.kit(path.arguments)
                #expect(run.status == 0, "\(path.name): \(run.output)")
                #expect(run.output.contains(expected), "\(path.name) gave terraform other values:\n\(run.output)")
                #expect(!run.output.contains(Self.token), "\(path.name) printed the sensitive value")
                let files = Self.handedFiles(repo, seen, path.main)
                if let initialised = try? String(contentsOfFile: seen + "/web/init/backend.tfbackend", encoding: .utf8) {
                    #expect(initialised == files["backend.tfbackend"], "\(path.name): init got other backend values than kit wrote")
                }
                if let reference {
                    for f in Self.handed where files[f] != reference[f] {
                        Issue.record("\(path.name) handed terraform a different \(f):\n\(Self.difference(reference[f]!, files[f]!))")
                    }
                } else {
                    reference = files
                }
                let arguments = (try? String(contentsOfFile: "\(seen)/web/\(path.main)/arguments", encoding: .utf8)) ?? "<absent>"
                if let first = referenceArguments[path.main] {
                    #expect(arguments == first, "\(path.name) ran terraform with other arguments:\n\(Self.difference(first, arguments))")
                } else {
                    referenceArguments[path.main] = arguments
                }

                let dry = try repo.kit(path.arguments + ["--dry-run"])
                #expect(dry.status == 0, "\(path.name) --dry-run: \(dry.output)")
                let block = Self.dryRunBlock(dry.stdout)
                if let first = referenceDry[path.main] {
                    #expect(block == first, "\(path.name) --dry-run printed another block:\n\(Self.difference(first.joined(separator: "\n"), block.joined(separator: "\n")))")
                } else {
                    referenceDry[path.main] = block
                }
            }
            let handed = try #require(reference)

            // What the reference got: every function evaluated, in every file.
            let vars = try JSONSerialization.jsonObject(with: Data(handed[Self.varfile]!.utf8)) as? [String: Any] ?? [:]
            #expect(vars["cidrs"] as? [String] == ["10.0.0.0/16", "10.1.0.0/16"])
            #expect(vars["size"] as? Int == 3)
            #expect(NSDictionary(dictionary: vars["tags"] as? [String: Any] ?? [:]).isEqual(to: ["team": "paths", "tier": 2]))
            #expect(vars["root_dir"] as? String == root && vars["here"] as? String == root)
            #expect(vars["api_token"] as? String == Self.token)
            #expect(vars["note"] as? String == "changed")
            for d in Self.deferred { #expect(vars[d.name] as? String == d.value, "\(d.name)") }
            #expect(handed["providers_override.tf.json"]!.contains(#""alias": "web-corpus""#), "\(handed["providers_override.tf.json"]!)")
            #expect(handed["backend.tf.json"]!.contains(#""local""#), "\(handed["backend.tf.json"]!)")
            #expect(handed["backend.tfbackend"]!.contains("terraform.tfstate"), "\(handed["backend.tfbackend"]!)")
            let environment = handed["environment"]!.split(separator: "\n").map(String.init)
            #expect(environment.contains("TF_VAR_from_env=eu-central-1"), "\(environment)")
            #expect(environment.contains("KIT_COMPONENT=web") && environment.contains("KIT_STACK=dev"), "\(environment)")

            // The dry runs name the same files, variables and environment the real runs gave terraform.
            let planDry = try #require(referenceDry["plan"])
            let inFile = vars.keys.sorted()
            #expect(planDry.contains { $0.hasSuffix("(\(inFile.count) variables: \(inFile.joined(separator: ", ")))") },
                    "the dry run names other variables than the real varfile holds (\(inFile)):\n\(planDry.joined(separator: "\n"))")
            #expect(planDry.contains { $0.contains("providers_override.tf.json") && $0.hasSuffix("(providers: terraform)") }, "\(planDry)")
            #expect(planDry.contains("# kit: env (values not shown): TF_VAR_from_env"), "\(planDry)")
            // deploy's dry run writes the same files and sets the same environment as plan's.
            let deployDry = try #require(referenceDry["apply"])
            func setUp(_ block: [String]) -> [String] { block.filter { $0.hasPrefix("# kit: write") || $0.hasPrefix("export ") || $0.hasPrefix("# kit: env") } }
            #expect(setUp(deployDry) == setUp(planDry), "deploy --dry-run:\n\(deployDry.joined(separator: "\n"))")
            #expect(deployDry.contains { $0.contains(" apply ") && $0.hasSuffix("-auto-approve") }, "\(deployDry)")
            let exported = try #require(planDry.first { $0.hasPrefix("export ") })
            let workingDirectory = repo.path(".kit/terraform/dev/web/root/web")
            for assignment in exported.dropFirst("export ".count).split(separator: " ") {
                let name = String(assignment.prefix { $0 != "=" })
                let shown = String(assignment.dropFirst(name.count + 1))
                let real = environment.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
                let resolved = shown.hasPrefix(".") ? URL(fileURLWithPath: workingDirectory + "/" + shown).standardized.path : shown
                #expect(real == shown || real == resolved || shown.contains("<home>"),
                        "--dry-run exports \(name)=\(shown) (\(resolved)); terraform got \(real ?? "nothing")")
            }

            // generate varfile writes the very file the runs gave terraform; its --dry-run prints it with the
            // references (and the run-time atmos.Component read) as written, every other value equal.
            let written = repo.path("components/terraform/web/" + Self.varfile)
            try? FileManager.default.removeItem(atPath: written)
            let generated = try repo.kit(["terraform", "generate", "varfile", "web", "-s", "dev"])
            #expect(generated.status == 0, "\(generated.output)")
            let generatedText = try String(contentsOfFile: written, encoding: .utf8)
            #expect(generatedText == handed[Self.varfile], "generate varfile wrote another varfile:\n\(Self.difference(handed[Self.varfile]!, generatedText))")
            var asWritten = handed[Self.varfile]!
            for d in Self.deferred {
                asWritten = asWritten.replacingOccurrences(of: "\"\(d.name)\": \"\(d.value)\"", with: "\"\(d.name)\": \"\(d.written)\"")
            }
            let generatedDry = try repo.kit(["terraform", "generate", "varfile", "web", "-s", "dev", "--dry-run"])
            #expect(generatedDry.status == 0, "\(generatedDry.output)")
            #expect(generatedDry.stdout.trimmingCharacters(in: .newlines) == asWritten.trimmingCharacters(in: .newlines),
                    "generate varfile --dry-run:\n\(Self.difference(asWritten, generatedDry.stdout))")

            // generate backend writes the atmos-shaped backend.tf.json (type and values in one block): the
            // backend the runs gave terraform (backend.tf.json's type, the -backend-config values), so
            // terraform run by hand with it reads the runs' state. Its --dry-run prints the same document.
            let runType = try #require(((try JSONSerialization.jsonObject(with: Data(handed["backend.tf.json"]!.utf8)) as? [String: Any])?["terraform"]
                as? [String: Any])?["backend"] as? [String: Any]).keys.sorted()
            let runValues = try Self.hclAttributes(handed["backend.tfbackend"]!)
            let generatedBackendFile = repo.path("components/terraform/web/backend.tf.json")
            for dryRun in [false, true] {
                let backend = try repo.kit(["terraform", "generate", "backend", "web", "-s", "dev"] + (dryRun ? ["--dry-run"] : []))
                #expect(backend.status == 0, "\(backend.output)")
                let text = dryRun ? backend.stdout : try String(contentsOfFile: generatedBackendFile, encoding: .utf8)
                try? FileManager.default.removeItem(atPath: generatedBackendFile)
                let document = (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["terraform"] as? [String: Any]
                let generatedBackend = document?["backend"] as? [String: Any] ?? [:]
                #expect(generatedBackend.keys.sorted() == runType, "generate backend\(dryRun ? " --dry-run" : ""): \(text)")
                #expect(NSDictionary(dictionary: generatedBackend[runType.first ?? ""] as? [String: Any] ?? [:]).isEqual(to: runValues),
                        "generate backend\(dryRun ? " --dry-run" : "") gives other backend values than the runs (\(runValues)):\n\(text)")
            }

            // describe shows the same values (the deferred ones as written: describe reads no state).
            let describe = try repo.kit(["describe", "component", "web", "-s", "dev", "--format", "json", "--show-secrets"])
            #expect(describe.status == 0, "\(describe.output)")
            let described = try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any] ?? [:]
            var expectedVars = vars
            for d in Self.deferred { expectedVars[d.name] = d.written.replacingOccurrences(of: "\\\"", with: "\"") }
            #expect(NSDictionary(dictionary: described["vars"] as? [String: Any] ?? [:]).isEqual(to: expectedVars),
                    "describe shows other vars: \(described["vars"] ?? "none")")
            #expect((described["env"] as? [String: Any])?["TF_VAR_from_env"] as? String == "eu-central-1")
            #expect(((described["providers"] as? [String: Any])?["terraform"] as? [String: Any])?["alias"] as? String == "web-corpus")

            // The deploys applied what they got.
            let outputs = try EstateTests.outputs(repo, "web", "dev")
            #expect(outputs["seen"] as? String == expected)
            #expect(outputs["token_length"] as? Int == Self.token.count)
        }
    }
}
