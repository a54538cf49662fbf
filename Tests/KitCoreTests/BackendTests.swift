import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Backend and remote-state backend resolution (reference §8, edge cases 33–36 and 45).
@Suite struct BackendTests {
    /// A small version of atmos's `complete` fixture: `_defaults` sets the s3 backend (with a null
    /// role_arn) and the remote-state backends; `infra/vpc` and `test/test-component-override` use them.
    static let complete: [String: String] = [
        "stacks/orgs/cp/_defaults.yaml": """
        terraform:
          backend_type: s3
          backend:
            s3: {bucket: cp-ue2-root-tfstate, key: terraform.tfstate, region: us-east-2, role_arn: null, encrypt: true}
          remote_state_backend:
            s3: {role_arn: arn:aws:iam::123456789012:role/cp-gbl-root-terraform}
            static: {val1: true, val2: "2", val3: 3, val4: null}
        """,
        "stacks/catalog/terraform/test-component.yaml": """
        components:
          terraform:
            test/test-component: {vars: {enabled: true}}
            test/test-component-override:
              component: test/test-component
              remote_state_backend_type: static
        """,
        "stacks/catalog/terraform/vpc.yaml": "components: {terraform: {infra/vpc: {vars: {cidr: 10.0.0.0/16}}}}\n",
        "stacks/orgs/cp/tenant1/dev/us-east-2.yaml": """
        import:
          - orgs/cp/_defaults
          - catalog/terraform/vpc
          - catalog/terraform/test-component
        vars: {stage: dev}
        """,
    ]

    static func completeRepo() throws -> FixtureRepo {
        try FixtureRepo(complete, kitYAML: FixtureRepo.kitYAML(included: ["orgs/**/*"]))
    }

    @Test("33: infra/vpc — the s3 prefix is the component name with '/' → '-', in backend and remote state")
    func infraVPC() throws {
        let c = try Self.completeRepo().component("infra/vpc", "orgs/cp/tenant1/dev/us-east-2")
        #expect(c.backendType == "s3")
        #expect(c.backend == ["bucket": "cp-ue2-root-tfstate", "key": "terraform.tfstate", "region": "us-east-2",
                              "role_arn": nil, "encrypt": true, "workspace_key_prefix": "infra-vpc"])
        #expect(c.remoteStateBackendType == "s3")
        #expect(c.remoteStateBackend["workspace_key_prefix"] == "infra-vpc")
        #expect(c.remoteStateBackend["role_arn"] == "arn:aws:iam::123456789012:role/cp-gbl-root-terraform")
    }

    @Test("33: test/test-component-override — prefix from the base component, static remote state, null kept")
    func componentOverrideWithStaticRemoteState() throws {
        let c = try Self.completeRepo().component("test/test-component-override", "orgs/cp/tenant1/dev/us-east-2")
        #expect(c.backendType == "s3")
        #expect(c.backend["workspace_key_prefix"] == "test-test-component")
        #expect(c.backend["role_arn"] == .null)
        #expect(c.remoteStateBackendType == "static")
        #expect(c.remoteStateBackend == ["val1": true, "val2": "2", "val3": 3, "val4": nil])
        #expect(c.imports == ["catalog/terraform/test-component", "catalog/terraform/vpc", "orgs/cp/_defaults"])
        #expect(c.folder == "test/test-component")
        let json = JSONWriter.compact(.map(c.backend))
        #expect(json.contains("\"role_arn\":null"))
    }

    @Test("35: backend_type http with only an s3 block is a type mismatch naming component and stack")
    func backendTypeMismatch() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/dev.yaml": """
            components:
              terraform:
                vpc: {backend_type: http, backend: {s3: {bucket: b}}}
            """,
        ])
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        #expect(error as? StackError == .backendTypeMismatch(stack: "deploy/dev", component: "vpc", section: "backend", type: "http", keys: ["s3"]))
        #expect("\(error!)".hasPrefix("component 'vpc' in stack 'deploy/dev': backend defines 's3' but the backend_type is 'http'"))
    }

    @Test("36: the automatic s3 prefix uses components.terraform.workspace.prefix_separator", arguments: [
        ("", "services-consul"), ("components: {terraform: {workspace: {prefix_separator: /}}}", "services/consul"),
    ])
    func prefixSeparator(_ extra: String, _ expected: String) throws {
        let repo = try FixtureRepo([
            "stacks/deploy/dev.yaml": """
            terraform: {backend_type: s3, backend: {s3: {bucket: b}}}
            components: {terraform: {services/consul: {vars: {}}}}
            """,
        ], kitYAML: """
        stacks: {base_path: stacks, included_paths: ["deploy/**/*"]}
        \(extra)
        """)
        #expect(try repo.component("services/consul", "deploy/dev").backend["workspace_key_prefix"] == .string(expected))
    }

    @Test("§8.1: gcs prefix and azurerm key defaults; an explicit prefix is kept")
    func otherBackendDefaults() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/dev.yaml": """
            terraform:
              backend: {azurerm: {key: platform}, gcs: {bucket: g}, s3: {bucket: b}}
            components:
              terraform:
                net/hub: {backend_type: azurerm}
                gke: {backend_type: gcs}
                explicit: {backend_type: s3, backend: {s3: {workspace_key_prefix: custom}}}
            """,
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "net/hub", stack: "deploy/dev").backend["key"] == "platform/net-hub.terraform.tfstate")
        #expect(try catalog.find(component: "gke", stack: "deploy/dev").backend == ["bucket": "g", "prefix": "gke"])
        #expect(try catalog.find(component: "explicit", stack: "deploy/dev").backend["workspace_key_prefix"] == "custom")
    }

    @Test("45: a remote_state_backend mismatch in one stack fails that component only (kit is lazy; atmos fails every command)")
    func remoteStateMismatchIsLocal() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/globals.yaml": """
            terraform:
              remote_state_backend:
                s3: {bucket: shared-state}
            """,
            "stacks/deploy/sandbox.yaml": """
            import: [catalog/globals]
            components:
              terraform:
                bootstrap: {backend_type: local, backend: {local: {path: terraform.tfstate}}}
            """,
            "stacks/deploy/dev.yaml": """
            terraform: {backend_type: s3, backend: {s3: {bucket: b}}}
            components: {terraform: {vpc: {vars: {}}}}
            """,
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "vpc", stack: "deploy/dev").backendType == "s3")
        let error = caught { _ = try catalog.find(component: "bootstrap", stack: "deploy/sandbox") }
        #expect(error as? StackError == .backendTypeMismatch(stack: "deploy/sandbox", component: "bootstrap",
                                                              section: "remote_state_backend", type: "local", keys: ["s3"]))
        let message = "\(error!)"
        #expect(message.contains("component 'bootstrap'") && message.contains("stack 'deploy/sandbox'") && message.contains("'local'"))
        let survey = catalog.survey()
        #expect(survey.components.map(\.name) == ["vpc"])
        #expect(survey.warnings == [message])
    }
}
