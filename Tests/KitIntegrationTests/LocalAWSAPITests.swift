import Foundation
import Testing

extension KitIntegration {
    /// The local AWS API's own tests: `tools/moto-local/tests` (unittest with boto3 against
    /// `moto_local.py` on a free port), one per extension of moto — run here so CI runs them.
    @Suite("local AWS API (tools/moto-local)")
    struct LocalAWSAPITests {
        @Test("every extension of moto passes its boto3 tests against the wrapped server")
        func extensionsPassTheirTests() throws {
            let folder = IntegrationPaths.packageRoot + "/tools/moto-local"
            let logs = try ScratchRepository.makeTempDirectory("moto-local-tests")
            defer { try? FileManager.default.removeItem(atPath: logs) }
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in MotoServer.awsEnvironment { environment[key] = value }
            let result = try RunningCommand.run(try IntegrationPaths.python(), ["-m", "unittest", "discover", "-v", "-s", "tests", "-t", "."],
                                                cwd: folder, environment: environment, logDirectory: logs,
                                                label: "moto-local-unittest", timeout: 180)
            print("moto-local: \(String(format: "%.1f", result.seconds)) s, exit \(result.status)")
            #expect(result.status == 0, "tools/moto-local tests failed:\n\(result.output)")
            // unittest ends with "OK" on stderr, or "OK (skipped=N)" when a test was skipped: none may be.
            #expect(result.stderr.split(separator: "\n").last == "OK", "\(result.stderr)")
        }
    }
}
