import Foundation
import Testing

/// `--diagnostics json` carries each error's fields (issue 18): the plugin and op of a plugin error,
/// the expression and hint of a query error, the stack, component and subcommand of terraform and
/// estate errors. In text mode the same errors print the line kit always printed.
@Suite("diagnostics as JSON: typed error fields")
struct DiagnosticsFieldsCLITests {
    /// The only line on stderr, as a JSON object.
    static func only(_ stderr: String) throws -> [String: Any] {
        let lines = try DiagnosticsJSONTests.lines(stderr)
        #expect(lines.count == 1, "\(stderr)")
        return try #require(lines.first)
    }

    @Test("a plugin call error names the plugin as source and the op it was handling")
    func pluginCallError() throws {
        let repo = try PluginPlatformCLITests.repository("diag-call")
        defer { try? FileManager.default.removeItem(atPath: repo) }
        // The fixture answers 'validate' with {"ok": false, "error": {"code": "c.unsupported", …}}.
        _ = try PluginPlatformCLITests.cPlugin("KitCFixture", in: repo + "/plugins", defines: [])
        try FileManager.default.createDirectory(atPath: repo + "/components/terraform/app", withIntermediateDirectories: true)
        try "variable \"x\" {}\n".write(toFile: repo + "/components/terraform/app/main.tf", atomically: true, encoding: .utf8)
        try """
            base_path: "."
            components: {terraform: {base_path: components/terraform}}
            stacks: {base_path: stacks, included_paths: ["*.yaml"], name_pattern: "{stage}"}
            plugins: {paths: [plugins]}

            """.write(toFile: repo + "/kit.yaml", atomically: true, encoding: .utf8)
        try """
            vars: {stage: dev}
            components:
              terraform:
                app:
                  vars: {x: 1}
                  settings: {kit: {providers: [cfixture]}}

            """.write(toFile: repo + "/stacks/dev.yaml", atomically: true, encoding: .utf8)

        let json = try PluginPlatformCLITests.kit(["validate", "component", "app", "-s", "dev", "--diagnostics", "json"], cwd: repo)
        #expect(json.status == 1, "\(json.stderr)")
        let d = try Self.only(json.stderr)
        #expect(d["severity"] as? String == "error")
        #expect(d["source"] as? String == "cfixture", "\(d)")
        #expect(d["op"] as? String == "validate", "\(d)")
        #expect(d["message"] as? String == "plugin 'cfixture' failed 'validate': validate is not supported [c.unsupported] — use review", "\(d)")

        // Text mode: the same sentence, with no '[cfixture]' tag in front.
        let text = try PluginPlatformCLITests.kit(["validate", "component", "app", "-s", "dev"], cwd: repo)
        #expect(text.status == 1)
        #expect(text.stderr == "error: plugin 'cfixture' failed 'validate': validate is not supported [c.unsupported] — use review\n", "\(text.stderr)")
    }

    @Test("a plugin load error names the plugin it could not find as source")
    func pluginLoadError() throws {
        let repo = try FixtureRepository("acme")
        let run = try BuiltKit.run(["plugin", "info", "gcp", "--diagnostics", "json"], in: repo)
        #expect(run.exitCode == 1, "\(run.stderr)")
        let d = try Self.only(run.stderr)
        #expect(d["source"] as? String == "gcp", "\(d)")
        #expect((d["message"] as? String)?.hasPrefix("plugin 'gcp' not found; ") == true, "\(d)")
    }

    @Test("a query error has the expression as subject, the problem as message and its hint apart")
    func queryError() throws {
        let repo = try FixtureRepository("acme")
        let json = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--query", " ", "--diagnostics", "json"])
        #expect(json.exitCode == 64, "\(json.stderr)")
        let d = try Self.only(json.stderr)
        #expect(d["subject"] as? String == "--query ' '", "\(d)")
        #expect(d["message"] as? String == "the expression is empty", "\(d)")
        #expect(d["hint"] as? String == "write '.' for the whole input", "\(d)")
        // Text mode prints subject, message and hint as the one line kit printed before.
        let text = try repo.run(["describe", "component", "vpc", "-s", "acme-dev", "--query", " "])
        #expect(text.exitCode == 64)
        #expect(text.stderr == "error: --query ' ': the expression is empty — write '.' for the whole input\n", "\(text.stderr)")
    }

    @Test("a terraform error names the stack, the component and the subcommand")
    func terraformError() throws {
        let repo = try FixtureRepository("acme")
        let json = try repo.run(["terraform", "plan", "vpc/defaults", "-s", "acme-dev", "--diagnostics", "json"])
        #expect(json.exitCode == 1, "\(json.stderr)")
        let d = try Self.only(json.stderr)
        #expect(d["stack"] as? String == "acme-dev", "\(d)")
        #expect(d["component"] as? String == "vpc/defaults", "\(d)")
        #expect(d["op"] as? String == "plan", "\(d)")
        let text = try repo.run(["terraform", "plan", "vpc/defaults", "-s", "acme-dev"])
        #expect(text.stderr == "error: \(d["message"] as? String ?? "")\n")
        #expect(text.stderr.contains("because it is marked as abstract"), "\(text.stderr)")
    }

    @Test("an estate error names the stack and component whose dependency is wrong")
    func estateError() throws {
        let repo = try FixtureRepository("acme")
        try """
            import:
              - orgs/acme/_defaults
              - catalog/vpc
            vars:
              stage: dev
            components:
              terraform:
                vpc:
                  dependencies:
                    components:
                      - component: vpx

            """.write(to: repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml"), atomically: true, encoding: .utf8)
        let json = try repo.run(["list", "dependencies", "-s", "acme-dev", "--diagnostics", "json"])
        #expect(json.exitCode == 1, "\(json.stderr)")
        let d = try Self.only(json.stderr)
        #expect(d["stack"] as? String == "acme-dev", "\(d)")
        #expect(d["component"] as? String == "vpc", "\(d)")
        #expect((d["message"] as? String)?.contains("depends on 'vpx'") == true, "\(d)")
        let text = try repo.run(["list", "dependencies", "-s", "acme-dev"])
        #expect(text.stderr == "error: \(d["message"] as? String ?? "")\n")
    }
}
