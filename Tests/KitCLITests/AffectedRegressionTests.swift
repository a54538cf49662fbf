import Foundation
import Testing

/// Issue 18 regressions for `describe affected`: it renders both refs with the session's renderer
/// (Gomplate and datasources included), and it finds local modules written on one line. Before the
/// run pipeline, a manifest using Gomplate made every component of it disappear (`[]`, exit 0) and a
/// one-line `module` block was not seen.
@Suite("describe affected regressions")
struct AffectedRegressionTests {
    static let kitYAML = """
        base_path: "."
        components:
          terraform:
            base_path: components/terraform
        stacks:
          base_path: stacks
          included_paths: ["orgs/**/*"]
          name_pattern: "{stage}"
        templates:
          settings:
            enabled: true
            gomplate:
              enabled: true
              datasources:
                network: {url: "./config/network.json"}

        """

    static func entries(_ run: KitRun) throws -> [AffectedTests.Entry] { try AffectedTests.entries(run) }

    @Test("a component of a manifest that uses Gomplate functions and a datasource is affected when its value changes")
    func gomplateManifest() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", Self.kitYAML)
        try g.write("config/network.json", "{\"cidr\": \"10.9.0.0/16\"}\n")
        try g.write("components/terraform/app/main.tf", "variable \"replicas\" {}\n")
        func stack(replicas: Int) -> String {
            """
            vars:
              stage: dev
            components:
              terraform:
                app:
                  vars:
                    name: '{{ strings.ToUpper .vars.stage }}'
                    cidr: '{{ (datasource "network").cidr }}'
                    replicas: \(replicas)

            """
        }
        try g.write("stacks/orgs/dev.yaml", stack(replicas: 1))
        try g.commit("c0")
        try g.write("stacks/orgs/dev.yaml", stack(replicas: 2))
        try g.commit("c1")
        // The rendered values are what kit plans with, through the same session settings.
        let described = try g.kit(["describe", "component", "app", "-s", "dev", "--format", "json"])
        #expect(described.exitCode == 0, "\(described.stderr)")
        #expect(described.stdout.contains("\"name\": \"DEV\"") || described.stdout.contains("\"name\":\"DEV\""), "\(described.stdout)")
        #expect(described.stdout.contains("10.9.0.0/16"), "\(described.stdout)")
        let run = try g.kit(["describe", "affected", "--base", "c0", "--head", "c1"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("warning"), "\(run.stderr)")
        #expect(try Self.entries(run) == [
            AffectedTests.Entry(stack: "dev", component: "app", affected: "stack.vars", reasons: ["vars.replicas changed"]),
        ])
    }

    @Test("a change under a module used by a one-line module block affects the component; a commented-out block does not")
    func oneLineModules() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", Self.kitYAML)
        try g.write("config/network.json", "{}\n")
        try g.write("stacks/orgs/dev.yaml", "vars:\n  stage: dev\ncomponents:\n  terraform:\n    net:\n      vars:\n        x: 1\n")
        try g.write("components/terraform/net/main.tf", """
            module "tags" { source = "../modules/tags" }
            # module "old" { source = "../modules/old" }
            /* module "older" { source = "../modules/older" } */

            """)
        for m in ["tags", "old", "older"] {
            try g.write("components/terraform/modules/\(m)/main.tf", "output \"v\" { value = \"1\" }\n")
        }
        try g.commit("c0")
        try g.write("components/terraform/modules/tags/main.tf", "output \"v\" { value = \"2\" }\n")
        try g.commit("c1")
        try g.write("components/terraform/modules/old/main.tf", "output \"v\" { value = \"2\" }\n")
        try g.write("components/terraform/modules/older/main.tf", "output \"v\" { value = \"2\" }\n")
        try g.commit("c2")
        let tags = try g.kit(["describe", "affected", "--base", "c0", "--head", "c1"])
        #expect(tags.exitCode == 0, "\(tags.stderr)")
        #expect(try Self.entries(tags) == [
            AffectedTests.Entry(stack: "dev", component: "net", affected: "component.module",
                                reasons: ["local module 'components/terraform/modules/tags' changed (components/terraform/modules/tags/main.tf)"]),
        ])
        let commented = try g.kit(["describe", "affected", "--base", "c1", "--head", "c2"])
        #expect(commented.exitCode == 0, "\(commented.stderr)")
        #expect(try Self.entries(commented) == [])
    }

    @Test("an !include of a data file outside the stacks folder is read at both refs, not reported missing")
    func includeAtRefs() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", Self.kitYAML)
        try g.write("config/network.json", "{}\n")
        try g.write("data/sizes.json", "{\"app\": 1}\n")
        try g.write("components/terraform/app/main.tf", "variable \"size\" {}\n")
        try g.write("stacks/orgs/dev.yaml", "vars:\n  stage: dev\ncomponents:\n  terraform:\n    app:\n      vars:\n        size: !include ../../data/sizes.json .app\n")
        try g.commit("c0")
        // The data and the manifest change; before the fix both refs reported the include missing and printed [].
        try g.write("data/sizes.json", "{\"app\": 2}\n")
        try g.write("stacks/orgs/dev.yaml", "vars:\n  stage: dev\ncomponents:\n  terraform:\n    app:\n      vars:\n        note: x\n        size: !include ../../data/sizes.json .app\n")
        try g.commit("c1")
        let run = try g.kit(["describe", "affected", "--base", "c0", "--head", "c1"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("not found"), "\(run.stderr)")
        let entries = try Self.entries(run)
        #expect(entries.map(\.component) == ["app"], "\(run.stdout)\(run.stderr)")
        #expect(entries.first?.reasons.contains("vars.size changed") == true, "\(run.stdout)")
    }

    @Test("a change to an !include'd data file alone affects the components of every manifest that includes it, and nothing else")
    func includedFileAloneChanged() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", Self.kitYAML)
        try g.write("config/network.json", "{}\n")
        try g.write("data/sizes.json", "{\"app\": 1}\n")
        try g.write("stacks/data/tags.yaml", "team: blue\n")
        try g.write("components/terraform/app/main.tf", "variable \"size\" {}\n")
        // dev includes a file outside the stacks folder through a catalog it imports; prod includes a
        // data file inside the stacks folder; qa includes neither.
        try g.write("stacks/catalog/app.yaml", "components:\n  terraform:\n    app:\n      vars:\n        size: !include data/sizes.json .app\n")
        try g.write("stacks/orgs/dev.yaml", "import: [catalog/app]\nvars:\n  stage: dev\n")
        try g.write("stacks/orgs/prod.yaml", "vars:\n  stage: prod\ncomponents:\n  terraform:\n    app:\n      vars:\n        tags: !include ../data/tags.yaml\n")
        try g.write("stacks/orgs/qa.yaml", "vars:\n  stage: qa\ncomponents:\n  terraform:\n    app:\n      vars:\n        size: 3\n")
        try g.commit("c0")
        try g.write("data/sizes.json", "{\"app\": 2}\n")
        try g.commit("c1")
        let outside = try g.kit(["describe", "affected", "--base", "c0", "--head", "c1"])
        #expect(outside.exitCode == 0, "\(outside.stderr)")
        let first = try Self.entries(outside)
        #expect(first.map(\.stack) == ["dev"], "\(outside.stdout)\(outside.stderr)")
        #expect(first.first?.reasons.contains("vars.size changed") == true, "\(outside.stdout)")

        try g.write("stacks/data/tags.yaml", "team: red\n")
        try g.commit("c2")
        let inside = try g.kit(["describe", "affected", "--base", "c1", "--head", "c2"])
        #expect(inside.exitCode == 0, "\(inside.stderr)")
        #expect(try Self.entries(inside).map(\.stack) == ["prod"], "\(inside.stdout)\(inside.stderr)")

        // Against the work tree (the session's own catalog), too.
        try g.write("data/sizes.json", "{\"app\": 5}\n")
        let workTree = try g.kit(["describe", "affected", "--base", "c2"])
        #expect(workTree.exitCode == 0, "\(workTree.stderr)")
        #expect(try Self.entries(workTree).map(\.stack) == ["dev"], "\(workTree.stdout)\(workTree.stderr)")
    }
}
