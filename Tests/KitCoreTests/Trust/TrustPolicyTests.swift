import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The kernel's untrusted-mode pieces, without the CLI.
@Suite("trust policy")
struct TrustPolicyTests {
    @Test("--untrusted wins; KIT_UNTRUSTED=1/true is untrusted, 0/false/empty/unset trusted, anything else an error")
    func fromFlagAndEnvironment() throws {
        #expect(try TrustPolicy.from(flag: true, environment: ["KIT_UNTRUSTED": "0"]) == .untrusted)
        for on in ["1", "true", "TRUE", "yes", "on"] {
            #expect(try TrustPolicy.from(flag: false, environment: ["KIT_UNTRUSTED": on]) == .untrusted, "\(on)")
        }
        for off in ["0", "false", "no", "off", ""] {
            #expect(try TrustPolicy.from(flag: false, environment: ["KIT_UNTRUSTED": off]) == .trusted, "\(off)")
        }
        #expect(try TrustPolicy.from(flag: false, environment: [:]) == .trusted)
        #expect(throws: ConfigError.self) { try TrustPolicy.from(flag: false, environment: ["KIT_UNTRUSTED": "maybe"]) }
    }

    @Test("the evaluator refuses !exec without running it and !env without reading it; trusted, both work")
    func yamlFunctions() throws {
        let ran = UntrustedRunCounter()
        var evaluator = YAMLFunctionEvaluator(environment: ["SECRET": "s3cr3t"], workingDirectory: "/") { _, _, _ in
            ran.mark()
            return (0, Array("out".utf8))
        }
        let templates = GoTemplateRendering(environment: [:])
        #expect(try evaluator.evaluate("!exec", "!exec echo", templates: templates, data: .emptyMap, repositoryBase: "/") == .string("out"))
        #expect(try evaluator.evaluate("!env", "!env SECRET", templates: templates, data: .emptyMap, repositoryBase: "/") == .string("s3cr3t"))
        #expect(ran.count == 1)
        evaluator.trust = .untrusted
        for (fn, text, rule) in [("!exec", "!exec echo", "no-exec"), ("!env", "!env SECRET", "no-environment")] {
            do {
                _ = try evaluator.evaluate(fn, text, templates: templates, data: .emptyMap, repositoryBase: "/")
                Issue.record("\(fn) was not refused")
            } catch let f as YAMLFunctionEvaluator.Failure {
                #expect(f.message.contains("rule '\(rule)'") && f.message.contains("--untrusted") && !f.message.contains("s3cr3t"), "\(f.message)")
            }
        }
        #expect(ran.count == 1)
    }

    @Test("template env, expandenv and env.Getenv are refused in untrusted mode and read the environment otherwise",
          arguments: ["{{ env \"SECRET\" }}", "{{ expandenv \"$SECRET\" }}", "{{ env.Getenv \"SECRET\" }}"])
    func templateEnvironment(text: String) throws {
        let trusted = GoTemplateRendering(environment: ["SECRET": "s3cr3t"], gomplate: true)
        #expect(try trusted.render(text, name: "t", data: .emptyMap, ignoreMissing: false) == "s3cr3t")
        let untrusted = GoTemplateRendering(environment: ["SECRET": "s3cr3t"], gomplate: true, trust: .untrusted)
        do {
            _ = try untrusted.render(text, name: "t", data: .emptyMap, ignoreMissing: false)
            Issue.record("\(text) was not refused")
        } catch {
            #expect("\(error)".contains("rule 'no-environment'") && "\(error)".contains("--untrusted") && !"\(error)".contains("s3cr3t"), "\(error)")
        }
    }

    @Test("plugin digests are swift-crypto's SHA-256 (FIPS 180-4 vectors) and agree with the SDK's on a large file")
    func fileDigest() throws {
        #expect(FileDigest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(FileDigest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kit-digest-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try PluginFileCheck.sha256(path: path, display: path) == FileDigest.hex(bytes))
    }
}

/// Counts calls of a fake command runner.
final class UntrustedRunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func mark() { lock.lock(); n += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return n }
}
