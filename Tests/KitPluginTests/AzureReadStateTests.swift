import KitPluginSDK
import KitPluginTesting
import Testing
@testable import KitAzure

/// `read_state` for `azurerm` in the Azure plugin: Shared Key signing, terraform's blob names,
/// endpoints, credentials and the answers by status. (The whole path against a Blob service that
/// checks signatures is in the integration suite "state references on azurerm".)
@Suite("azurerm read_state")
struct AzureReadStateTests {
    /// base64 of "kit-test-account-key-0123456789abcdef" (not a real key).
    static let accountKey = "a2l0LXRlc3QtYWNjb3VudC1rZXktMDEyMzQ1Njc4OWFiY2RlZg=="
    static let backend: JSONValue = .object([
        "storage_account_name": .string("acct"), "container_name": .string("tfstate"), "key": .string("slow/terraform.tfstate"),
        "resource_group_name": .string("rg-state"),
    ])
    static let keyEnv = ["ARM_ACCESS_KEY": accountKey]

    func reader(_ backend: JSONValue = backend, workspace: String = "default", env: [String: String] = keyEnv) throws -> AzureBlobStateReader {
        try AzureBlobStateReader(request: ReadStateRequest(backendType: "azurerm", backend: backend, workspace: workspace, env: env))
    }

    // MARK: Shared Key

    /// Vectors computed by Microsoft's own signer, azure-storage-blob 12.31.1's `SharedKeyCredentialPolicy`
    /// (`tools/azure-blob-fake/shared_key_vector.py` prints them): a GET with only `x-ms-date` and
    /// `x-ms-version`, once on the public endpoint (a workspace blob name, `:` encoded) and once
    /// path-style on an emulator endpoint (the account appears twice in the canonicalized resource).
    @Test(arguments: [
        ("acct", "/tfstate/slow/terraform.tfstateenv%3Aprod", "SharedKey acct:I3CyQ5pEk4IBfl0H/t0mw0GHDuYsbCGB2ANfaahLT4k="),
        ("devacct", "/devacct/tfstate/k.tfstate", "SharedKey devacct:5Q+tSqoFS0sFWwtHlsLHxV2qufHyJUFVCt9o6rhrdjY="),
    ])
    func sharedKeyMatchesTheAzureSDK(account: String, path: String, authorization: String) throws {
        let signer = try #require(AzureSharedKey(account: account, base64Key: Self.accountKey))
        let headers = signer.signedGetHeaders(path: path, date: "Mon, 30 Nov 2026 02:52:24 GMT", version: "2021-12-02")
        #expect(headers["Authorization"] == authorization)
        #expect(headers["x-ms-date"] == "Mon, 30 Nov 2026 02:52:24 GMT" && headers["x-ms-version"] == "2021-12-02")
    }

