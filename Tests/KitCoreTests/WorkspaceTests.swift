import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Terraform workspace names (reference §7, edge cases 29–32).
@Suite struct WorkspaceTests {
    static func repo(stackFile: String = "stacks/dev/us-east-1.yaml", stack: String, kitExtra: String = "",
                     stacksExtra: String = "") throws -> FixtureRepo {
        try FixtureRepo([
            "kit.yaml": """
            base_path: .
            stacks:
              base_path: stacks
              included_paths: ["**/*"]
            \(stacksExtra)
            \(kitExtra)
            """,
            stackFile: stack,
        ])
    }

    @Test("29: no naming config — the workspace is the file id with '/' → '-'; http backend or workspaces off → default",
          arguments: [
              ("terraform: {backend_type: s3, backend: {s3: {bucket: b}}}", "", "dev-us-east-1"),
              ("terraform: {backend_type: http, backend: {http: {address: 'https://x'}}}", "", "default"),
              ("terraform: {backend_type: http, backend: {http: {address: 'https://x'}}}", "components: {terraform: {workspaces_enabled: true}}", "default"),
              ("terraform: {backend_type: s3, backend: {s3: {bucket: b}}}", "components: {terraform: {workspaces_enabled: false}}", "default"),
          ])
    func buildWorkspace(_ backend: String, _ kitExtra: String, _ expected: String) throws {
        let repo = try Self.repo(stack: backend + "\ncomponents: {terraform: {vpc: {vars: {}}}}\n", kitExtra: kitExtra)
        #expect(try repo.component("vpc", "dev/us-east-1").workspace == expected)
    }

    @Test("29: a component in another folder gets '<prefix>-<component>'")
    func workspaceWithBaseComponent() throws {
        let repo = try Self.repo(stack: "components: {terraform: {vpc/1: {metadata: {component: vpc}}}}\n")
        #expect(try repo.component("vpc/1", "dev/us-east-1").workspace == "dev-us-east-1-vpc-1")
    }

    @Test("30: name_template with a missing key is an error unless ignore_missing_template_values")
    func nameTemplateMissingKey() throws {
        let stack = "vars: {tenant: acme}\ncomponents: {terraform: {vpc: {vars: {}}}}\n"
        let strict = try Self.repo(stack: stack, stacksExtra: "  name_template: '{{ .vars.tenant }}-{{ .vars.missing_key }}'")
        let result = try strict.catalog().components(in: "dev/us-east-1.yaml")[0].result
        guard case .failure(let error) = result, case .template? = error as? StackError else {
            Issue.record("expected a template error, got \(result)"); return
        }
        #expect("\(error)".contains("missing_key"))

        let lenient = try Self.repo(stack: stack, kitExtra: "templates: {settings: {ignore_missing_template_values: true}}",
                                    stacksExtra: "  name_template: '{{ .vars.tenant }}-{{ .vars.missing_key }}'")
        let c = try lenient.component("vpc", "acme-<no value>")
        #expect(c.stackName == "acme-<no value>")
        #expect(c.workspace == "acme-<no value>")
    }

    @Test("31: terraform_workspace_pattern replaces context tokens, then '/' → '-'")
    func workspacePatternTokens() throws {
        let repo = try Self.repo(stack: """
            vars: {namespace: cp, tenant: platform, environment: ue2, stage: prod, region: us-east-2, attributes: [blue, green]}
            components:
              terraform:
                vpc/defaults:
                  metadata: {terraform_workspace_pattern: '{namespace}-{tenant}-{environment}-{stage}-{region}-{component}'}
                attrs:
                  metadata: {terraform_workspace_pattern: '{namespace}-{attributes}'}
                unknown:
                  metadata: {terraform_workspace_pattern: '{stage}-{nope}'}
            """)
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "vpc/defaults", stack: "dev/us-east-1").workspace == "cp-platform-ue2-prod-us-east-2-vpc-defaults")
        #expect(try catalog.find(component: "attrs", stack: "dev/us-east-1").workspace == "cp-blue-green")
        #expect(try catalog.find(component: "unknown", stack: "dev/us-east-1").workspace == "prod-{nope}")
    }

    @Test("kit always fills workspace tokens from vars, also with file-id naming (atmos leaves them empty)")
    func kitPopulatesTokensWithoutNamePattern() throws {
        let repo = try Self.repo(stack: """
            vars: {environment: ue2, stage: dev}
            components: {terraform: {vpc: {metadata: {terraform_workspace_pattern: '{environment}-{stage}-{component}-override'}}}}
            """)
        #expect(try repo.component("vpc", "dev/us-east-1").workspace == "ue2-dev-vpc-override")
    }

    @Test("32: metadata.terraform_workspace is used literally")
    func literalWorkspace() throws {
        let repo = try Self.repo(stack: """
            components:
              terraform:
                test/test-component-override-3:
                  metadata: {component: test/test-component, terraform_workspace: test-component-override-3-workspace}
            """)
        #expect(try repo.component("test/test-component-override-3", "dev/us-east-1").workspace == "test-component-override-3-workspace")
    }

    @Test("§7: name_pattern examples — vpc, vpc/1 in folder vpc, a pattern override")
    func patternExamples() throws {
        let repo = try Self.repo(stack: """
            vars: {environment: ue2, stage: dev}
            components:
              terraform:
                vpc: {vars: {}}
                vpc/1: {metadata: {component: vpc}}
                vpc/2: {metadata: {component: vpc, terraform_workspace_pattern: '{environment}-{stage}-{component}-override'}}
            """, stacksExtra: "  name_pattern: '{environment}-{stage}'")
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "vpc", stack: "ue2-dev").workspace == "ue2-dev")
        #expect(try catalog.find(component: "vpc/1", stack: "ue2-dev").workspace == "ue2-dev-vpc-1")
        #expect(try catalog.find(component: "vpc/2", stack: "ue2-dev").workspace == "ue2-dev-vpc-2-override")
    }
}
