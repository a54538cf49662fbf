import Foundation
import KitCore
import KitPluginSDK
import Testing

/// C plugins that fail in every way a plugin can, run isolated (the default for plugins that are not
/// first-party): each failure is a typed error naming the plugin and the message it was handling,
/// and kit keeps working. The in-process side of each mode runs the built kit (KitCLITests).
@Suite("plugin failure modes, isolated", .serialized)
struct PluginFailureModeTests {
    static let review = ReviewRequest(operation: "apply", component: .object([:]), plan: .object([:]))

    static func plugin(_ label: String, _ defines: [String], timeout: Double? = PluginSettings.defaultTimeout,
                       log: ((PluginLogLine) -> Void)? = nil) throws -> LoadedPlugin {
        let dir = try LoaderFixtures.makeTempDir(label)
        _ = try LoaderFixtures.compileCPlugin(name: "Kit\(label)", in: dir, defines: defines + [#"FIXTURE_NAME="\#(label)""#])
        let registry = try PluginRegistry.load(settings: PluginSettings(paths: [dir], timeout: timeout), basePath: "/",
                                               environment: [:], executablePath: "/nonexistent/bin/kit",
                                               hostExecutable: try LoaderFixtures.hostExecutable(), log: log)
        return try #require(registry.plugin(named: label))
    }

    @Test("isolated is the default for a plugin that is not first-party")
    func isolatedByDefault() throws {
        let p = try Self.plugin("default", [])
        #expect(p.isolated)
        #expect(!p.firstParty)
        #expect(PluginRegistry.isFirstParty(path: "/opt/kit/bin/libKitAWS.so", executablePath: "/opt/kit/bin/kit"))
        #expect(PluginRegistry.isFirstParty(path: "/opt/kit/lib/kit/plugins/libKitAzure.so", executablePath: "/opt/kit/bin/kit"))
        #expect(!PluginRegistry.isFirstParty(path: "/home/u/.kit/plugins/libKitAWS.so", executablePath: "/opt/kit/bin/kit"))
        #expect(!PluginRegistry.isFirstParty(path: "/opt/kit/bin/libKitGCP.so", executablePath: "/opt/kit/bin/kit"))
    }

    @Test("a null dereference is 'crashed (signal 11) while handling' the op")
    func crash() throws {
        let p = try Self.plugin("crashy", ["FIXTURE_CRASH"])
        #expect(throws: PluginCallError.crashed(plugin: "crashy", op: "review", signal: SIGSEGV)) { try p.review(Self.review) }
        // The next call starts a fresh host and gets the plugin's real answer.
        #expect(throws: PluginCallError.pluginError(plugin: "crashy", op: "validate", code: "c.unsupported",
                                                    message: "validate is not supported", hint: "use review")) {
            try p.validate(ValidateRequest(component: .object([:])))
        }
    }

