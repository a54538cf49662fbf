import Foundation
import KitCore
import KitPluginSDK
import Testing

@Suite("isolated mode", .serialized)
struct LoaderIsolatedTests {
    @Test func crashingPluginBecomesTypedErrorAndKitKeepsWorking() throws {
        let crashDir = try LoaderFixtures.makeTempDir("crash")
        let okDir = try LoaderFixtures.makeTempDir("healthy")
        _ = try LoaderFixtures.compileCPlugin(name: "KitCrash", in: crashDir, defines: ["FIXTURE_CRASH_ON_REVIEW", #"FIXTURE_NAME="crashy""#])
        _ = try LoaderFixtures.compileCPlugin(name: "KitHealthy", in: okDir, defines: [#"FIXTURE_NAME="healthy""#])
        let registry = try LoaderFixtures.load([crashDir, okDir], isolated: true)
        let crashy = try #require(registry.plugin(named: "crashy"))
        let healthy = try #require(registry.plugin(named: "healthy"))
        #expect(crashy.isolated && healthy.isolated)

        let review = ReviewRequest(operation: "apply", component: .object([:]), plan: .object([:]))
        #expect(throws: PluginCallError.crashed(plugin: "crashy", op: "review", signal: SIGSEGV)) { try crashy.review(review) }
        #expect(PluginCallError.crashed(plugin: "crashy", op: "review", signal: 11).description
                == "plugin 'crashy' crashed (signal 11) while handling 'review'")

        // The other plugin's host is unaffected, and the crashed one restarts for the next call.
        #expect(try healthy.review(review).map(\.policy) == ["c.tags"])
        let adapted = try crashy.adapt(AdaptRequest(operation: "plan", component: .object([:]), stack: "s", workspace: "w", ci: false))
        #expect(adapted.env == [EnvVar(name: "C_PLUGIN", value: "yes")])
    }

    @Test func hostReportsRefusalsAsLoadErrors() throws {
        let dir = try LoaderFixtures.makeTempDir("hostrefusal")
        let path = try LoaderFixtures.compileCPlugin(name: "KitMajor", in: dir, defines: ["FIXTURE_ABI_MAJOR=2"])
        #expect(throws: PluginLoadError.hostFailed(path: path, reason: PluginLoadError.abiMajorMismatch(path: path, found: 2, expected: 1).description)) {
            try LoaderFixtures.load([dir], isolated: true)
        }
    }

    @Test func missingHostIsATypedError() throws {
        let dir = try LoaderFixtures.makeTempDir("nohost")
        _ = try LoaderFixtures.compileCPlugin(name: "KitC", in: dir)
        #expect(throws: PluginLoadError.hostNotFound(expected: "/nonexistent/bin/kit-plugin-host")) {
            try PluginRegistry.load(settings: PluginSettings(paths: [dir], isolated: true), basePath: "/",
                                    environment: [:], executablePath: "/nonexistent/bin/kit")
        }
    }
}
