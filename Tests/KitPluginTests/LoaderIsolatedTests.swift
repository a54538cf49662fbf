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

    /// Issue 19: the host was forked by the first caller's thread with PR_SET_PDEATHSIG, so it died
    /// (signal 15) when that thread ended, and the next call from another thread failed.
    @Test("a host started on a thread that has since ended keeps answering calls from other threads")
    func hostOutlivesTheThreadThatStartedIt() throws {
        let dir = try LoaderFixtures.makeTempDir("lifetime")
        _ = try LoaderFixtures.compileCPlugin(name: "KitLifetime", in: dir, defines: [#"FIXTURE_NAME="lifetime""#])
        let adapt = AdaptRequest(operation: "plan", component: .object([:]), stack: "s", workspace: "w", ci: false)
        // Load (which starts the host) and call on a thread that then exits.
        let loaded = ThreadResult<PluginRegistry>()
        let first = Thread {
            loaded.set(Result { let r = try LoaderFixtures.load([dir], isolated: true); _ = try r.plugin(named: "lifetime")?.adapt(adapt); return r })
        }
        first.start()
        let registry = try loaded.wait().get()
        let plugin = try #require(registry.plugin(named: "lifetime"))
        #expect(plugin.isolated)
        // Give the ended thread's death signal time to be delivered, if it were armed for that thread.
        usleep(200_000)
        for _ in 0..<3 {
            let answer = ThreadResult<AdaptResponse>()
            let next = Thread { answer.set(Result { try plugin.adapt(adapt) }) }
            next.start()
            #expect(try answer.wait().get().env == [EnvVar(name: "C_PLUGIN", value: "yes")])
            usleep(100_000)
        }
        plugin.shutdown()
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

    @Test("polling on or off, answers fast or slower than the poll window: the same answers")
    func pollingChangesOnlySpeed() throws {
        let dir = try LoaderFixtures.makeTempDir("slow")
        _ = try LoaderFixtures.compileCPlugin(name: "KitSlow", in: dir, defines: ["FIXTURE_SLOW", #"FIXTURE_NAME="slow""#])
        let adapt = AdaptRequest(operation: "plan", component: .object([:]), stack: "s", workspace: "w", ci: false)
        let review = ReviewRequest(operation: "apply", component: .object([:]), plan: .object([:]))
        for spin in [0, 100, 10_000] {
            let registry = try PluginRegistry.load(settings: PluginSettings(paths: [dir], isolated: true, spinMicroseconds: spin),
                                                   basePath: "/", environment: [:], executablePath: "/nonexistent/bin/kit",
                                                   hostExecutable: try LoaderFixtures.hostExecutable())
            let slow = try #require(registry.plugin(named: "slow"))
            for _ in 0..<20 {
                #expect(try slow.adapt(adapt).env == [EnvVar(name: "C_PLUGIN", value: "yes")], "spin_us \(spin)")
            }
            // review takes 20 ms, far past any poll window: kit polls, then sleeps until the answer.
            #expect(try slow.review(review).map(\.policy) == ["c.tags"], "spin_us \(spin)")
            #expect(try slow.adapt(adapt).env == [EnvVar(name: "C_PLUGIN", value: "yes")], "spin_us \(spin)")
            slow.shutdown()
        }
    }

    @Test("kit sends 'cpu N' before each request and reads answers with or without the host's CPU")
    func cpuHintLines() throws {
        let dir = try LoaderFixtures.makeTempDir("fakehost")
        let script = dir + "/fake-host"
        // A host that answers each JSON request with how many requests and 'cpu' lines it has read;
        // the first answer has no CPU field (as older hosts wrote), the later ones do.
        try #"""
        #!/bin/bash
        fd="${@: -1}"
        printf '%s\n' '{"hello":{"name":"fake","plugin_version":"1.0.0","abi_minor":1,"sdk_version":"1.1.0","swift_version":""}}' >&"$fd"
        requests=0; cpus=0
        while IFS= read -r -u "$fd" line; do
          case "$line" in
            "cpu "[0-9]*) cpus=$((cpus + 1)); continue ;;
          esac
          requests=$((requests + 1))
          body="{\"ok\":true,\"requests\":$requests,\"cpus\":$cpus}"
          if [ "$requests" = 1 ]; then printf 'R 0 %d\n%s' "${#body}" "$body" >&"$fd"
          else printf 'R 0 %d 0\n%s' "${#body}" "$body" >&"$fd"; fi
        done
        """#.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let client = try IsolatedPluginClient(path: "/fake.so", displayPath: "/fake.so", hostExecutable: script, timeout: 10)
        defer { client.close() }
        for n in 1...3 {
            let answer = try client.call(.object(["op": .string("review")]), op: "review", pluginName: "fake", events: nil)
            #expect(answer["requests"]?.intValue == n)
            #expect(answer["cpus"]?.intValue == n)
        }
    }
}

/// A value one thread produces and another waits for.
final class ThreadResult<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Value, Error>?

    func set(_ value: Result<Value, Error>) {
        condition.lock()
        result = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Result<Value, Error> {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