    @Test("exit(3) is 'exited (status 3) while handling' the op, not kit's exit code")
    func exit3() throws {
        let p = try Self.plugin("exiter", ["FIXTURE_EXIT"])
        #expect(throws: PluginCallError.exited(plugin: "exiter", op: "review", status: 3)) { try p.review(Self.review) }
        #expect(PluginCallError.exited(plugin: "exiter", op: "review", status: 3).description
                == "plugin 'exiter' exited (status 3) while handling 'review'")
    }

    @Test("a hung plugin is stopped at the timeout with an error naming it and the op")
    func hang() throws {
        let p = try Self.plugin("hung", ["FIXTURE_HANG"], timeout: 0.5)
        let started = Date()
        #expect(throws: PluginCallError.timedOut(plugin: "hung", op: "review", seconds: 0.5)) { try p.review(Self.review) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(PluginCallError.timedOut(plugin: "hung", op: "review", seconds: 30).description.hasPrefix(
            "plugin 'hung' did not answer 'review' within 30 s"))
        // The host was stopped; the next call starts a fresh one.
        #expect(try p.adapt(AdaptRequest(operation: "plan", component: .object([:]), stack: "s", workspace: "w", ci: false)).env
                == [EnvVar(name: "C_PLUGIN", value: "yes")])
    }

    @Test("printing {\"ok\":true} on stdout does not replace the real answer; the line is logged")
    func stdoutJSON() throws {
        var lines: [PluginLogLine] = []
        let p = try Self.plugin("chatty", ["FIXTURE_STDOUT_JSON"], log: { lines.append($0) })
        let findings = try p.validate(ValidateRequest(component: .object([:])))
        #expect(findings.map(\.message) == ["real answer"])
        #expect(findings.map(\.severity) == [.error])
        #expect(lines.contains(PluginLogLine(plugin: "chatty", level: "info", message: #"{"ok":true}"#, source: "stdout")), "\(lines)")
    }

    @Test("stderr noise becomes warning log lines attributed to the plugin; answers are unchanged")
    func stderrNoise() throws {
        var lines: [PluginLogLine] = []
        let p = try Self.plugin("noisy", ["FIXTURE_STDERR_NOISE"], log: { lines.append($0) })
        #expect(try p.review(Self.review).map(\.policy) == ["c.tags"])
        let stderrLines = lines.filter { $0.source == "stderr" }.map(\.message)
        #expect(stderrLines.prefix(4) == ["noise line one", "noise line two", "noise line one", "noise line two"], "\(lines)")
        #expect(lines.allSatisfy { $0.plugin == "noisy" })
        #expect(PluginLogLine(plugin: "noisy", level: "warning", message: "x", source: "stderr").text == "plugin 'noisy': x")
    }

    @Test("emitted log events reach the log sink with the plugin's name")
    func events() throws {
        var lines: [PluginLogLine] = []
        let p = try Self.plugin("emitter", [], log: { lines.append($0) })
        _ = try p.adapt(AdaptRequest(operation: "plan", component: .object([:]), stack: "s", workspace: "w", ci: false))
        #expect(lines == [PluginLogLine(plugin: "emitter", level: "info", message: "hello from c", source: "event")])
    }

    @Test("a malformed answer is an invalid response naming the plugin and op")
    func malformed() throws {
        let p = try Self.plugin("garbled", ["FIXTURE_MALFORMED"])
        #expect {
            try p.review(Self.review)
        } throws: { error in
            guard case PluginCallError.invalidResponse(let plugin, let op, let reason) = error else { return false }
            return plugin == "garbled" && op == "review" && reason.contains("this is not json")
        }
    }

    @Test("an ABI minor newer than kit's is refused, isolated and in-process")
    func abiMinorTooNew() throws {
        let dir = try LoaderFixtures.makeTempDir("minor")
        let path = try LoaderFixtures.compileCPlugin(name: "KitMinor", in: dir, defines: ["FIXTURE_ABI_MINOR=9"])
        let refusal = PluginLoadError.abiMinorTooNew(path: path, found: 9, supported: 1)
        #expect(refusal.description.hasPrefix("plugin '\(path)' was built for plugin ABI 1.9; this kit speaks ABI 1.1"))
        #expect(throws: refusal) { try LoaderFixtures.load([dir], isolated: false) }
        #expect(throws: PluginLoadError.hostFailed(path: path, reason: refusal.description)) { try LoaderFixtures.load([dir], isolated: true) }
    }

    @Test("in-process, a malformed answer and stdout output are handled without a subprocess")
    func inProcessMalformedAndStdout() throws {
        let dir = try LoaderFixtures.makeTempDir("inproc")
        _ = try LoaderFixtures.compileCPlugin(name: "KitInproc", in: dir, defines: ["FIXTURE_MALFORMED", "FIXTURE_STDOUT_JSON", #"FIXTURE_NAME="inproc""#])
        var lines: [PluginLogLine] = []
        let registry = try PluginRegistry.load(settings: PluginSettings(paths: [dir], isolated: false), basePath: "/",
                                               environment: [:], executablePath: "/nonexistent/bin/kit", log: { lines.append($0) })
        let p = try #require(registry.plugin(named: "inproc"))
        #expect(!p.isolated)
        #expect(try p.validate(ValidateRequest(component: .object([:]))).map(\.message) == ["real answer"])
        #expect(lines.contains { $0.source == "stdout" && $0.message == #"{"ok":true}"# }, "\(lines)")
        #expect { try p.review(Self.review) } throws: { error in
            guard case PluginCallError.invalidResponse(let plugin, let op, _) = error else { return false }
            return plugin == "inproc" && op == "review"
        }
    }
}

