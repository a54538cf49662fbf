import Foundation

/// `tools/azure-blob-fake/fake_blob_service.py` on a loopback port the kernel picks: one storage
/// account (`account`, key `accountKey`) with path-style addressing, checking Shared Key and SAS
/// signatures as Microsoft specifies them. Blobs are written with Microsoft's own client
/// (azure-storage-blob, installed by scripts/setup), so every upload also proves that the fake
/// accepts Microsoft's signer. Stop it with `stop()`.
final class AzureBlobFake {
    static let account = "kitstate"
    static let container = "tfstate"
    /// base64("kit-fake-account-key-not-a-secret-0001"): a made-up key.
    static let accountKey = Data("kit-fake-account-key-not-a-secret-0001".utf8).base64EncodedString()

    /// `http://127.0.0.1:<port>`.
    let origin: String
    private let server: RunningCommand
    private let logDirectory: String

    /// The account's blob service endpoint, as `settings.kit.azure.blob_endpoint` takes it.
    var blobEndpoint: String { origin + "/" + Self.account }

    /// Starts the service, waits for its "listening on" line, then creates the container.
    init() throws {
        logDirectory = try ScratchRepository.makeTempDirectory("azure-blob")
        let server = try RunningCommand(try IntegrationPaths.python(),
                                        [IntegrationPaths.packageRoot + "/tools/azure-blob-fake/fake_blob_service.py",
                                         "--port", "0", "--account", Self.account, "--key", Self.accountKey],
                                        cwd: logDirectory, environment: ProcessInfo.processInfo.environment,
                                        logDirectory: logDirectory, label: "azure-blob-fake")
        self.server = server
        do {
            try server.waitForOutput(containing: "listening on ", timeout: 30)
        } catch {
            kill(server.pid, SIGTERM)
            server.waitUntilExit()
            throw error
        }
        let line = RunningCommand.read(server.stdoutPath).split(separator: "\n").first { $0.hasPrefix("listening on ") } ?? ""
        origin = String(line.dropFirst("listening on ".count))
        do {
            try sdk("service.create_container(\"\(Self.container)\")")
        } catch {
            stop()
            throw error
        }
    }

    /// Uploads a file as a block blob with the account key, through azure-storage-blob.
    func upload(file: String, blob: String) throws {
        try sdk("""
        with open(\(Self.pythonString(file)), "rb") as f:
            service.get_blob_client("\(Self.container)", \(Self.pythonString(blob))).upload_blob(f.read(), overwrite=True)
        """)
    }

    /// An account SAS for the blob service (objects only) with `permission` (e.g. `r`), valid one hour,
    /// made by azure-storage-blob's `generate_account_sas`.
    func accountSAS(permission: String) throws -> String {
        try sdk("""
        import datetime
        from azure.storage.blob import generate_account_sas, ResourceTypes, AccountSasPermissions
        print(generate_account_sas(ACCOUNT, KEY, resource_types=ResourceTypes(object=True),
                                   permission=AccountSasPermissions.from_string("\(permission)"),
                                   expiry=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)))
        """).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The request lines the service logged so far (`GET /kitstate/tfstate/… 200`).
    var requests: [String] {
        RunningCommand.read(server.stderrPath).split(separator: "\n").map(String.init).filter { $0.hasPrefix("GET ") || $0.hasPrefix("PUT ") }
    }

    /// Stops the service and removes its log directory (kept with `KIT_TEST_KEEP=1`).
    func stop() {
        if server.isRunning {
            kill(server.pid, SIGTERM)
            server.waitUntilExit()
        }
        if ProcessInfo.processInfo.environment["KIT_TEST_KEEP"] != "1" { try? FileManager.default.removeItem(atPath: logDirectory) }
    }

    /// Runs a python snippet with `service` (a BlobServiceClient with the account key), `ACCOUNT`,
    /// `KEY` and `ENDPOINT` defined; returns its stdout.
    @discardableResult
    private func sdk(_ script: String) throws -> String {
        let prologue = """
        from azure.storage.blob import BlobServiceClient
        ACCOUNT = "\(Self.account)"
        KEY = "\(Self.accountKey)"
        ENDPOINT = "\(blobEndpoint)"
        service = BlobServiceClient(account_url=ENDPOINT, credential={"account_name": ACCOUNT, "account_key": KEY})

        """
        let result = try RunningCommand.run(try IntegrationPaths.python(), ["-c", prologue + script], cwd: logDirectory,
                                            environment: ProcessInfo.processInfo.environment, logDirectory: logDirectory,
                                            label: "python-azure-storage-blob", timeout: 60)
        guard result.status == 0 else {
            throw IntegrationSetupError("azure-storage-blob against the fake Blob service at \(origin) failed (status \(result.status)) — is azure-storage-blob installed (scripts/setup)?\n\(result.output)")
        }
        return result.stdout
    }

    private static func pythonString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
