import Foundation
import KitCore
import Testing

/// Untrusted mode (`--untrusted`, `KIT_UNTRUSTED=1`; issue 20 §1): each rule is refused with a located
/// error naming the rule and `--untrusted`, and the same input works without it. `describe affected`
/// and `--affected` runs take the security-relevant settings from the base ref.
@Suite("untrusted mode")
struct UntrustedModeTests {
    /// The configuration every repository here starts from; `extra` is appended (top-level keys).
    static func kitYAML(_ extra: String = "", terraform: String = "") -> String {
        """
        base_path: "."
        components:
          terraform:
            base_path: components/terraform
        \(terraform)
        stacks:
          base_path: stacks
          included_paths: ["orgs/**/*"]
          name_pattern: "{stage}"
        \(extra)
        """
    }

    /// A repository with kit.yaml and `stacks/orgs/dev.yaml` = `dev`, committed as `c0`.
    static func repository(dev: String, kitYAML: String = UntrustedModeTests.kitYAML()) throws -> GitFixture {
        let g = try GitFixture()
        try g.write("kit.yaml", kitYAML)
        try g.write("stacks/orgs/dev.yaml", dev)
        try g.write("components/terraform/vpc/main.tf", "variable \"note\" { default = \"\" }\nvariable \"stage\" {}\n")
        try g.commit("c0")
        return g
    }

    /// `dev.yaml` with `vpc`'s `vars.note` set to `value` on line 6.
    static func devStack(note value: String, vpcExtra: String = "") -> String {
        """
        vars:
          stage: dev
        components:
          terraform:
            vpc:
              vars: {note: \(value)}
        \(vpcExtra)
        terraform:
          backend_type: local

        """
    }

    static let secret = "s3cr3t-value-kit-test"