@Suite("plugin configuration")
struct PluginConfigurationTests {
    @Test("a pin of digits only (a YAML number) is an error; pins are strings")
    func digitOnlyPin() throws {
        let digits = String(repeating: "1", count: 64)
        let section = Value.map(["pins": .map(["aws": .double(Double(digits)!)])])
        #expect(throws: PluginConfigurationError.self) { try PluginConfiguration.settings(from: section) }
        let small = Value.map(["pins": .map(["aws": .int(12345)])])
        #expect(throws: PluginConfigurationError.pinNotString(name: "aws", found: "12345")) { try PluginConfiguration.settings(from: small) }
        #expect(PluginConfigurationError.pinNotString(name: "aws", found: "12345").description.contains("quote it"))
        let quoted = Value.map(["pins": .map(["aws": .string(digits)])])
        #expect(try PluginConfiguration.settings(from: quoted).pins == ["aws": digits])
        let short = Value.map(["pins": .map(["aws": .string("abc")])])
        #expect(throws: PluginConfigurationError.pinMalformed(name: "aws", found: "abc")) { try PluginConfiguration.settings(from: short) }
    }

    @Test("isolated: auto by default, true/false, and a timeout in seconds")
    func isolationAndTimeout() throws {
        #expect(try PluginConfiguration.settings(from: .map([:])).isolation == .auto)
        #expect(try PluginConfiguration.settings(from: .map([:])).timeout == PluginSettings.defaultTimeout)
        #expect(try PluginConfiguration.settings(from: .map(["isolated": .bool(true)])).isolation == .always)
        #expect(try PluginConfiguration.settings(from: .map(["isolated": .bool(false)])).isolation == .never)
        #expect(try PluginConfiguration.settings(from: .map(["timeout": .int(5)])).timeout == 5)
        #expect(try PluginConfiguration.settings(from: .map([:]), environment: ["KIT_PLUGIN_TIMEOUT": "0.5"]).timeout == 0.5)
        #expect(throws: PluginConfigurationError.badTimeout(source: "plugins.timeout", found: "-1")) {
            try PluginConfiguration.settings(from: .map(["timeout": .int(-1)]))
        }
        #expect(throws: PluginConfigurationError.badIsolation(source: "plugins.isolated", found: "maybe")) {
            try PluginConfiguration.settings(from: .map(["isolated": .string("maybe")]))
        }
    }

    @Test("spin_us: 100 by default, 0 turns polling off, whole microseconds up to 10000 only")
    func spinSetting() throws {
        #expect(try PluginConfiguration.settings(from: .map([:])).spinMicroseconds == 100)
        #expect(try PluginConfiguration.settings(from: .map(["spin_us": .int(0)])).spinMicroseconds == 0)
        #expect(try PluginConfiguration.settings(from: .map(["spin_us": .int(250)])).spinMicroseconds == 250)
        #expect(try PluginConfiguration.settings(from: .map(["spin_us": .int(250)]), environment: ["KIT_PLUGIN_SPIN_US": "0"]).spinMicroseconds == 0)
        for (value, shown) in [(Value.int(-1), "-1"), (.double(1.5), "1.5"), (.int(20_000), "20000"), (.string("fast"), "fast")] {
            #expect(throws: PluginConfigurationError.badSpin(source: "plugins.spin_us", found: shown)) {
                try PluginConfiguration.settings(from: .map(["spin_us": value]))
            }
        }
        #expect(throws: PluginConfigurationError.badSpin(source: "KIT_PLUGIN_SPIN_US", found: "lots")) {
            try PluginConfiguration.settings(from: .map([:]), environment: ["KIT_PLUGIN_SPIN_US": "lots"])
        }
        #expect(PluginConfigurationError.badSpin(source: "plugins.spin_us", found: "-1").description
                == "'plugins.spin_us' is '-1', not a whole number of microseconds from 0 to 10000 (0 turns polling off)")
    }
}
