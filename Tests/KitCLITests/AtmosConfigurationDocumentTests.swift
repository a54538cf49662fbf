import Foundation
import KitModel
import Testing

/// `kit describe config` and `describe component`'s `atmos_cli_config` print atmos's configuration
/// document (issue 21): atmos's keys and defaults, `base_path` as written, the shape of atmos's JSON or
/// YAML encoder, secrets masked; and a `stacks.name_pattern` kit cannot use fails only where stack
/// names are needed. Fixture: `atmos-config-document`.
@Suite("atmos configuration document")
struct AtmosConfigurationDocumentTests {
    /// The parsed stdout of a run that must succeed quietly.
    static func document(_ repo: FixtureRepository, _ arguments: [String]) throws -> Value {
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0, "\(arguments): \(run.stderr)")
        #expect(run.stderr.isEmpty, "\(arguments): \(run.stderr)")
        return try YAMLParser.parse(run.stdout).value
    }

    @Test("base_path is printed as written, the other paths relative to it, the *AbsolutePath keys absolute",
          arguments: ["yaml", "json"])
    func paths(_ format: String) throws {
        let repo = try FixtureRepository("atmos-config-document")
        let doc = try Self.document(repo, ["describe", "config", "--format", format])
        let root = repo.root.path
        #expect(doc["base_path"] == .string("./"))
        #expect(doc.value(at: ["components", "terraform", "base_path"]) == .string("modules"))
        #expect(doc.value(at: ["components", "helmfile", "base_path"]) == .string("charts"))
        #expect(doc.value(at: ["stacks", "base_path"]) == .string("stacks"))
        #expect(doc["basePathAbsolute"] == .string(root))
        #expect(doc["stacksBaseAbsolutePath"] == .string(root + "/stacks"))
        #expect(doc["includeStackAbsolutePaths"] == .list([.string(root + "/stacks/envs/**/*")]))
        #expect(doc["terraformDirAbsolutePath"] == .string(root + "/modules"))
        #expect(doc["helmfileDirAbsolutePath"] == .string(root + "/charts"))
        #expect(doc["packerDirAbsolutePath"] == .string(root))
        #expect(doc["vendorDirAbsolutePath"] == .string(root + "/vendor.yaml"))
        #expect(doc["cli_config_path"] == .string(root))
        #expect(doc["config_file"] == .string("atmos.yaml"))
    }

    @Test("atmos's keys are all there, with atmos's defaults where the configuration sets nothing")
    func defaults() throws {
        let repo = try FixtureRepository("atmos-config-document")
        let yaml = try Self.document(repo, ["describe", "config", "-f", "yaml"])
        let json = try Self.document(repo, ["describe", "config"])   // JSON by default, as atmos
        for doc in [yaml, json] {
            #expect(doc["initialized"] == .bool(true))
            #expect(doc["default"] == .bool(false))
            for type in ["packer", "ansible"] {
                #expect(doc.value(at: ["components", type]) == .map(["base_path": .string(""), "command": .string(""), "auto_generate_files": .bool(false)]))
            }
            #expect(doc.value(at: ["components", "kubernetes"]) == .map(["base_path": .string(""), "provider": .string(""), "auto_generate_files": .bool(false)]))
            #expect(doc.value(at: ["components", "helm"]) == .map(["base_path": .string(""), "auto_generate_files": .bool(false)]))
            #expect(doc.value(at: ["components", "helmfile", "use_eks"]) == .bool(true))
            #expect(doc.value(at: ["components", "helmfile", "kubeconfig_path"]) == .string(""))
            #expect(doc.value(at: ["components", "terraform", "apply_auto_approve"]) == .bool(true))
            #expect(doc.value(at: ["components", "terraform", "append_user_agent"]) == .string(""))
            #expect(doc.value(at: ["components", "terraform", "shell"]) == .map(["prompt": .string("")]))
            #expect(doc.value(at: ["components", "terraform", "workspace"]) == .map(["prefix_separator": .string(".")]))
            #expect(doc.value(at: ["stacks", "inherit"]) == .map(["metadata": .bool(true)]))
            #expect(doc["logs"] == .map(["file": .string("/dev/stderr"), "level": .string("Debug")]))
            #expect(doc["diagnostics"] == .map(["enabled": .bool(false), "file": .string(""), "include_output": .bool(false)]))
            #expect(doc.value(at: ["settings", "terminal", "tab_width"]) == .int(4))
            #expect(doc.value(at: ["settings", "terminal", "pager"]) == .string("false"))
            #expect(doc.value(at: ["settings", "experimental"]) == .string("warn"))
            #expect(doc.value(at: ["describe", "component"]) == .map(["filter": .string("schema")]))
            #expect(doc.value(at: ["list", "error_mode"]) == .string("warn"))
            #expect(doc.value(at: ["vendor", "base_path"]) == .string("vendor.yaml"))
            #expect(doc.value(at: ["container", "runtime"]) == .map(["auto_start": .bool(true)]))
            // Values atmos computes or owns are not made up.
            #expect(doc.value(at: ["auth", "realm"]) == nil)
            #expect(doc.value(at: ["settings", "telemetry", "token"]) == nil)
        }
        // encoding/json: structs are never omitted, nil slices and maps are null, untagged fields keep Go's names.
        #expect(json["import"] == .null)
        #expect(json.value(at: ["components", "Plugins"]) == .null)
        #expect(json["workflows"] == .map(["base_path": .string(""), "list": .map(["format": .string(""), "columns": .null])]))
        #expect(json["auth"] == .map(["logs": .map(["file": .string(""), "level": .string("")]), "keyring": .emptyMap,
                                      "providers": .null, "identities": .null]))
        #expect(json.value(at: ["settings", "InjectGithubToken"]) == .bool(true))
        #expect(json.value(at: ["settings", "GithubUsername"]) == .string(""))
        #expect(json["lsp"] == .emptyMap)
        #expect(json.value(at: ["docs", "max_width"]) == .int(0))
        // yaml.v3: an all-zero struct with omitempty is left out, nil slices print [], yaml tag names.
        #expect(yaml["import"] == .list([]))
        #expect(yaml["workflows"] == nil)
        #expect(yaml["lsp"] == nil)
        #expect(yaml["auth"] == nil)
        #expect(yaml.value(at: ["components", "Plugins"]) == nil)
        #expect(yaml.value(at: ["settings", "inject_github_token"]) == .bool(true))
        #expect(yaml.value(at: ["docs", "max-width"]) == .int(0))
    }

    @Test("secrets are masked: the token settings and secret-looking names", arguments: ["yaml", "json"])
    func secrets(_ format: String) throws {
        let repo = try FixtureRepository("atmos-config-document")
        let run = try repo.run(["describe", "config", "--format", format])
        #expect(run.exitCode == 0)
        #expect(!run.stdout.contains("fixture-value-never-printed"))
        let doc = try YAMLParser.parse(run.stdout).value
        #expect(doc.value(at: ["settings", format == "json" ? "GithubToken" : "github_token"]) == .string("***"))
        #expect(doc["env"] == .map(["DEPLOY_TOKEN": .string("***"), "REGION": .string("eu-west-1")]))
    }

    @Test("describe component's atmos_cli_config is describe config's base_path, components, stacks and workflows",
          arguments: ["yaml", "json"])
    func sameDocument(_ format: String) throws {
        let repo = try FixtureRepository("atmos-config-document")
        let config = try Self.document(repo, ["describe", "config", "--format", format])
        let component = try Self.document(repo, ["describe", "component", "network", "-s", "dev", "--format", format])
        guard case .map(let cli)? = component["atmos_cli_config"] else {
            Issue.record("no atmos_cli_config")
            return
        }
        #expect(cli.keys.sorted() == ["base_path", "components", "stacks", "workflows"])
        for key in ["base_path", "components", "stacks"] { #expect(cli[key] == config[key], "\(key)") }
        // atmos prints workflows there even when YAML leaves it out of describe config (all zero).
        #expect(cli["workflows"] == (config["workflows"] ?? .map(["base_path": .string(""), "list": .map(["format": .string(""), "columns": .list([])])])))
    }

    @Test("an unknown stacks.name_pattern token fails where stack names are needed, not describe config or version")
    func namePattern() throws {
        let repo = try FixtureRepository("atmos-config-document")
        let file = repo.root.appendingPathComponent("atmos.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "name_pattern: \"{stage}\"", with: "name_pattern: \"{dev}\"").write(to: file, atomically: true, encoding: .utf8)
        let doc = try Self.document(repo, ["describe", "config"])
        #expect(doc.value(at: ["stacks", "name_pattern"]) == .string("{dev}"))
        #expect(try repo.run(["version"]).exitCode == 0)
        let expected = "error: \(file.path): stacks.name_pattern '{dev}' has an unknown token '{dev}' — use {namespace}, {tenant}, {environment} or {stage}"
        for arguments in [["list", "stacks"], ["describe", "stacks"], ["describe", "component", "network", "-s", "dev"]] {
            let run = try repo.run(arguments)
            #expect(run.exitCode == 1, "\(arguments)")
            #expect(run.errorLines == [expected], "\(arguments): \(run.stderr)")
        }
        // With a name_template the pattern is not used (atmos), and its token is no error.
        try text.replacingOccurrences(of: "name_pattern: \"{stage}\"", with: "name_pattern: \"{dev}\"\n  name_template: \"{{ .vars.stage }}\"")
            .write(to: file, atomically: true, encoding: .utf8)
        let run = try repo.run(["list", "stacks"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "dev\n")
    }
}
