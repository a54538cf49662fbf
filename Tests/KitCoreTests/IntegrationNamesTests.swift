import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// atmos's `spacelift_stack` and `atlantis_project` (`BuildSpaceliftStackNameFromComponentConfig`,
/// `BuildAtlantisProjectNameFromComponentConfig`) and how templates see them.
@Suite struct IntegrationNamesTests {
    static func repo(_ stack: String, atmos: String = "") throws -> FixtureRepo {
        try FixtureRepo(["stacks/deploy/dev.yaml": stack, "atmos.yaml": """
            base_path: .
            stacks:
              base_path: stacks
              included_paths: ["deploy/**/*"]
              name_pattern: "{tenant}-{environment}-{stage}"
            components:
              terraform:
                base_path: components/terraform
            templates:
              settings:
                enabled: true
            \(atmos)
            """])
    }

    static let vars = """
        vars:
          namespace: cp
          tenant: plat
          environment: ue2
          stage: dev
          attributes: [blue, 2]
        """

    @Test func spaceliftDefaultIsTheStackPrefixAndTheComponent() throws {
        let repo = try Self.repo(Self.vars + """

            components:
              terraform:
                infra/vpc:
                  settings:
                    spacelift: {workspace_enabled: true}
            """)
        let c = try repo.component("infra/vpc", "plat-ue2-dev")
        #expect(c.spaceliftStack == "plat-ue2-dev-infra-vpc")
        #expect(c.atlantisProject == nil)
    }

    @Test func spaceliftPatternAndLiteralName() throws {
        let repo = try Self.repo(Self.vars + """

            components:
              terraform:
                a:
                  settings:
                    spacelift:
                      workspace_enabled: true
                      stack_name_pattern: "{namespace}-{tenant}-{region}-{attributes}-{component}-{workspace}x"
                b:
                  settings:
                    spacelift: {workspace_enabled: true, stack_name: "literal-{stage}"}
                c:
                  settings:
                    spacelift: {workspace_enabled: "true"}
            """)
        // {region} is not a var here and {workspace} is never in atmos's context: both empty.
        #expect(try repo.component("a", "plat-ue2-dev").spaceliftStack == "cp-plat--blue-2-a-x")
        #expect(try repo.component("b", "plat-ue2-dev").spaceliftStack == "literal-{stage}")
        // atmos checks for a bool: the string "true" does not enable the workspace.
        #expect(try repo.component("c", "plat-ue2-dev").spaceliftStack == nil)
    }

    @Test func atlantisFromTheNamedTemplateOrTheStacksOwn() throws {
        let atmos = """
            integrations:
              atlantis:
                project_templates:
                  project-1: {name: "{tenant}-{environment}-{stage}-{component}"}
            """
        let repo = try Self.repo(Self.vars + """

            settings:
              atlantis: {project_template_name: project-1}
            components:
              terraform:
                eks/cluster: {}
                own:
                  settings:
                    atlantis:
                      project_template: {name: "{namespace}-{component}"}
            """, atmos: atmos)
        #expect(try repo.component("eks/cluster", "plat-ue2-dev").atlantisProject == "plat-ue2-dev-eks-cluster")
        #expect(try repo.component("own", "plat-ue2-dev").atlantisProject == "cp-own")
    }

    @Test func templatesSeeTheValuesAndRenderAnUnconfiguredOneAsNoValue() throws {
        let repo = try Self.repo(Self.vars + """

            components:
              terraform:
                on:
                  settings:
                    spacelift: {workspace_enabled: true}
                  vars:
                    tags:
                      spacelift_stack: "{{ .spacelift_stack }}"
                      atlantis_project: "{{ .atlantis_project }}"
                      fallback: '{{ .atlantis_project | default "none" }}'
            """)
        let c = try repo.component("on", "plat-ue2-dev")
        #expect(c.vars[path: "tags.spacelift_stack"] == "plat-ue2-dev-on")
        #expect(c.vars[path: "tags.atlantis_project"] == "<no value>")
        #expect(c.vars[path: "tags.fallback"] == "none")
    }

    @Test func otherMissingKeysAreStillErrors() throws {
        let repo = try Self.repo(Self.vars + """

            components:
              terraform:
                vpc:
                  vars:
                    name: "{{ .spacelift_stak }}"
            """)
        let message = "\(caught { _ = try repo.component("vpc", "plat-ue2-dev") }.map { "\($0)" } ?? "no error")"
        #expect(message.contains("map has no entry for key \"spacelift_stak\""), "\(message)")
    }

    @Test func aValueKitCannotComputeIsAnErrorWhereATemplateUsesIt() throws {
        let repo = try Self.repo(Self.vars + """

            settings:
              atlantis: {project_template_name: project-9}
            components:
              terraform:
                quiet: {}
                loud:
                  vars:
                    project: "{{ .atlantis_project }}"
            """)
        // Not used: the component resolves, without the key (as atmos leaves it out).
        #expect(try repo.component("quiet", "plat-ue2-dev").atlantisProject == nil)
        let message = "\(caught { _ = try repo.component("loud", "plat-ue2-dev") }.map { "\($0)" } ?? "no error")"
        #expect(message.contains("stacks/deploy/dev.yaml:"), "\(message)")
        #expect(message.contains("settings.atlantis.project_template_name 'project-9' names no template in integrations.atlantis.project_templates"), "\(message)")
    }

    @Test func spaceliftWithoutANameConventionIsAnErrorWhereUsed() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": """
            components:
              terraform:
                vpc:
                  settings:
                    spacelift: {workspace_enabled: true}
                  vars:
                    stack: "{{ .spacelift_stack }}"
            """])
        let message = "\(caught { _ = try repo.component("vpc", "deploy/dev") }.map { "\($0)" } ?? "no error")"
        #expect(message.contains("neither stacks.name_pattern nor stacks.name_template is set"), "\(message)")
    }

    @Test("token replacement is one pass, like Go's strings.Replacer")
    func onePass() {
        let vars: [String: Value] = ["tenant": "{stage}", "stage": "dev"]
        #expect(IntegrationNames.replaceTokens("{tenant}-{stage}-{component}-{component-path}{", vars: vars, component: "a-b")
                == "{stage}-dev-a-b-{")
    }
}
