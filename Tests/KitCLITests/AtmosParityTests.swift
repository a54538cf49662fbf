import Foundation
import Testing

/// atmos parity, the cases where kit used to exit 0 with output that differs from atmos's (issue 21).
/// Fixture `atmos-parity`: atmos.yaml with `integrations.github.gitops` and `auth` (a provider and an
/// identity); stack `dev` has only the ansible component `hello-world`; stack `prod` has `vpc` (with a
/// `source` from `catalog/vpc`), `top-level-component1` and `network` (folder `infra/network`).
@Suite("atmos parity")
struct AtmosParityTests {
    /// The JSON object `kit … --format json` printed.
    static func object(_ run: KitRun) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(parsed as? [String: Any], "not a JSON object: \(run.stdout)")
    }

    static func describe(_ repo: FixtureRepository, _ component: String, _ stack: String) throws -> [String: Any] {
        let run = try repo.run(["describe", "component", component, "-s", stack, "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        return try object(run)
    }

    @Test("atmos.yaml integrations.github is merged under every component's settings.integrations.github")
    func githubIntegration() throws {
        let repo = try FixtureRepository("atmos-parity")
        let vpc = try Self.describe(repo, "vpc", "prod")
        let gitops = try #require((vpc["settings"] as? [String: Any])?["integrations"] as? [String: Any])["github"] as? [String: Any]
        let values = try #require(gitops?["gitops"] as? [String: Any])
        // The stack's own value wins; the rest comes from atmos.yaml.
        #expect(values["infracost-enabled"] as? Bool == true)
        #expect(values["terraform-version"] as? String == "1.5.7")
        #expect((values["artifact-storage"] as? [String: String]) == ["region": "us-east-2", "bucket": "gitops-plans"])
        // A component whose stack says nothing gets atmos.yaml's values, ansible ones too.
        for (component, stack) in [("top-level-component1", "prod"), ("hello-world", "dev")] {
            let doc = try Self.describe(repo, component, stack)
            let settings = try #require(doc["settings"] as? [String: Any])
            let g = try #require(((settings["integrations"] as? [String: Any])?["github"] as? [String: Any])?["gitops"] as? [String: Any])
            #expect(g["infracost-enabled"] as? Bool == false, "\(component)")
        }
    }

    @Test("atmos.yaml auth is merged under a terraform component's auth, with atmos's schema defaults")
    func globalAuth() throws {
        let repo = try FixtureRepository("atmos-parity")
        let vpc = try Self.describe(repo, "vpc", "prod")
        let auth = try #require(vpc["auth"] as? [String: Any])
        #expect(Set(auth.keys) == ["identities", "keyring", "logs", "providers"])
        let admin = try #require((auth["identities"] as? [String: Any])?["test-admin"] as? [String: Any])
        #expect(admin["default"] as? Bool == false)            // the stack's override
        #expect(admin["kind"] as? String == "aws/permission-set")  // from atmos.yaml
        let sso = try #require((auth["providers"] as? [String: Any])?["test-sso"] as? [String: Any])
        #expect(sso["start_url"] as? String == "https://test.awsapps.com/start")
        #expect((auth["logs"] as? [String: String]) == ["file": "", "level": ""])
        let other = try #require(try Self.describe(repo, "top-level-component1", "prod")["auth"] as? [String: Any])
        #expect(((other["identities"] as? [String: Any])?["test-admin"] as? [String: Any])?["default"] as? Bool == true)
        // atmos merges the global auth into terraform components only.
        let ansible = try Self.describe(repo, "hello-world", "dev")
        #expect((ansible["auth"] as? [String: Any])?.isEmpty == true)
    }

    @Test("a component's source section is kept in describe component and describe stacks")
    func sourceSection() throws {
        let repo = try FixtureRepository("atmos-parity")
        let vpc = try Self.describe(repo, "vpc", "prod")
        #expect((vpc["source"] as? [String: String]) == ["type": "git", "uri": "github.com/cloudposse-terraform-components/aws-vpc.git//src",
                                                         "version": "v1.2.3", "ttl": "24h"])
        let stacks = try repo.run(["describe", "stacks", "-s", "prod", "--format", "json", "--query", ".prod.components.terraform.vpc.source.version"])
        #expect(stacks.exitCode == 0)
        #expect(stacks.stdout == "\"v1.2.3\"\n")
        // Without one, atmos prints `source: {}` (and `provision: {}`); so does kit.
        let plain = try Self.describe(repo, "top-level-component1", "prod")
        #expect((plain["source"] as? [String: Any])?.isEmpty == true)
        #expect((plain["provision"] as? [String: Any])?.isEmpty == true)
    }

    @Test("a stack with only ansible components is listed and described")
    func ansibleOnlyStack() throws {
        let repo = try FixtureRepository("atmos-parity")
        let stacks = try repo.run(["list", "stacks"])
        #expect(stacks.exitCode == 0)
        #expect(stacks.stdout == "dev\nfn\nprod\n")
        #expect(stacks.stderr.isEmpty)
        let components = try repo.run(["list", "components", "-s", "dev"])
        #expect(components.stdout == "hello-world\tansible\t1\n")
        let doc = try Self.describe(repo, "hello-world", "dev")
        #expect(doc["component_type"] as? String == "ansible")
        #expect((doc["vars"] as? [String: String]) == ["greeting": "hello", "stage": "dev"])
        // atmos's describe component gives a folder for terraform, helmfile and packer components only.
        #expect((doc["component_info"] as? [String: String]) == ["component_type": "ansible"])
        let all = try repo.run(["describe", "stacks", "-s", "dev", "--format", "json"])
        #expect(all.exitCode == 0, "\(all.stderr)")
        let dev = try #require(try Self.object(all)["dev"] as? [String: Any])
        let ansible = try #require((dev["components"] as? [String: Any])?["ansible"] as? [String: Any])
        #expect(Set(ansible.keys) == ["hello-world"])
        // Running it is not kit's job, and kit says so instead of "not found".
        let plan = try repo.run(["terraform", "plan", "hello-world", "-s", "dev"])
        #expect(plan.exitCode == 1)
        #expect(plan.errorLines == ["error: component 'hello-world' in stack 'dev' is a ansible component, and kit runs terraform only — run it with atmos or ansible ('kit describe component' shows its configuration)"])
    }

    /// Writes a stack `bad` whose stack-wide `vars` is a list.
    static func withListVars() throws -> FixtureRepository {
        let repo = try FixtureRepository("atmos-parity")
        try "vars: [1, 2]\ncomponents:\n  terraform:\n    vpc:\n      vars: {cidr: 10.9.0.0/16}\n"
            .write(to: repo.root.appendingPathComponent("stacks/deploy/bad.yaml"), atomically: true, encoding: .utf8)
        return repo
    }

    @Test("a manifest with 'vars: [1, 2]' is a located error on every command that reads it",
          arguments: [["list", "stacks"], ["list", "components"], ["describe", "stacks"], ["describe", "stacks", "-s", "prod"],
                      ["describe", "component", "vpc", "-s", "prod"], ["validate", "stacks"]])
    func listVars(_ arguments: [String]) throws {
        let repo = try Self.withListVars()
        let run = try repo.run(arguments)
        #expect(run.exitCode == 1, "\(arguments): \(run.stdout)")
        #expect(run.errorLines.contains { $0.hasPrefix("error: stacks/deploy/bad.yaml:1:7: ") && $0.contains("'vars'") && $0.contains("list") },
                "\(arguments): \(run.stderr)")
        #expect(!run.stdout.contains("deploy/bad"))
    }

    @Test("a component named with --all, --query, --components or --affected is a usage error before anything runs",
          arguments: [["--all"], ["--query", ".vars.cidr != null"], ["--components", "vpc"], ["--affected", "--base", "main"]])
    func componentWithSelection(_ flags: [String]) throws {
        let repo = try FixtureRepository("atmos-parity")
        let run = try repo.run(["terraform", "plan", "vpc", "-s", "prod"] + flags)
        #expect(run.exitCode == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines == ["error: the component 'vpc' cannot be used with \(flags[0]) — name one component, or select several with --all, --components, --query or --affected"])
        #expect(repo.files(under: repo.root.appendingPathComponent(".kit")).isEmpty)
    }

    @Test("plan --query that matches nothing exits 0 with a note, as atmos")
    func emptyQuery() throws {
        let repo = try FixtureRepository("atmos-parity")
        let run = try repo.run(["terraform", "plan", "--query", ".vars.cidr == \"192.168.0.0/16\"", "-s", "prod"])
        #expect(run.exitCode == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "note: nothing to plan: stack 'prod' has no component matching --query '.vars.cidr == \"192.168.0.0/16\"'\n")
        // A query that cannot be parsed is still a usage error, and an unknown stack still an error.
        #expect(try repo.run(["terraform", "plan", "--query", ".vars ==", "-s", "prod"]).exitCode != 0)
        #expect(try repo.run(["terraform", "plan", "--query", ".vars", "-s", "prodd"]).exitCode == 1)
    }

    @Test("a component named by its folder: '.', './vpc', 'components/terraform/vpc', './infra/network'",
          arguments: [(".", "components/terraform/vpc", "vpc"), ("./vpc", "", "vpc"), ("components/terraform/vpc", "", "vpc"),
                      ("./infra/network", "", "network"), ("../network", "components/terraform/infra/network", "network"),
                      ("./components/ansible/hello-world", "", "hello-world")])
    func pathArgument(_ argument: String, _ directory: String, _ expected: String) throws {
        let repo = try FixtureRepository("atmos-parity")
        let stack = expected == "hello-world" ? "dev" : "prod"
        let run = try repo.run(["describe", "component", argument, "-s", stack, "--query", ".atmos_component"], in: directory)
        #expect(run.exitCode == 0, "\(argument): \(run.stderr)")
        #expect(run.stdout == expected + "\n")
    }

    @Test("terraform commands take a component folder too")
    func pathArgumentTerraform() throws {
        let repo = try FixtureRepository("atmos-parity")
        let run = try repo.run(["terraform", "generate", "varfile", "./vpc", "-s", "prod", "--dry-run"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"cidr\": \"10.0.0.0/16\""))
    }

    @Test("validate component takes a component folder as describe does, and refuses the same paths with the same words")
    func pathArgumentValidate() throws {
        let repo = try FixtureRepository("atmos-parity")
        let byPath = try repo.run(["validate", "component", "./vpc", "-s", "prod"])
        let byName = try repo.run(["validate", "component", "vpc", "-s", "prod"])
        #expect(byPath.exitCode == byName.exitCode, "\(byPath.stderr)")
        #expect(byPath.stderr == byName.stderr, "a folder and the name must validate the same component")
        #expect(byPath.stderr.contains("validated 'vpc' in 'prod'"), "\(byPath.stderr)")
        let wrong = try repo.run(["validate", "component", "./stacks", "-s", "prod"])
        let described = try repo.run(["describe", "component", "./stacks", "-s", "prod"])
        #expect(wrong.exitCode == 1)
        #expect(wrong.errorLines.first == described.errorLines.first, "\(wrong.stderr)")
    }

    @Test("a folder that names no single component is an error, as in atmos",
          arguments: [
            ("./stacks", "prod", "error: the component path './stacks' is in the stacks directory 'stacks', not a component folder — give a folder under a components base path, or the component's name"),
            ("./components/terraform", "prod", "error: the component path './components/terraform' is the components base path 'components/terraform' itself — give a component folder inside it, e.g. 'components/terraform/vpc'"),
            (".", "prod", "error: the component path '.' is not inside a components base path ('components/terraform', 'components/ansible') — give a component folder, or the component's name"),
            ("./vpc", "dev", "error: no terraform component of stack 'dev' uses the folder 'vpc'"),
            ("./top-level-component1", "fn", "error: no terraform component of stack 'fn' uses the folder 'top-level-component1' — its terraform components are: dice, labelled, unlabelled"),
            ("./vpc", "fn", "error: the folder 'vpc' is used by 3 components of stack 'fn' (dice, labelled, unlabelled) — name one of them instead of the path"),
            ("./vpc", "prd", "error: stack 'prd' not found — did you mean 'prod'?"),
          ])
    func pathArgumentErrors(_ argument: String, _ stack: String, _ message: String) throws {
        let repo = try FixtureRepository("atmos-parity")
        let run = try repo.run(["describe", "component", argument, "-s", stack])
        #expect(run.exitCode == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.first?.hasPrefix(message) == true, "\(run.stderr)")
    }

    /// The fixture's atmos.yaml split over `import:` files; atmos.yaml itself overrides one imported value.
    static func splitConfiguration() throws -> FixtureRepository {
        let repo = try FixtureRepository("atmos-parity")
        func write(_ path: String, _ text: String) throws {
            let url = repo.root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let original = try #require(repo.text("atmos.yaml"))
        let sections = original.components(separatedBy: "\n\n")
        func section(_ key: String) throws -> String { try #require(sections.first { $0.hasPrefix(key + ":") }, "\(key)") + "\n" }
        try write("config/components.yaml", try section("components"))
        try write("config/parts/stacks.yaml", try section("stacks"))
        try write("config/parts/more/integrations.yaml", try section("integrations") + (try section("auth")) + (try section("version")))
        try write("atmos.yaml", "base_path: \".\"\nimport:\n  - config/components\n  - \"config/parts/**/*.yaml\"\n" +
                  "integrations:\n  github:\n    gitops:\n      terraform-version: \"1.6.0\"\n")
        return repo
    }

    @Test("atmos.yaml 'import:' reads a configuration split over files; the importing file wins")
    func configurationImports() throws {
        let repo = try Self.splitConfiguration()
        let stacks = try repo.run(["list", "stacks"])
        #expect(stacks.exitCode == 0, "\(stacks.stderr)")
        #expect(stacks.stdout == "dev\nfn\nprod\n")
        let vpc = try Self.describe(repo, "vpc", "prod")
        let gitops = try #require((((vpc["settings"] as? [String: Any])?["integrations"] as? [String: Any])?["github"] as? [String: Any])?["gitops"] as? [String: Any])
        #expect(gitops["terraform-version"] as? String == "1.6.0")
        #expect((gitops["artifact-storage"] as? [String: String])?["bucket"] == "gitops-plans")
        #expect(((vpc["auth"] as? [String: Any])?["providers"] as? [String: Any])?["test-sso"] != nil)
    }

    @Test("an atmos.yaml import that matches no file is an error naming atmos.yaml")
    func missingConfigurationImport() throws {
        let repo = try Self.splitConfiguration()
        let file = repo.root.appendingPathComponent("atmos.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "config/components", with: "config/componentz")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let run = try repo.run(["list", "stacks"])
        #expect(run.exitCode == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines == ["error: \(repo.root.path)/atmos.yaml: 'import' is 'config/componentz', expected a file, folder or glob that matches a .yaml or .yml file"])
    }
}
