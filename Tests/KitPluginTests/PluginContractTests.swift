import Foundation
import KitCore
import KitPluginSDK
import Testing

/// kit enforces the contract on every plugin: the declared settings schema before the plugin is
/// asked, and `settings.kit.policies` severities on its findings.
@Suite("plugin contract enforced by kit")
struct PluginContractTests {
    static let schema = #"FIXTURE_SCHEMA="{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"region\":{\"type\":\"string\"},\"zones\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}""#

    static func plugin() throws -> LoadedPlugin {
        let dir = try LoaderFixtures.makeTempDir("contract")
        _ = try LoaderFixtures.compileCPlugin(name: "KitContract", in: dir, defines: [schema, #"FIXTURE_NAME="gcp""#])
        return try #require(try LoaderFixtures.load([dir]).plugin(named: "gcp"))
    }

    static func component(settings: JSONValue) -> JSONValue {
        .object(["settings": .object(["kit": settings])])
    }

    @Test("region: 5 for a string setting is an error finding naming the setting")
    func schemaTypeMismatch() throws {
        let p = try Self.plugin()
        let findings = PluginContract.settingsFindings(plugin: p, component: Self.component(settings: .object(["gcp": .object(["region": .int(5)])])))
        #expect(findings.map(\.severity) == [.error])
        #expect(findings.map(\.path) == ["settings.kit.gcp.region"])
        #expect(findings.first?.message == "'settings.kit.gcp.region' is 5 (an integer), but the plugin's settings schema wants a string")
        #expect(findings.first?.policy == "kit.settings")
    }

    @Test("unknown settings and wrong item types are named; a valid block passes")
    func schemaOther() throws {
        let p = try Self.plugin()
        let bad = PluginContract.settingsFindings(plugin: p, component: Self.component(settings: .object(["gcp": .object([
            "regoin": .string("x"), "zones": .array([.string("a"), .bool(true)]),
        ])])))
        #expect(bad.map(\.path) == ["settings.kit.gcp.regoin", "settings.kit.gcp.zones[1]"])
        let good = PluginContract.settingsFindings(plugin: p, component: Self.component(settings: .object(["gcp": .object([
            "region": .string("europe-west1"), "zones": .array([.string("a")]),
        ])])))
        #expect(good.isEmpty)
        #expect(PluginContract.settingsFindings(plugin: p, component: .object([:])).isEmpty)
    }

    @Test("settings.kit.policies severities are applied by kit to a plugin that ignores them")
    func policies() throws {
        let p = try Self.plugin()
        let findings = try p.review(ReviewRequest(operation: "apply", component: .object([:]), plan: .object([:])))
        #expect(findings.map(\.severity) == [.warning])
        let raised = PluginContract.applyPolicies(findings, plugin: p, component: Self.component(settings: .object([
            "policies": .object(["c.tags": .string("error")]),
        ])), settingsWarnings: false)
        #expect(raised.map(\.severity) == [.error])
        let off = PluginContract.applyPolicies(findings, plugin: p, component: Self.component(settings: .object([
            "policies": .object(["c.tags": .string("off")]),
        ])), settingsWarnings: false)
        #expect(off.isEmpty)
        let unknown = PluginContract.applyPolicies([], plugin: p, component: Self.component(settings: .object([
            "policies": .object(["gcp.nope": .string("error"), "aws.other": .string("off")]),
        ])), settingsWarnings: true)
        #expect(unknown.map(\.message) == ["unknown policy 'gcp.nope' in settings.kit.policies"])
    }
}