    /// Expects a refusal: exit 1, one error line holding `location`, the rule and `--untrusted`, no secret.
    static func expectRefused(_ run: KitRun, rule: String, location: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(run.exitCode == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        let line = run.errorLines.first ?? ""
        #expect(line.contains(location), "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(line.contains("rule '\(rule)'"), "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(line.contains("--untrusted"), "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "\(run.stdout)\(run.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: rule no-exec

    @Test("!exec is refused at its file:line:column; without --untrusted it runs")
    func execRefused() throws {
        let g = try Self.repository(dev: Self.devStack(note: "!exec echo ran-by-exec"))
        let refused = try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"])
        Self.expectRefused(refused, rule: "no-exec", location: "stacks/orgs/dev.yaml:6:")
        #expect(refused.errorLines.first?.contains("'!exec'") == true, "\(refused.stderr)")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"])
        #expect(trusted.exitCode == 0, "\(trusted.stderr)")
        #expect(trusted.stdout.contains("note: ran-by-exec"), "\(trusted.stdout)")
    }

    @Test("KIT_UNTRUSTED=1 is --untrusted; KIT_UNTRUSTED=0 is not; another value is an error")
    func environmentVariable() throws {
        let g = try Self.repository(dev: Self.devStack(note: "!exec echo ran-by-exec"))
        Self.expectRefused(try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: ["KIT_UNTRUSTED": "1"]),
                           rule: "no-exec", location: "stacks/orgs/dev.yaml:6:")
        Self.expectRefused(try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: ["KIT_UNTRUSTED": "true"]),
                           rule: "no-exec", location: "stacks/orgs/dev.yaml:6:")
        let off = try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: ["KIT_UNTRUSTED": "0"])
        #expect(off.exitCode == 0 && off.stdout.contains("note: ran-by-exec"), "\(off.stderr)")
        let typo = try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: ["KIT_UNTRUSTED": "yes please"])
        #expect(typo.exitCode == 1, "\(typo.stderr)")
        #expect(typo.errorLines.first?.contains("KIT_UNTRUSTED") == true, "\(typo.stderr)")
    }

    @Test("a workflow's shell step is refused before any step runs; kit steps pass --untrusted on")
    func workflowShellStep() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"))
        try g.write("stacks/workflows/ci.yaml", """
            workflows:
              touch:
                steps:
                  - command: touch ran-by-workflow
                    type: shell

            """)
        try g.commit("c1")
        let refused = try g.kit(["workflow", "touch", "-f", "ci", "--untrusted"])
        Self.expectRefused(refused, rule: "no-exec", location: "ci.yaml:4:")
        #expect(!FileManager.default.fileExists(atPath: g.root.appendingPathComponent("ran-by-workflow").path))
        let trusted = try g.kit(["workflow", "touch", "-f", "ci"])
        #expect(trusted.exitCode == 0, "\(trusted.stderr)")
        #expect(FileManager.default.fileExists(atPath: g.root.appendingPathComponent("ran-by-workflow").path))
    }

    @Test("a workflow that sets its steps' environment is refused in untrusted mode (LD_PRELOAD, KIT_UNTRUSTED=0 would change what runs)",
          arguments: [
              "workflows:\n  w:\n    env: {KIT_UNTRUSTED: \"0\"}\n    steps:\n      - command: list stacks\n",
              "workflows:\n  w:\n    steps:\n      - command: list stacks\n        env: {LD_PRELOAD: ./evil.so}\n",
              "workflows:\n  w:\n    steps:\n      - type: env\n        vars: {PATH: ./bin}\n      - command: list stacks\n",
          ])
    func workflowEnvironmentRefused(_ text: String) throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"))
        try g.write("stacks/workflows/ci.yaml", text)
        try g.commit("c1")
        let refused = try g.kit(["workflow", "w", "-f", "ci", "--untrusted"])
        Self.expectRefused(refused, rule: "no-exec", location: "ci.yaml:")
        #expect(refused.stderr.contains("environment variables"))
        let trusted = try g.kit(["workflow", "w", "-f", "ci"])
        #expect(trusted.exitCode == 0, "\(trusted.stderr)")
    }

    // MARK: rule no-environment

    @Test("an !include query reading env or $ENV is refused; without --untrusted it is read", arguments: ["env.KIT_TEST_SECRET", "$ENV.KIT_TEST_SECRET"])
    func includeQueryEnvironmentRefused(_ query: String) throws {
        let g = try Self.repository(dev: Self.devStack(note: "!include ../../data.json \(query)"))
        try g.write("data.json", "{\"a\": 1}\n")
        let env = ["KIT_TEST_SECRET": Self.secret]
        Self.expectRefused(try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"], environment: env),
                           rule: "no-environment", location: "stacks/orgs/dev.yaml:6:")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: env)
        #expect(trusted.exitCode == 0 && trusted.stdout.contains(Self.secret), "\(trusted.stderr)")
        // describe affected: the refusal is an error at the ref, never a warning and an empty list.
        try g.write("stacks/orgs/dev.yaml", Self.devStack(note: "!include ../../data.json \(query)", vpcExtra: "      settings: {x: 1}"))
        try g.commit("c1")
        let affected = try g.kit(["describe", "affected", "--base", "c0", "--head", "c1", "--untrusted"], environment: env)
        #expect(affected.exitCode != 0, "\(affected.stdout)\(affected.stderr)")
        #expect(affected.stderr.contains("rule 'no-environment'"), "\(affected.stderr)")
        #expect(!affected.stdout.contains(Self.secret) && !affected.stderr.contains(Self.secret))
    }

    @Test("!env is refused and the secret is never printed; without --untrusted it is read")
    func envFunctionRefused() throws {
        let g = try Self.repository(dev: Self.devStack(note: "!env KIT_TEST_SECRET"))
        let env = ["KIT_TEST_SECRET": Self.secret]
        Self.expectRefused(try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"], environment: env),
                           rule: "no-environment", location: "stacks/orgs/dev.yaml:6:")
        // Trusted, it is read (describe masks `!env` of a secret-looking name unless --show-secrets).
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev", "--show-secrets"], environment: env)
        #expect(trusted.exitCode == 0 && trusted.stdout.contains(Self.secret), "\(trusted.stderr)")
        let masked = try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: env)
        #expect(masked.exitCode == 0 && !masked.stdout.contains(Self.secret), "\(masked.stdout)")
    }

    @Test("template env, expandenv and Gomplate env.Getenv are refused at the template's file:line", arguments: [
        "'{{ env \"KIT_TEST_SECRET\" }}'",
        "'{{ fail (env \"KIT_TEST_SECRET\") }}'",
        "'{{ expandenv \"$KIT_TEST_SECRET\" }}'",
        "'{{ env.Getenv \"KIT_TEST_SECRET\" }}'",
    ])
    func templateEnvironmentRefused(template: String) throws {
        let gomplate = "templates:\n  settings:\n    enabled: true\n    gomplate:\n      enabled: true\n"
        let g = try Self.repository(dev: Self.devStack(note: template), kitYAML: Self.kitYAML(gomplate))
        let env = ["KIT_TEST_SECRET": Self.secret]
        let refused = try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"], environment: env)
        Self.expectRefused(refused, rule: "no-environment", location: "stacks/orgs/dev.yaml")
        let stacks = try g.kit(["describe", "stacks", "--untrusted"], environment: env)
        #expect(stacks.exitCode != 0, "\(stacks.stdout)\(stacks.stderr)")
        #expect(!stacks.stdout.contains(Self.secret) && !stacks.stderr.contains(Self.secret), "\(stacks.stdout)\(stacks.stderr)")
        // A pull request that changes the template: describe affected renders it at head.
        try g.write("stacks/orgs/dev.yaml", Self.devStack(note: template, vpcExtra: "      settings: {changed: true}\n"))
        let affected = try g.kit(["describe", "affected", "--base", "c0", "--untrusted"], environment: env)
        #expect(affected.exitCode != 0, "\(affected.stdout)\(affected.stderr)")
        #expect(!affected.stdout.contains(Self.secret) && !affected.stderr.contains(Self.secret), "\(affected.stdout)\(affected.stderr)")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"], environment: env)
        #expect(trusted.stdout.contains(Self.secret) || trusted.stderr.contains(Self.secret), "\(trusted.stdout)\(trusted.stderr)")
    }

    @Test("a Gomplate datasource outside the repository is refused; inside it is read")
    func datasourceOutsideRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("kit-untrusted-\(UUID().uuidString).json")
        try "{\"token\": \"\(Self.secret)\"}".write(to: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }
        let settings = """
            templates:
              settings:
                enabled: true
                gomplate:
                  enabled: true
                  datasources:
                    leak: {url: "file://\(outside.path)"}
                    mine: {url: "config/mine.json"}

            """
        let g = try Self.repository(dev: Self.devStack(note: "'{{ (datasource \"leak\").token }}'"), kitYAML: Self.kitYAML(settings))
        try g.write("config/mine.json", "{\"token\": \"from-the-repository\"}\n")
        try g.write("stacks/orgs/prod.yaml", "vars:\n  stage: prod\ncomponents:\n  terraform:\n    vpc:\n      vars: {note: '{{ (datasource \"mine\").token }}'}\n")
        let refused = try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"])
        Self.expectRefused(refused, rule: "no-repository-paths", location: "stacks/orgs/dev.yaml")
        let inside = try g.kit(["describe", "component", "vpc", "-s", "prod", "--untrusted"])
        #expect(inside.exitCode == 0 && inside.stdout.contains("note: from-the-repository"), "\(inside.stderr)")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"])
        #expect(trusted.exitCode == 0 && trusted.stdout.contains(Self.secret), "\(trusted.stderr)")
    }

    // MARK: rule terraform-command

    @Test("a component's command other than terraform/tofu is refused at its line; without --untrusted it is used")
    func componentCommandRefused() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain", vpcExtra: "      command: ./evil.sh\n"))
        let refused = try g.kit(["terraform", "plan", "vpc", "-s", "dev", "--dry-run", "--untrusted"])
        Self.expectRefused(refused, rule: "terraform-command", location: "stacks/orgs/dev.yaml:7:")
        #expect(refused.errorLines.first?.contains("'./evil.sh'") == true, "\(refused.stderr)")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"])
        #expect(trusted.exitCode == 0 && trusted.stdout.contains("command: ./evil.sh"), "\(trusted.stdout)\(trusted.stderr)")
        let path = try Self.repository(dev: Self.devStack(note: "plain", vpcExtra: "      env: {PATH: ./bin, TF_LOG: info}\n"))
        Self.expectRefused(try path.kit(["terraform", "plan", "vpc", "-s", "dev", "--dry-run", "--untrusted"]),
                           rule: "terraform-command", location: "stacks/orgs/dev.yaml:7:")
        #expect(try path.kit(["describe", "component", "vpc", "-s", "dev"]).exitCode == 0)
        let tofu = try Self.repository(dev: Self.devStack(note: "plain", vpcExtra: "      command: tofu\n"))
        let allowed = try tofu.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"])
        #expect(allowed.exitCode == 0 && allowed.stdout.contains("command: tofu"), "\(allowed.stderr)")
    }

    @Test("kit.yaml's components.terraform.command other than terraform/tofu is refused at its line")
    func configCommandRefused() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"),
                                    kitYAML: Self.kitYAML(terraform: "    command: /bin/sh\n"))
        Self.expectRefused(try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"]),
                           rule: "terraform-command", location: "kit.yaml:5:")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"])
        #expect(trusted.exitCode == 0 && trusted.stdout.contains("command: /bin/sh"), "\(trusted.stderr)")
    }

    // MARK: rule no-repository-paths

    @Test("stacks.allowed_external_paths and plugins.paths in the repository's kit.yaml are refused at their line", arguments: [
        ("stacks_extra", "kit.yaml:10:"), ("plugins", "kit.yaml:11:"),
    ])
    func repositoryPathsRefused(kind: String, location: String) throws {
        let extra = kind == "plugins" ? "plugins:\n  paths: [plugins]\n" : ""
        var yaml = Self.kitYAML(extra)
        if kind == "stacks_extra" { yaml = yaml.replacingOccurrences(of: "  name_pattern: \"{stage}\"\n", with: "  name_pattern: \"{stage}\"\n  allowed_external_paths: [/]\n") }
        let g = try Self.repository(dev: Self.devStack(note: "plain"), kitYAML: yaml)
        let key = kind == "plugins" ? "plugins.paths" : "stacks.allowed_external_paths"
        let refused = try g.kit(["describe", "component", "vpc", "-s", "dev", "--untrusted"])
        Self.expectRefused(refused, rule: "no-repository-paths", location: location)
        #expect(refused.errorLines.first?.contains(key) == true, "\(refused.stderr)")
        let trusted = try g.kit(["describe", "component", "vpc", "-s", "dev"])
        #expect(trusted.exitCode == 0, "\(trusted.stderr)")
    }

    // MARK: rule installed-plugins

    /// A copy of the built first-party AWS plugin at `directory/libKitAWS.so` (not first-party there).
    static func copyPlugin(to directory: URL) throws -> URL {
        let source = try KitBinary.built().deletingLastPathComponent().appendingPathComponent("libKitAWS.so")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent("libKitAWS.so")
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    @Test("a plugin inside the repository is refused before it is opened; without --untrusted it loads")
    func repositoryPluginRefused() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"))
        let plugin = try Self.copyPlugin(to: g.root.appendingPathComponent("plugins"))
        let env = ["KIT_PLUGIN_PATH": g.root.appendingPathComponent("plugins").path]
        let refused = try g.kit(["plugin", "list", "--untrusted"], environment: env, binary: KitBinary.built())
        Self.expectRefused(refused, rule: "installed-plugins", location: "plugins/libKitAWS.so")
        #expect(refused.errorLines.first?.contains("inside the repository") == true, "\(refused.stderr)")
        let trusted = try g.kit(["plugin", "list"], environment: env, binary: KitBinary.built())
        #expect(plugin.lastPathComponent == "libKitAWS.so")
        #expect(trusted.exitCode == 0 && trusted.stdout.contains("isolated    found        -    plugins/libKitAWS.so"), "\(trusted.stdout)\(trusted.stderr)")
    }

    @Test("a plugin outside the repository loads in untrusted mode only when its directory's plugins.lock lists it")
    func installedPluginNeedsLock() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"))
        let installed = g.scratch.appendingPathComponent("installed")
        let plugin = try Self.copyPlugin(to: installed)
        let env = ["KIT_PLUGIN_PATH": installed.path]
        let unlocked = try g.kit(["plugin", "list", "--untrusted"], environment: env, binary: KitBinary.built())
        Self.expectRefused(unlocked, rule: "installed-plugins", location: "libKitAWS.so")
        #expect(unlocked.errorLines.first?.contains("plugins.lock") == true, "\(unlocked.stderr)")
        let sha = try PluginFileCheck.sha256(path: plugin.path, display: plugin.path)
        let lock = PluginLockFile(plugins: ["aws": .init(file: "libKitAWS.so", sha256: sha, version: "test", abi: "1.0", installedFrom: "test")])
        try lock.write(directory: installed.path)
        let locked = try g.kit(["plugin", "list", "--untrusted"], environment: env, binary: KitBinary.built())
        #expect(locked.exitCode == 0 && locked.stdout.contains(plugin.path), "\(locked.stdout)\(locked.stderr)")
    }

    @Test("kit plugin test with a file is refused in untrusted mode")
    func pluginTestRefused() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"))
        try g.write("plugins/libEvil.so", "not a plugin")
        try g.write("requests.json", "{}")
        let refused = try g.kit(["plugin", "test", "plugins/libEvil.so", "--request", "requests.json", "--untrusted"])
        #expect(refused.exitCode != 0, "\(refused.stderr)")
        #expect(refused.stderr.contains("rule 'installed-plugins'") && refused.stderr.contains("--untrusted"), "\(refused.stderr)")
    }

    // MARK: affected reads the base ref's settings

    @Test("describe affected: a pull request that adds stacks.allowed_external_paths has no effect")
    func affectedIgnoresAddedExternalPaths() throws {
        let g = try Self.repository(dev: Self.devStack(note: "plain"))
        let outside = g.scratch.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "note: \(Self.secret)\n".write(to: outside.appendingPathComponent("leak.yaml"), atomically: true, encoding: .utf8)
        // The pull request: widens the allowed paths and includes a file from there.
        try g.write("kit.yaml", Self.kitYAML().replacingOccurrences(of: "  name_pattern: \"{stage}\"\n",
                                                                  with: "  name_pattern: \"{stage}\"\n  allowed_external_paths: [\"\(outside.path)\"]\n"))
        try g.write("stacks/orgs/dev.yaml", Self.devStack(note: "!include \(outside.path)/leak.yaml"))
        // The work tree itself honours its kit.yaml (trusted, not affected)…
        let direct = try g.kit(["describe", "component", "vpc", "-s", "dev"])
        #expect(direct.exitCode == 0 && direct.stdout.contains(Self.secret), "\(direct.stderr)")
        // …but affected runs with the base ref's: the include is outside the repository.
        let affected = try g.kit(["describe", "affected", "--base", "c0"])
        #expect(affected.exitCode == 1, "\(affected.stdout)\(affected.stderr)")
        #expect(affected.stderr.contains("outside the repository"), "\(affected.stderr)")
        #expect(!affected.stdout.contains(Self.secret) && !affected.stderr.contains(Self.secret), "\(affected.stdout)\(affected.stderr)")
    }

    @Test("plan --affected: a pull request's plugin path and terraform command have no effect")
    func affectedIgnoresPluginPathAndCommand() throws {
        let dev = Self.devStack(note: "plain", vpcExtra: "      backend_type: s3\n      backend: {s3: {bucket: b, key: k, region: us-east-1}}\n")
        let g = try Self.repository(dev: dev)
        // The pull request: its own plugin directory (holding a file that is no plugin) and command.
        try g.write("kit.yaml", Self.kitYAML("plugins:\n  paths: [plugins]\n  isolated: false\n", terraform: "    command: ./evil.sh\n"))
        try g.write("plugins/libEvil.so", "not a plugin")
        try g.write("stacks/orgs/dev.yaml", dev.replacingOccurrences(of: "note: plain", with: "note: changed"))
        let direct = try g.kit(["terraform", "plan", "vpc", "-s", "dev", "--dry-run"])
        #expect(direct.exitCode != 0 && direct.stderr.contains("libEvil.so"), "\(direct.stdout)\(direct.stderr)")
        let affected = try g.kit(["terraform", "plan", "--affected", "--base", "c0", "--dry-run"])
        #expect(affected.exitCode == 0, "\(affected.stdout)\(affected.stderr)")
        #expect(!affected.stderr.contains("libEvil.so"), "\(affected.stderr)")
        #expect(affected.stdout.contains("terraform") && !affected.stdout.contains("evil.sh"), "\(affected.stdout)")
        let described = try g.kit(["describe", "affected", "--base", "c0"])
        #expect(described.exitCode == 0 && described.stdout.contains("\"component\": \"vpc\""), "\(described.stdout)\(described.stderr)")
    }
}
