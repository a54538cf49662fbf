import Foundation
import Testing

/// The template context atmos provides and the Gomplate datasources (issue "Existing atmos
/// repositories work unchanged"). Fixture `atmos-integrations`, shaped like atmos's `complete`
/// scenario: `name_template` stacks `tenant1-ue2-dev` and `tenant1-ue2-prod`; the org-wide
/// `terraform.vars.tags` template uses `.spacelift_stack` and `.atlantis_project`; Spacelift is enabled
/// for `top-level-component1` only; Atlantis project names come from atmos.yaml's `project-1`
/// template (dev) and a stack's own `project_template` (prod); `vpc` reads local JSON, YAML, CSV and
/// text datasources; a remote `ip` datasource is defined and unused.
@Suite("atmos integrations and datasources")
struct AtmosIntegrationTests {
    func query(_ repo: FixtureRepository, _ component: String, _ stack: String, _ expression: String) throws -> KitRun {
        try repo.run(["describe", "component", component, "-s", stack, "--query", expression])
    }

    @Test("describe component shows spacelift_stack and atlantis_project where configured, as atmos does")
    func describeTopLevelComponent() throws {
        let repo = try FixtureRepository("atmos-integrations")
        let run = try repo.run(["describe", "component", "top-level-component1", "-s", "tenant1-ue2-dev", "--format", "json"])
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        Golden.check(Golden.transcript(run, in: repo), named: "atmos-integrations-describe-component-top-level-dev-json")
    }

    @Test("the values are computed from atmos's patterns and templates", arguments: [
        ("top-level-component1", "tenant1-ue2-dev", ".spacelift_stack", "tenant1-ue2-dev-top-level-component1\n"),
        ("top-level-component1", "tenant1-ue2-dev", ".atlantis_project", "tenant1-ue2-dev-top-level-component1\n"),
        ("top-level-component1", "tenant1-ue2-prod", ".spacelift_stack", "cp-tenant1-ue2-prod-top-level-component1-live\n"),
        ("top-level-component1", "tenant1-ue2-prod", ".atlantis_project", "cp-tenant1-prod-top-level-component1\n"),
        ("top-level-component1", "tenant1-ue2-prod", ".vars.tags.spacelift_stack", "cp-tenant1-ue2-prod-top-level-component1-live\n"),
        ("vpc", "tenant1-ue2-dev", ".atlantis_project", "tenant1-ue2-dev-vpc\n"),
        ("vpc", "tenant1-ue2-dev", ".vars.tags.atlantis_project", "tenant1-ue2-dev-vpc\n"),
    ])
    func values(_ component: String, _ stack: String, _ expression: String, _ expected: String) throws {
        let repo = try FixtureRepository("atmos-integrations")
        let run = try query(repo, component, stack, expression)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
    }

    @Test("a component without Spacelift has no spacelift_stack, and the tags template renders '<no value>' like atmos")
    func missingKeyLikeAtmos() throws {
        let repo = try FixtureRepository("atmos-integrations")
        let run = try repo.run(["describe", "component", "vpc", "-s", "tenant1-ue2-dev", "--format", "json"])
        #expect(run.exitCode == 0)
        #expect(!run.stdout.contains("\"spacelift_stack\": \"tenant1"))
        #expect(run.stdout.contains("\"spacelift_stack\": \"<no value>\""))
        let stacks = try repo.run(["describe", "stacks", "--format", "json"])
        #expect(stacks.exitCode == 0)
        #expect(stacks.stderr.isEmpty)
        #expect(stacks.stdout.contains("\"spacelift_stack\": \"<no value>\""))
        let list = try repo.run(["list", "stacks"])
        #expect(list.stdout == "tenant1-ue2-dev\ntenant1-ue2-prod\n")
        #expect(list.stderr.isEmpty)
    }

    @Test("local JSON, YAML, CSV and text datasources, relative to the working directory as in Gomplate", arguments: [
        (".vars.cidr", "10.8.0.0/18\n"),
        (".vars.nat_gateways", "\"2\"\n"),   // a string, as atmos renders the quoted YAML value
        (".vars.owner", "platform\n"),
        (".vars.first_zone", "us-east-2a\n"),
        (".vars.motd", "managed by the platform team\n"),
    ])
    func datasources(_ expression: String, _ expected: String) throws {
        let repo = try FixtureRepository("atmos-integrations")
        let run = try query(repo, "vpc", "tenant1-ue2-dev", expression)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
    }

    func appendToVPC(_ repo: FixtureRepository, _ line: String) throws {
        let url = repo.root.appendingPathComponent("stacks/catalog/terraform/vpc.yaml")
        let text = try String(contentsOf: url, encoding: .utf8) + line + "\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("a remote datasource is an error naming the template's file, line and column")
    func remoteDatasource() throws {
        let repo = try FixtureRepository("atmos-integrations")
        try appendToVPC(repo, "        ip: '{{ (datasource \"ip\").ip }}'")
        let run = try repo.run(["describe", "component", "vpc", "-s", "tenant1-ue2-dev"])
        #expect(run.exitCode == 1)
        #expect(run.stdout.isEmpty)
        let line = run.errorLines.first ?? ""
        #expect(line.contains("stacks/catalog/terraform/vpc.yaml:10:"), "\(line)")
        #expect(line.contains("datasource 'ip' is 'https://api.ipify.org?format=json' (atmos.yaml): kit reads only local datasources"), "\(line)")
    }

    @Test("an undefined datasource is an error listing the defined ones")
    func undefinedDatasource() throws {
        let repo = try FixtureRepository("atmos-integrations")
        try appendToVPC(repo, "        region: '{{ (datasource \"regions\").name }}'")
        let run = try repo.run(["describe", "component", "vpc", "-s", "tenant1-ue2-dev"])
        #expect(run.exitCode == 1)
        let line = run.errorLines.first ?? ""
        #expect(line.contains("stacks/catalog/terraform/vpc.yaml:10:"), "\(line)")
        #expect(line.contains("undefined datasource 'regions' (defined: 'ip', 'motd', 'network', 'owners', 'zones')"), "\(line)")
    }

    @Test("a component's settings.templates.settings overrides atmos.yaml's datasource of the same name")
    func componentDatasource() throws {
        let repo = try FixtureRepository("atmos-integrations")
        try "{\"cidr\": \"10.99.0.0/16\", \"nat_gateways\": 1}\n".write(to: repo.root.appendingPathComponent("config/network-override.json"), atomically: true, encoding: .utf8)
        try appendToVPC(repo, """
                  settings:
                    templates:
                      settings:
                        gomplate:
                          datasources:
                            network:
                              url: "config/network-override.json"
            """)
        let run = try query(repo, "vpc", "tenant1-ue2-dev", ".vars.cidr")
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "10.99.0.0/16\n")
    }

    @Test("datasources are Gomplate functions: unknown unless templates.settings.gomplate.enabled")
    func datasourceNeedsGomplate() throws {
        let repo = try FixtureRepository("atmos-integrations")
        let config = repo.root.appendingPathComponent("atmos.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "    gomplate:\n      enabled: true\n", with: "    gomplate:\n      enabled: false\n")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let run = try repo.run(["describe", "component", "vpc", "-s", "tenant1-ue2-dev"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines.first?.contains("is not supported by kit's template engine") == true, "\(run.stderr)")
    }
}
