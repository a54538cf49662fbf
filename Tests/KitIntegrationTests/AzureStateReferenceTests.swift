import Foundation
import Testing

extension KitIntegration {
    /// `!terraform.state` on an azurerm backend: the Azure plugin reads the state blob itself
    /// (`read_state`) from a loopback Blob service that checks Shared Key and SAS signatures
    /// (`tools/azure-blob-fake`), so no terraform runs for the reference.
    ///
    /// terraform's azurerm backend cannot be pointed at loopback (its blob URL is always
    /// `https://<account>.blob.<cloud suffix>`, and `metadata_host` is fetched over HTTPS), so slow's
    /// state blob is the state document a real local-backend apply wrote (stack `azure-seed`),
    /// uploaded with Microsoft's azure-storage-blob client under terraform's blob name for the
    /// workspace (`<key>env:<workspace>`).
    @Suite("state references on azurerm")
    struct AzureStateReferenceTests {
        static let stack = "azure-state"
        static let blob = "estate/slow.terraform.tfstateenv:azure-state"

        /// Deploys slow in the local `azure-seed` stack and returns its state file.
        static func seedState(_ repo: ScratchRepository) throws -> String {
            let seed = try repo.kit(["terraform", "deploy", "slow", "-s", "azure-seed"])
            guard seed.status == 0 else { throw IntegrationSetupError("deploy slow -s azure-seed failed:\n\(seed.output)") }
            guard let file = repo.allFiles().first(where: { $0.contains("azure-seed") && $0.hasSuffix("terraform.tfstate") }) else {
                throw IntegrationSetupError("no local state file for slow in azure-seed:\n\(repo.allFiles().joined(separator: "\n"))")
            }
            return repo.path(file)
        }

        @Test("shared key: no blob yet is 'no state yet'; the uploaded blob flows into relay (state_reads=1 output_reads=0); a wrong key is a clear 403")
        func sharedKey() throws {
            let blobs = try AzureBlobFake()
            defer { blobs.stop() }
            let repo = try ScratchRepository.cases("azure-state-key", azureBlobEndpoint: blobs.blobEndpoint)
            defer { repo.remove() }
            repo.extraEnvironment = ["ARM_ACCESS_KEY": AzureBlobFake.accountKey, "KIT_STATS": "1"]

            let before = try repo.kit(["terraform", "plan", "relay", "-s", Self.stack])
            #expect(before.status == 1, "\(before.output)")
            #expect(before.stderr.contains("component 'slow' in stack 'azure-state' has no state yet (no state blob '\(Self.blob)' in container 'tfstate' of storage account 'kitstate')"),
                    "\(before.stderr)")

            try blobs.upload(file: try Self.seedState(repo), blob: Self.blob)
            let relay = try repo.kit(["terraform", "deploy", "relay", "-s", Self.stack])
            #expect(relay.status == 0, "deploy relay failed:\n\(relay.output)")
            #expect(relay.stderr.contains("state_reads=1 output_reads=0"), "the reference was not read by the plugin:\n\(relay.stderr)")
            #expect(try EstateTests.outputs(repo, "relay", Self.stack)["upstream"] as? String == "from-azurerm-state")
            // The plugin's GETs, as the service logged them: the plan before the upload (404), then
            // deploy and output (relay's vars are resolved for `output` too), one GET each.
            let path = "GET /kitstate/tfstate/estate/slow.terraform.tfstateenv%3Aazure-state"
            #expect(blobs.requests.filter { $0.hasPrefix("GET ") } == [path + " 404 BlobNotFound", path + " 200", path + " 200"], "\(blobs.requests)")

            let wrongKey = Data("not-the-account-key".utf8).base64EncodedString()
            repo.extraEnvironment = ["ARM_ACCESS_KEY": wrongKey]
            let denied = try repo.kit(["terraform", "plan", "relay", "-s", Self.stack])
            #expect(denied.status == 1, "\(denied.output)")
            #expect(denied.stderr.contains("reading state blob '\(Self.blob)' in container 'tfstate' of storage account 'kitstate' was refused (HTTP 403 AuthenticationFailed) with the access key from ARM_ACCESS_KEY"),
                    "\(denied.stderr)")
            #expect(denied.stderr.contains("a current key of storage account 'kitstate'"), "\(denied.stderr)")
            #expect(!denied.output.contains(wrongKey) && !denied.output.contains(AzureBlobFake.accountKey), "a key was printed:\n\(denied.output)")
        }

        @Test("SAS token: an account SAS with read reads the blob; one without read is a clear 403 that never shows the token")
        func sasToken() throws {
            let blobs = try AzureBlobFake()
            defer { blobs.stop() }
            let repo = try ScratchRepository.cases("azure-state-sas", azureBlobEndpoint: blobs.blobEndpoint)
            defer { repo.remove() }
            try blobs.upload(file: try Self.seedState(repo), blob: Self.blob)

            let readable = try blobs.accountSAS(permission: "r")
            repo.extraEnvironment = ["ARM_SAS_TOKEN": readable, "KIT_STATS": "1"]
            let plan = try repo.kit(["terraform", "plan", "relay", "-s", Self.stack])
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.stderr.contains("state_reads=1 output_reads=0"), "\(plan.stderr)")
            #expect(plan.output.contains("from-azurerm-state"), "the plan does not show the value read through the SAS:\n\(plan.output)")

            let writeOnly = try blobs.accountSAS(permission: "w")
            repo.extraEnvironment = ["ARM_SAS_TOKEN": writeOnly]
            let denied = try repo.kit(["terraform", "plan", "relay", "-s", Self.stack])
            #expect(denied.status == 1, "\(denied.output)")
            #expect(denied.stderr.contains("was refused (HTTP 403 AuthorizationPermissionMismatch) with the SAS token from ARM_SAS_TOKEN"), "\(denied.stderr)")
            let signature = writeOnly.split(separator: "&").first { $0.hasPrefix("sig=") }.map { String($0.dropFirst(4)) } ?? writeOnly
            #expect(!denied.output.contains(signature) && !denied.output.contains(writeOnly), "the SAS token was printed:\n\(denied.output)")
        }
    }
}