    /// The canonicalized headers and resource as the specification lays them out.
    @Test func stringToSignFollowsTheSpecification() throws {
        let signer = try #require(AzureSharedKey(account: "myaccount", base64Key: Self.accountKey))
        let text = signer.stringToSign(method: "put", path: "/mycontainer/a%20b",
                                       query: [("comp", "metadata"), ("Restype", "container"), ("comp", "block")],
                                       headers: ["Content-Length": "0", "Content-Type": "text/plain", "x-ms-version": "2021-12-02",
                                                 "X-MS-Date": "Mon, 30 Nov 2026 02:52:24 GMT", "x-ms-meta-name": "  a   b  "])
        #expect(text == "PUT\n\n\n\n\ntext/plain\n\n\n\n\n\n\n"
            + "x-ms-date:Mon, 30 Nov 2026 02:52:24 GMT\nx-ms-meta-name:a b\nx-ms-version:2021-12-02\n"
            + "/myaccount/mycontainer/a%20b\ncomp:block,metadata\nrestype:container")
        #expect(AzureSharedKey(account: "a", base64Key: "not base64!") == nil)
    }

    @Test func httpDatesAndBlobPaths() {
        #expect(AzureSharedKey.httpDate(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(AzureSharedKey.httpDate(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(AzureSharedKey.httpDate(secondsSince1970: 1_796_007_144) == "Mon, 30 Nov 2026 02:52:24 GMT")
        #expect(AzureSharedKey.encodePath(["tfstate", "a b/terraform.tfstateenv:prod"]) == "/tfstate/a%20b/terraform.tfstateenv%3Aprod")
    }

    // MARK: addressing and credentials

    @Test func blobNameFollowsTerraform() {
        #expect(AzureBlobStateReader.blobName(key: "t.tfstate", workspace: "default") == "t.tfstate")
        #expect(AzureBlobStateReader.blobName(key: "t.tfstate", workspace: "") == "t.tfstate")
        #expect(AzureBlobStateReader.blobName(key: "t.tfstate", workspace: "prod") == "t.tfstateenv:prod")
    }

    @Test func endpointsByCloudAndOverride() throws {
        let publicCloud = try reader(workspace: "prod")
        let request = publicCloud.signedRequest(date: "Mon, 30 Nov 2026 02:52:24 GMT")
        #expect(request.url == "https://acct.blob.core.windows.net/tfstate/slow/terraform.tfstateenv%3Aprod")
        #expect(request.headers["Authorization"]?.hasPrefix("SharedKey acct:") == true)

        let china = try reader(Self.backend.setting(["environment"], to: .string("china")))
        #expect(china.endpoint == "https://acct.blob.core.chinacloudapi.cn")
        let government = try reader(env: Self.keyEnv.merging(["ARM_ENVIRONMENT": "usgovernment"]) { $1 })
        #expect(government.endpoint == "https://acct.blob.core.usgovcloudapi.net")

        let emulator = try reader(env: Self.keyEnv.merging(["KIT_AZURE_BLOB_ENDPOINT": "http://127.0.0.1:10000/acct/"]) { $1 })
        #expect(emulator.signedRequest(date: "x").url == "http://127.0.0.1:10000/acct/tfstate/slow/terraform.tfstate")
        #expect(emulator.path == "/acct/tfstate/slow/terraform.tfstate")

        let custom = caughtPluginError { _ = try reader(Self.backend.setting(["metadata_host"], to: .string("management.example"))) }
        #expect(custom?.code == "unsupported_op")
        #expect(custom?.message.contains("settings.kit.azure.blob_endpoint") == true, "\(String(describing: custom))")
    }

    @Test func accessKeyWinsOverSASAndTheSASTokenGoesInTheQuery() throws {
        let both = try reader(Self.backend.setting(["sas_token"], to: .string("?sv=1&sig=abc")))
        guard case .sharedKey(_, let source) = both.credential else { Issue.record("not shared key"); return }
        #expect(source == "ARM_ACCESS_KEY")

        let sas = try reader(env: ["ARM_SAS_TOKEN": "?sv=2021-12-02&ss=b&srt=o&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=c2ln%3D"])
        let request = sas.signedRequest(date: "Mon, 30 Nov 2026 02:52:24 GMT")
        #expect(request.url == "https://acct.blob.core.windows.net/tfstate/slow/terraform.tfstate?sv=2021-12-02&ss=b&srt=o&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=c2ln%3D")
        #expect(request.headers["Authorization"] == nil)
    }

    @Test func withoutAKeyOrTokenKitAsksTerraform() throws {
        let none = caughtPluginError { _ = try reader(env: [:]) }
        #expect(none?.code == "unsupported_op")
        #expect(none?.message.contains("no access key or SAS token") == true, "\(String(describing: none))")
        let azureAD = caughtPluginError { _ = try reader(Self.backend.setting(["use_azuread_auth"], to: .bool(true)), env: [:]) }
        #expect(azureAD?.message.contains("Azure AD authentication (use_azuread_auth) is not supported yet") == true)
        let invalid = caughtPluginError { _ = try reader(env: ["ARM_ACCESS_KEY": "not base64!"]) }
        #expect(invalid?.code == "azurerm_state")
        #expect(invalid?.message == "the access key from ARM_ACCESS_KEY is not valid base64")
        let noAccount = caughtPluginError { _ = try reader(Self.backend.setting(["storage_account_name"], to: nil)) }
        #expect(noAccount?.message == "the azurerm backend has no 'storage_account_name'")
    }

    // MARK: answers

    @Test func answersByStatus() throws {
        let reader = try reader(workspace: "prod")
        func answer(_ status: Int, _ body: String, code: String? = nil) -> AzureBlobStateReader.Transport {
            { url, headers, _ in
                #expect(url == "https://acct.blob.core.windows.net/tfstate/slow/terraform.tfstateenv%3Aprod")
                #expect(headers["Authorization"] != nil && headers["x-ms-date"] != nil && headers["x-ms-version"] != nil)
                return (status, code.map { ["x-ms-error-code": $0] } ?? [:], Array(body.utf8))
            }
        }
        let state = try reader.read(transport: answer(200, #"{"version":4,"outputs":{"id":{"value":"vnet-1","type":"string"}}}"#))
        #expect(state == .state(.object(["version": .int(4), "outputs": .object(["id": .object(["value": .string("vnet-1"), "type": .string("string")])])])))
        let location = "blob 'slow/terraform.tfstateenv:prod' in container 'tfstate' of storage account 'acct'"
        #expect(try reader.read(transport: answer(404, "", code: "BlobNotFound")) == .missing(detail: "no state \(location)"))
        // The code from the XML body when the header is absent.
        let container = caughtPluginError { _ = try reader.read(transport: answer(404, "<Error><Code>ContainerNotFound</Code></Error>")) }
        #expect(container?.message.hasPrefix("container 'tfstate' does not exist in storage account 'acct'") == true, "\(String(describing: container))")

        let denied = caughtPluginError { _ = try reader.read(transport: answer(403, "<Error><Code>AuthenticationFailed</Code></Error>")) }
        #expect(denied?.code == "azurerm_access_denied")
        #expect(denied?.message == "reading state \(location) was refused (HTTP 403 AuthenticationFailed) with the access key from ARM_ACCESS_KEY")
        #expect(denied?.hint?.contains("a current key of storage account 'acct'") == true)
        #expect(denied.map { "\($0.message) \($0.hint ?? "")".contains(Self.accountKey) } == false)

        let other = caughtPluginError { _ = try reader.read(transport: answer(500, "", code: "InternalError")) }
        #expect(other?.message == "reading state \(location) at https://acct.blob.core.windows.net failed: HTTP 500 InternalError")
        let garbage = caughtPluginError { _ = try reader.read(transport: answer(200, "<html>")) }
        #expect(garbage?.message.contains("is not a terraform state document") == true)
    }

    @Test func aRefusedSASTokenIsNeverShown() throws {
        let token = "sv=2021-12-02&ss=b&srt=o&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=SECRETSIG"
        let reader = try reader(Self.backend.setting(["sas_token"], to: .string(token)), env: [:])
        let denied = caughtPluginError {
            _ = try reader.read(transport: { url, _, _ in
                #expect(url.hasSuffix("?" + token))
                throw AzureBlobStateReader.failure("cannot reach '\(url)': refused")
            })
        }
        #expect(denied?.message.contains("SECRETSIG") == false, "\(String(describing: denied))")
        let refused = caughtPluginError { _ = try reader.read(transport: { _, _, _ in (403, ["x-ms-error-code": "AuthorizationPermissionMismatch"], []) }) }
        #expect(refused?.message.hasSuffix("(HTTP 403 AuthorizationPermissionMismatch) with the SAS token from terraform.backend.azurerm.sas_token") == true,
                "\(String(describing: refused))")
        #expect(refused?.hint?.contains("grants read ('sp' includes 'r') on container 'tfstate'") == true)
        #expect("\(String(describing: refused))".contains("SECRETSIG") == false)
    }

    @Test func thePluginReadsOnlyAzurermAndExportsTheEndpointSetting() throws {
        let harness = PluginHarness(AzurePlugin.self)
        let other = harness.exchange(ReadStateRequest(backendType: "s3", backend: .object([:]), workspace: "", env: [:]).json)
        #expect(other.response["error"]?["code"] == .string("unsupported_op"))
        // Through the C table: a closed port is an error naming the URL and what to check.
        let unreachable = caughtPluginError {
            _ = try harness.readState(backendType: "azurerm", backend: Self.backend,
                                      env: Self.keyEnv.merging(["KIT_AZURE_BLOB_ENDPOINT": "http://127.0.0.1:9/acct"]) { $1 })
        }
        #expect(unreachable?.message.hasPrefix("cannot reach 'http://127.0.0.1:9/acct/tfstate/slow/terraform.tfstate': ") == true, "\(String(describing: unreachable))")
        #expect(unreachable?.hint?.contains("settings.kit.azure.blob_endpoint") == true)
        let component: JSONValue = .object(["backend_type": .string("azurerm"), "backend": Self.backend,
                                            "settings": .object(["kit": .object(["azure": .object(["blob_endpoint": .string("http://127.0.0.1:10000/acct")])])])])
        let adapted = try harness.adapt(component: component)
        #expect(adapted.env.contains(EnvVar(name: "KIT_AZURE_BLOB_ENDPOINT", value: "http://127.0.0.1:10000/acct", secret: false)))
    }
}
