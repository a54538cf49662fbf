import Foundation
import Testing

/// Issue 21: `describe component` prints atmos's `component_info` (the absolute folder and the root
/// module as terraform-config-inspect reads it, `terraform_config`) and `sources` (where each value of
/// vars, env, settings and backend is set, highest priority first), on the `component-info` fixture:
/// stack `demo-dev`, whose `queue` inherits the abstract `queue/defaults` of `catalog/queue/defaults`.
@Suite("describe component: component_info and sources")
struct ComponentInfoParityTests {
    static func describe(_ repo: FixtureRepository, _ component: String = "queue", _ extra: [String] = []) throws -> [String: Any] {
        let run = try repo.run(["describe", "component", component, "-s", "demo-dev", "--format", "json"] + extra)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func at(_ value: Any?, _ path: String...) -> Any? {
        var current = value
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    /// `value` as canonical JSON text (sorted keys), so values parsed from kit's output compare with
    /// literals whatever Foundation types they were read into.
    static func json(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "nil" }
        return String(decoding: data, as: UTF8.self)
    }

    static func terraformConfig(_ doc: [String: Any]) throws -> [String: Any] {
        try #require(at(doc, "component_info", "terraform_config") as? [String: Any])
    }

    @Test("component_path is the absolute folder; terraform_config.path and every position name files in it")
    func componentPath() throws {
        let repo = try FixtureRepository("component-info")
        let doc = try Self.describe(repo)
        let folder = repo.root.path + "/components/terraform/queue"
        #expect(Self.at(doc, "component_info", "component_path") as? String == folder)
        #expect(Self.at(doc, "component_info", "component_type") as? String == "terraform")
        let config = try Self.terraformConfig(doc)
        #expect(config["path"] as? String == folder)
        #expect(Self.json(Self.at(config, "variables", "name", "pos")) == Self.json(["filename": folder + "/variables.tf", "line": 1] as [String: Any]))
        #expect(Self.at(config, "outputs", "webhook", "pos", "filename") as? String == folder + "/outputs.tf")
        #expect(config["diagnostics"] == nil, "a well-formed module has no diagnostics")
    }

    @Test("variables: typed, defaulted, sensitive and required, with descriptions and types as written")
    func variables() throws {
        let repo = try FixtureRepository("component-info")
        let variables = try #require(try Self.terraformConfig(try Self.describe(repo))["variables"] as? [String: [String: Any]])
        #expect(Set(variables.keys) == ["name", "retention_days", "tags", "subnets", "webhook_url", "ratio",
                                        "region", "namespace", "stage", "managed_by"])
        let name = try #require(variables["name"])
        #expect(name["required"] as? Bool == true && name["default"] is NSNull)
        #expect(name["type"] as? String == "string" && name["description"] as? String == "The queue's name")
        let retention = try #require(variables["retention_days"])
        #expect(retention["required"] as? Bool == false && retention["default"] as? Int == 14)
        #expect(retention["description"] as? String == "How long messages are kept.\n")
        #expect(variables["tags"]?["type"] as? String == "map(string)")
        #expect((variables["tags"]?["default"] as? [String: Any])?.isEmpty == true)
        #expect(variables["subnets"]?["type"] as? String == "list(object({\n    id = string\n    az = string\n  }))")
        #expect(variables["subnets"]?["default"] as? [[String: String]] == [["id": "subnet-1", "az": "a"]])
        let webhook = try #require(variables["webhook_url"])
        #expect(webhook["sensitive"] as? Bool == true && webhook["required"] as? Bool == true)
        // encoding/json leaves out what terraform-config-inspect marks omitempty.
        #expect(variables["ratio"]?["type"] == nil && variables["ratio"]?["default"] as? Double == -0.5)
        #expect(name["sensitive"] == nil && name["deprecated"] == nil)
    }

    @Test("outputs, required core and providers, provider configurations, resources, data sources, module calls")
    func outputsAndProviders() throws {
        let repo = try FixtureRepository("component-info")
        let config = try Self.terraformConfig(try Self.describe(repo))
        #expect(Self.at(config, "outputs", "queue_url", "description") as? String == "Where producers send messages")
        #expect(Self.at(config, "outputs", "webhook", "sensitive") as? Bool == true)
        #expect(config["required_core"] as? [String] == [">= 1.5.0"])
        #expect(Self.json(Self.at(config, "required_providers")) == Self.json([
            "aws": ["source": "hashicorp/aws", "version_constraints": ["~> 5.0"]],
            "random": ["version_constraints": ["~> 3.6"]],
        ] as [String: Any]))
        #expect(Self.at(config, "provider_configs") as? [String: [String: String]] == ["aws": ["name": "aws"], "aws.replica": ["name": "aws", "alias": "replica"]])
        #expect(Self.at(config, "managed_resources", "aws_sqs_queue.replica", "provider") as? [String: String] == ["name": "aws", "alias": "replica"])
        #expect(Self.at(config, "managed_resources", "aws_sqs_queue.this", "mode") as? String == "managed")
        #expect(Self.at(config, "data_resources", "data.aws_caller_identity.current", "pos", "line") as? Int == 12)
        #expect(Self.json(Self.at(config, "module_calls", "label")) == Self.json([
            "name": "label", "source": "cloudposse/label/null", "version": "0.25.0",
            "pos": ["filename": repo.root.path + "/components/terraform/queue/main.tf", "line": 14] as [String: Any],
        ] as [String: Any]))
    }

    @Test("YAML prints terraform_config as yaml.v3 prints the Go struct: lower-cased field names, zero values, rune modes")
    func yamlShape() throws {
        let repo = try FixtureRepository("component-info")
        let run = try repo.run(["describe", "component", "queue", "-s", "demo-dev", "--query", ".component_info.terraform_config | keys"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == """
            - dataresources
            - diagnostics
            - managedresources
            - modulecalls
            - outputs
            - path
            - providerconfigs
            - requiredcore
            - requiredproviders
            - variables

            """)
        let mode = try repo.run(["describe", "component", "queue", "-s", "demo-dev", "--query", #".component_info.terraform_config.managedresources["aws_sqs_queue.this"].mode"#])
        #expect(mode.stdout == "77\n")
    }

    @Test("sources name the file and section of each value, highest priority first: stack, catalog base, type-wide, stack-wide")
    func sources() throws {
        let repo = try FixtureRepository("component-info")
        let doc = try Self.describe(repo)
        let sources = try #require(doc["sources"] as? [String: [String: [String: Any]]])
        #expect(Set(sources.keys) == ["vars", "env", "settings", "backend"])
        func dependencies(_ section: String, _ name: String) -> String {
            Self.json(sources[section]?[name]?["stack_dependencies"])
        }
        func deps(_ entries: (type: String, file: String, section: String, value: Any)...) -> String {
            Self.json(entries.map { ["dependency_type": $0.type, "stack_file": $0.file, "stack_file_section": $0.section, "variable_value": $0.value] as [String: Any] })
        }
        // The component in the stack file, then its inherited base in the imported catalog file.
        #expect(dependencies("vars", "retention_days") == deps(("inline", "orgs/demo/dev", "components.terraform.vars", 3),
                                                          ("import", "catalog/queue/defaults", "components.terraform.vars", 7)))
        #expect(sources["vars"]?["retention_days"]?["final_value"] as? Int == 3)
        #expect(sources["vars"]?["retention_days"]?["name"] as? String == "retention_days")
        // A map set at two levels: each entry holds what that file wrote.
        #expect(dependencies("vars", "tags") == deps(("inline", "orgs/demo/dev", "components.terraform.vars", ["Stage": "dev"]),
                                                ("import", "catalog/queue/defaults", "components.terraform.vars", ["Team": "data"])))
        #expect(sources["vars"]?["tags"]?["final_value"] as? [String: String] == ["Stage": "dev", "Team": "data"])
        // Stack-wide in the stack file, stack-wide and type-wide in an import.
        #expect(dependencies("vars", "stage") == deps(("inline", "orgs/demo/dev", "vars", "dev")))
        #expect(dependencies("vars", "namespace") == deps(("import", "orgs/demo/_defaults", "vars", "demo")))
        #expect(dependencies("vars", "managed_by") == deps(("import", "orgs/demo/_defaults", "terraform.vars", "kit")))
        #expect(dependencies("env", "QUEUE_MODE") == deps(("inline", "orgs/demo/dev", "components.terraform.env", "fast"),
                                                     ("import", "catalog/queue/defaults", "components.terraform.env", "standard")))
        #expect(dependencies("settings", "alerts") == deps(("import", "catalog/queue/defaults", "components.terraform.settings",
                                                          ["channel": "#data"])))
        #expect(dependencies("backend", "path") == deps(("import", "orgs/demo/_defaults", "terraform.backend.local", "terraform.tfstate")))
        // deps: the files giving a final value, which sources list first.
        #expect(doc["deps"] as? [String] == ["catalog/queue/defaults", "orgs/demo/_defaults", "orgs/demo/dev"])
    }

    @Test("a variable the module declares sensitive is masked in sources too; --show-secrets prints it")
    func sensitiveSources() throws {
        let repo = try FixtureRepository("component-info")
        let masked = try Self.describe(repo)
        #expect(Self.at(masked, "vars", "webhook_url") as? String == "***")
        #expect(Self.at(masked, "sources", "vars", "webhook_url", "final_value") as? String == "***")
        let dependencies = Self.at(masked, "sources", "vars", "webhook_url", "stack_dependencies") as? [[String: Any]]
        #expect(dependencies?.map { $0["variable_value"] as? String } == ["***"])
        let shown = try Self.describe(repo, "queue", ["--show-secrets"])
        #expect(Self.at(shown, "sources", "vars", "webhook_url", "final_value") as? String == "https://hooks.example.com/orders")
    }

    @Test("a component whose folder does not exist: terraform_config is null, as atmos prints it")
    func missingFolder() throws {
        let repo = try FixtureRepository("component-info")
        let info = try #require(Self.describe(repo, "ghost")["component_info"] as? [String: Any])
        #expect(info["component_path"] as? String == repo.root.path + "/components/terraform/ghost")
        #expect(info.keys.contains("terraform_config") && info["terraform_config"] is NSNull)
    }

    @Test("a module that is not well-formed HCL is an error naming the file and line, as in atmos; so is a file that cannot be read")
    func invalidHCL() throws {
        let repo = try FixtureRepository("component-info")
        try "variable \"broken\" {\n  type = string\n".write(to: repo.root.appendingPathComponent("components/terraform/queue/broken.tf"),
                                                           atomically: true, encoding: .utf8)
        let run = try repo.run(["describe", "component", "queue", "-s", "demo-dev"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines == ["error: components/terraform/queue/broken.tf:1: the terraform component 'queue' contains invalid HCL code: unclosed block — fix it (run 'kit terraform validate queue -s demo-dev' for terraform's own message)"])
        #expect(run.stdout.isEmpty)

        let unreadable = try FixtureRepository("component-info")
        try unreadable.replaceWithDanglingSymlink("components/terraform/queue/main.tf")
        let gone = try unreadable.run(["describe", "component", "queue", "-s", "demo-dev"])
        #expect(gone.exitCode == 1)
        #expect(gone.errorLines == ["error: components/terraform/queue: the module of terraform component 'queue' cannot be read: 'main.tf': no such file or directory — make its files readable"])
    }

    @Test("describe stacks reads no module and traces no sources; its component_path stays relative")
    func notInDescribeStacks() throws {
        let repo = try FixtureRepository("component-info")
        let run = try repo.run(["describe", "stacks", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let queue = try #require(Self.at(doc, "demo-dev", "components", "terraform", "queue") as? [String: Any])
        #expect(queue["sources"] == nil)
        #expect(queue["component_info"] as? [String: String] == ["component_type": "terraform", "component_path": "components/terraform/queue"])
    }
}
