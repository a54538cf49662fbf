import Foundation
import KitCore
import KitPluginSDK
import Testing

@Suite("plugin loader", .serialized)
struct LoaderTests {
    static let component: JSONValue = .object([
        "vars": .object(["name": .string("demo")]),
        "settings": .object(["kit": .object(["fixture": .object(["bucket": .string("acme-state")])])]),
        "backend_type": .string("fixturefs"),
    ])

    @Test func loadsOutOfTreeSwiftPluginInProcess() throws {
        let dir = try LoaderFixtures.swiftPlugin.get()
        let registry = try LoaderFixtures.load([dir])
        let plugin = try #require(registry.plugin(named: "fixture"))
        #expect(plugin.version == "0.3.0")
        #expect(plugin.sdkVersion == KitPluginSDKInfo.version)
        #expect(plugin.swiftVersion == SwiftToolchain.version)
        #expect(plugin.abiMinor == 1)
        #expect(!plugin.isolated)
        #expect(plugin.description.backendTypes == ["fixturefs"])
        #expect(plugin.description.policies.map(\.id) == ["fixture.no_delete"])
        #expect(plugin.description.settingsSchema["type"] == .string("object"))

        var events: [JSONValue] = []
        plugin.onEvent = { events.append($0) }
        let adapted = try plugin.adapt(AdaptRequest(operation: "plan", component: Self.component, stack: "acme-dev", workspace: "acme-dev", ci: true))
        plugin.onEvent = nil
        #expect(adapted.backend == .object(["bucket": .string("acme-state"), "key": .string("acme-dev/acme-dev.tfstate")]))
        #expect(adapted.env.contains(EnvVar(name: "FIXTURE_TOKEN", value: "s3cr3t", secret: true)))
        #expect(adapted.env.contains(EnvVar(name: "FIXTURE_CI", value: "1")))
        #expect(adapted.args == ["-lock-timeout=5m"])
        #expect(events.count == 1)
        #expect(events.first?["message"] == .string("adapting 'acme-dev' for plan"))

        let plan: JSONValue = .object(["resource_changes": .array([
            .object(["address": .string("terraform_data.a"), "change": .object(["actions": .array([.string("delete")])])]),
            .object(["address": .string("terraform_data.b"), "change": .object(["actions": .array([.string("create")])])]),
        ])])
        let findings = try plugin.review(ReviewRequest(operation: "apply", component: Self.component, plan: plan))
        #expect(findings == [Finding(severity: .error, policy: "fixture.no_delete", message: "plan deletes 'terraform_data.a'",
                                     path: "terraform_data.a", hint: "remove the resource from the plan")])

        let failing: JSONValue = .object(["vars": .object(["fail": .bool(true)])])
        #expect(throws: PluginCallError.pluginError(plugin: "fixture", op: "validate", code: "fixture.refused",
                                                     message: "vars.fail is true", hint: "set vars.fail to false")) {
            try plugin.validate(ValidateRequest(component: failing))
        }
        #expect(try plugin.after(AfterRequest(operation: "apply", exitCode: 0, planSummary: .null)) == [])
    }

    @Test func swiftPluginWorksIsolated() throws {
        let dir = try LoaderFixtures.swiftPlugin.get()
        let registry = try LoaderFixtures.load([dir], isolated: true)
        let plugin = try #require(registry.plugin(named: "fixture"))
        #expect(plugin.isolated)
        var events: [JSONValue] = []
        plugin.onEvent = { events.append($0) }
        let adapted = try plugin.adapt(AdaptRequest(operation: "apply", component: Self.component, stack: "s", workspace: "w", ci: false))
        #expect(adapted.env.contains(EnvVar(name: "FIXTURE_CI", value: "0")))
        #expect(events.first?["event"] == .string("log"))
    }

    @Test func loadsCPluginAndRoutesByBackendType() throws {
        let dir = try LoaderFixtures.makeTempDir("cplugin")
        _ = try LoaderFixtures.compileCPlugin(name: "KitC", in: dir)
        let registry = try LoaderFixtures.load([dir])
        let plugin = try #require(registry.plugin(named: "cfixture"))
        #expect(plugin.version == "2.1.0")
        #expect(plugin.swiftVersion == "")
        #expect(plugin.description.providers == ["cprov"])
        #expect(plugin.description.policies == [PolicyInfo(id: "c.tags", summary: "resources carry tags", defaultSeverity: .warning)])

        var events: [JSONValue] = []
        plugin.onEvent = { events.append($0) }
        let adapted = try plugin.adapt(AdaptRequest(operation: "plan", component: .object([:]), stack: "s", workspace: "w", ci: false))
        #expect(adapted.env == [EnvVar(name: "C_PLUGIN", value: "yes")])
        #expect(events == [.object(["event": .string("log"), "message": .string("hello from c")])])
        #expect(throws: PluginCallError.pluginError(plugin: "cfixture", op: "validate", code: "c.unsupported",
                                                     message: "validate is not supported", hint: "use review")) {
            try plugin.validate(ValidateRequest(component: .object([:])))
        }

        #expect(try registry.plugins(forBackendType: "cbackend", requested: []).map(\.name) == ["cfixture"])
        #expect(try registry.plugins(forBackendType: "local", requested: []).isEmpty)
        #expect(try registry.plugins(forBackendType: "local", requested: ["cfixture"]).map(\.name) == ["cfixture"])
        #expect(try registry.plugins(forBackendType: "cbackend", requested: ["cfixture"]).count == 1)
        let searched = [dir, "/nonexistent/bin", "/nonexistent/lib/kit/plugins"]
        #expect(throws: PluginLoadError.unknownPlugin(name: "gcp", found: ["cfixture"], searched: searched)) {
            try registry.plugins(forBackendType: "s3", requested: ["gcp"])
        }
        let message = PluginLoadError.unknownPlugin(name: "gcp", found: ["cfixture"], searched: searched).description
        #expect(message == "plugin 'gcp' not found; found: 'cfixture'; kit looked in '\(dir)', '/nonexistent/bin', '/nonexistent/lib/kit/plugins' — put 'lib<Name>.so' in one of them or add its directory to 'plugins.paths'")
    }

    @Test func firstFoundWinsWithWarningNamingBothPaths() throws {
        let first = try LoaderFixtures.makeTempDir("first")
        let second = try LoaderFixtures.makeTempDir("second")
        _ = try LoaderFixtures.compileCPlugin(name: "KitDup", in: first, defines: [#"FIXTURE_NAME="dup""#])
        _ = try LoaderFixtures.compileCPlugin(name: "KitDup2", in: second, defines: [#"FIXTURE_NAME="dup""#])
        let registry = try LoaderFixtures.load([first, second])
        #expect(registry.plugins.map(\.path) == [first + "/libKitDup.so"])
        #expect(registry.warnings.map(\.message) == ["plugin 'dup' is provided by both '\(first)/libKitDup.so' and '\(second)/libKitDup2.so'; using '\(first)/libKitDup.so' (the first found)"])
    }

    @Test func searchPathOrderAndRelativePaths() throws {
        let search = PluginSearchPath(settings: PluginSettings(paths: ["plugins", "/opt/p"]), basePath: "/repo",
                                      environment: ["KIT_PLUGIN_PATH": "/env/a::/env/b", "HOME": "/home/u"],
                                      executablePath: "/usr/local/bin/kit")
        #expect(search.directories == ["/repo/plugins", "/opt/p", "/env/a", "/env/b", "/usr/local/bin",
                                       "/usr/local/lib/kit/plugins", "/home/u/.kit/plugins"])
    }

    @Test func onlyLibStarDotSoDirectlyInsideIsConsidered() throws {
        let dir = try LoaderFixtures.makeTempDir("scan")
        _ = try LoaderFixtures.compileCPlugin(name: "KitScan", in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/nested", withIntermediateDirectories: false)
        _ = try LoaderFixtures.compileCPlugin(name: "KitNested", in: dir + "/nested")
        try "not a plugin".write(toFile: dir + "/notes.so", atomically: true, encoding: .utf8)
        let search = PluginSearchPath(settings: PluginSettings(paths: [dir]), basePath: "/", environment: [:], executablePath: nil)
        #expect(search.candidateFiles() == [dir + "/libKitScan.so"])
    }
}
