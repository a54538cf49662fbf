import Foundation

/// `tools/azure-keyvault-fake/fake_key_vault.py` on loopback ports the kernel picks: Key Vault secrets
/// and an Azure AD token endpoint for one tenant and one service principal, over http (for kit's
/// plugin, which the stores allow with `insecure_allow_credential_with_http`) and https (self-signed,
/// for Microsoft's own SDK: `sdk(...)` runs `sdk_check.py`, so every value the tests put or read through
/// it also proves the fake speaks Key Vault as the SDK expects). Stop it with `stop()`.
final class KeyVaultFake {
    static let tenant = "00000000-0000-0000-0000-00000000c0de"
    static let clientID = "kit-tests"
    static let clientSecret = "fake-client-secret-not-a-secret"

    /// `http://127.0.0.1:<port>` and `https://127.0.0.1:<port>`, the same vault.
    let origin: String
    let secureOrigin: String
    private let server: RunningCommand
    private let logDirectory: String

    /// What kit needs to sign in against the fake.
    var environment: [String: String] {
        ["AZURE_TENANT_ID": Self.tenant, "AZURE_CLIENT_ID": Self.clientID, "AZURE_CLIENT_SECRET": Self.clientSecret,
         "AZURE_AUTHORITY_HOST": origin]
    }

    init() throws {
        logDirectory = try ScratchRepository.makeTempDirectory("keyvault")
        let server = try RunningCommand(try IntegrationPaths.python(),
                                        [IntegrationPaths.packageRoot + "/tools/azure-keyvault-fake/fake_key_vault.py", "--tls",
                                         "--tenant", Self.tenant, "--client", "\(Self.clientID):\(Self.clientSecret)"],
                                        cwd: logDirectory, environment: ProcessInfo.processInfo.environment,
                                        logDirectory: logDirectory, label: "keyvault-fake")
        self.server = server
        do {
            try server.waitForOutput(containing: "listening on http://", timeout: 30)
        } catch {
            kill(server.pid, SIGTERM)
            server.waitUntilExit()
            throw error
        }
        let lines = RunningCommand.read(server.stdoutPath).split(separator: "\n")
        origin = String(lines.first { $0.hasPrefix("listening on http://") }?.dropFirst("listening on ".count) ?? "")
        secureOrigin = String(lines.first { $0.hasPrefix("listening on https://") }?.dropFirst("listening on ".count) ?? "")
    }

    /// Runs `sdk_check.py <https origin> … <arguments>` (Microsoft's azure-keyvault-secrets); returns stdout.
    @discardableResult
    func sdk(_ arguments: [String]) throws -> String {
        let result = try RunningCommand.run(try IntegrationPaths.python(),
                                            ["-W", "ignore", IntegrationPaths.packageRoot + "/tools/azure-keyvault-fake/sdk_check.py",
                                             secureOrigin, Self.tenant, Self.clientID, Self.clientSecret] + arguments,
                                            cwd: logDirectory, environment: ProcessInfo.processInfo.environment,
                                            logDirectory: logDirectory, label: "keyvault-sdk", timeout: 60)
        guard result.status == 0 else {
            throw IntegrationSetupError("azure-keyvault-secrets against the fake failed (status \(result.status)) — is it installed (scripts/setup)?\n\(result.output)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The request lines the fake logged (`PUT /secrets/dev-producer-vpc-id 200`).
    var requests: [String] { RunningCommand.read(server.stderrPath).split(separator: "\n").map(String.init) }

    func stop() {
        if server.isRunning {
            kill(server.pid, SIGTERM)
            server.waitUntilExit()
        }
        if ProcessInfo.processInfo.environment["KIT_TEST_KEEP"] != "1" { try? FileManager.default.removeItem(atPath: logDirectory) }
    }
}
