import Foundation
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
import KitPluginSDK
import Testing

/// `read_state` between kit and loaded plugins: only ABI 1.1 plugins are asked, in-process and
/// through `kit-plugin-host` (which relays any op), and `!terraform.state` falls back to terraform
/// when no plugin answers.
@Suite("read_state through the loader", .serialized)
struct ReadStateLoaderTests {
    static func component(_ name: String, backendType: String = "cbackend", vars: [String: Value] = [:]) -> ResolvedComponent {
        ResolvedComponent(
            name: name, stackFile: "dev.yaml", stackFileID: "dev", stackName: "dev",
            baseComponentName: name, folder: name, vars: vars, settings: [:], env: [:],
            metadata: [:], providers: [:], overrides: [:], hooks: [:], generate: [:], auth: [:], dependencies: [:],
            command: "terraform", backendType: backendType, backend: ["bucket": .string("b")], remoteStateBackendType: backendType,
            remoteStateBackend: [:], requiredVersion: nil, requiredProviders: [:], inheritance: [],
            workspace: "dev", imports: [], layers: [], listMergeStrategy: .replace)
    }

    @Test("an ABI 1.1 plugin answers read_state, in-process and isolated", arguments: [false, true])
    func minorOnePluginReadsState(isolated: Bool) throws {
        let dir = try LoaderFixtures.makeTempDir("readstate-\(isolated)")
        _ = try LoaderFixtures.compileCPlugin(name: "KitReads", in: dir, defines: ["FIXTURE_READ_STATE"])
        let registry = try LoaderFixtures.load([dir], isolated: isolated)
        let plugin = try #require(registry.plugin(named: "cfixture"))
        #expect(plugin.abiMinor == 1 && plugin.speaksReadState && plugin.isolated == isolated)
        let hooks = PluginHooks(registry: registry, environment: [:])
        let result = try hooks.readState(Self.component("source"))
        guard case .state(let document)? = result else {
            Issue.record("no state: \(String(describing: result))")
            return
        }
        #expect(document["outputs"]?["label"]?["value"] == .string("from-c"))
        #expect(try hooks.readState(Self.component("local", backendType: "local")) == nil, "the kernel reads local state itself")
    }

    @Test("a minor-0 plugin still loads, is never sent read_state, and !terraform.state falls back to terraform output")
    func minorZeroPluginFallsBack() throws {
        let dir = try LoaderFixtures.makeTempDir("readstate-minor0")
        // It would answer read_state, but it declares ABI 1.0: kit must not ask.
        _ = try LoaderFixtures.compileCPlugin(name: "KitOld", in: dir, defines: ["FIXTURE_ABI_MINOR=0", "FIXTURE_READ_STATE"])
        let registry = try LoaderFixtures.load([dir])
        let plugin = try #require(registry.plugin(named: "cfixture"))
        #expect(plugin.abiMinor == 0 && !plugin.speaksReadState)
        let hooks = PluginHooks(registry: registry, environment: [:])
        #expect(try hooks.readState(Self.component("source")) == nil)

        let base = try LoaderFixtures.makeTempDir("readstate-repo")
        let config = try ConfigLoader(fileSystem: LocalFileSystem(), environment: ["HOME": base], workingDirectory: base).load()
        let resolver = ReferenceResolver(config: config, locate: { name, _ in Self.component(name) },
                                         readOutputJSON: { _ in Array(#"{"label":{"sensitive":false,"type":"string","value":"from-terraform"}}"#.utf8) },
                                         readState: { c in try hooks.readState(c) })
        let resolved = try resolver.resolve(Self.component("consumer", vars: ["label": .string("!terraform.state source label")]))
        #expect(resolved.vars["label"] == .string("from-terraform"))
        #expect(resolver.reads.state == 0 && resolver.reads.output == 1)
    }
}
