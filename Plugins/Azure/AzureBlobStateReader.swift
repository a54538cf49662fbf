import Foundation
import KitPluginSDK

extension AzurePlugin {
    /// `read_state` for the `azurerm` backend: GETs the workspace's state blob with Shared Key or SAS
    /// authorization (see `AzureBlobStateReader`). Other backend types answer `unsupported_op`.
    public func readState(_ request: ReadStateRequest, events: PluginEventSink) throws -> ReadStateResponse {
        guard request.backendType == "azurerm" else {
            throw PluginError.unsupportedOp("read_state", reason: "the azure plugin reads only 'azurerm' state, not '\(request.backendType)'")
        }
        return try AzureBlobStateReader(request: request).read(transport: AzureBlobTransport.blockingHTTP)
    }
}

/// Reads a terraform state blob the way terraform's `azurerm` backend addresses it.
///
/// - Blob name: `key` in the default workspace (`""` or `default`), else `<key>env:<workspace>`.
/// - Endpoint: `KIT_AZURE_BLOB_ENDPOINT` (from `settings.kit.azure.blob_endpoint`: the account's blob
///   service endpoint, e.g. `http://127.0.0.1:10000/devstoreaccount1` for an emulator), else
///   `https://<storage_account_name>.blob.<suffix>` with the suffix of the backend's `environment`
///   (or `ARM_ENVIRONMENT`): `public` → `core.windows.net`, `usgovernment` → `core.usgovcloudapi.net`,
///   `china` → `core.chinacloudapi.cn`. A `metadata_host` (custom cloud) without `blob_endpoint` is
///   `unsupported_op`.
/// - Credentials, in terraform's order: `access_key` or `ARM_ACCESS_KEY` (Shared Key), else
///   `sas_token` or `ARM_SAS_TOKEN` (appended to the query). Without either — Azure AD, managed
///   identity, OIDC, client secret or certificate, or looking the key up through the resource group —
///   the answer is `unsupported_op` and kit asks terraform instead.
/// - Answers: 200 → the state document; 404 `BlobNotFound` → missing; 404 `ContainerNotFound` → an
///   error; 403 → an error naming the account, container, blob and which credential was used.
///   Neither the key nor the SAS token ever appears in a message.
struct AzureBlobStateReader {
    /// One HTTP GET: URL and headers in; status, response headers (lowercased names) and body out.
    typealias Transport = @Sendable (_ url: String, _ headers: [String: String], _ timeout: Double) throws
        -> (status: Int, headers: [String: String], body: [UInt8])

    /// How the request is authorized, and where the secret came from (for messages).
    enum Credential {
        case sharedKey(AzureSharedKey, source: String)
        case sas(token: String, source: String)

        var source: String {
            switch self {
            case .sharedKey(_, let source), .sas(_, let source): return source
            }
        }
    }

    /// The Blob service version kit asks for.
    static let serviceVersion = "2021-12-02"

    let account: String
    let container: String
    let blobName: String
    /// The account's blob service endpoint, without a trailing slash.
    let endpoint: String
    let credential: Credential
    /// Seconds one GET may take.
    var timeout: Double = 30

    init(request: ReadStateRequest) throws {
        let backend = request.backend.objectValue ?? [:]
        let env = request.env
        func string(_ key: String) -> String? { azureNonEmpty(backend[key]) }
        func fromEnv(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }

        guard let account = string("storage_account_name") else {
            throw Self.failure("the azurerm backend has no 'storage_account_name'", hint: "set terraform.backend.azurerm.storage_account_name")
        }
        guard let container = string("container_name") else {
            throw Self.failure("the azurerm backend has no 'container_name'", hint: "set terraform.backend.azurerm.container_name")
        }
        guard let key = string("key") else { throw Self.failure("the azurerm backend has no 'key'", hint: "set terraform.backend.azurerm.key") }
        self.account = account
        self.container = container
        blobName = Self.blobName(key: key, workspace: request.workspace)
        credential = try Self.credential(account: account, backend: backend, env: env)

        if var custom = fromEnv("KIT_AZURE_BLOB_ENDPOINT") {
            if !custom.contains("://") { custom = "https://" + custom }
            while custom.hasSuffix("/") { custom.removeLast() }
            endpoint = custom
        } else {
            if string("metadata_host") != nil || fromEnv("ARM_METADATA_HOSTNAME") != nil || fromEnv("ARM_METADATA_HOST") != nil {
                throw PluginError.unsupportedOp("read_state", reason: "the azurerm backend uses a metadata host (a custom cloud), whose blob endpoint kit does not look up; set settings.kit.azure.blob_endpoint")
            }
            let environment = (string("environment") ?? fromEnv("ARM_ENVIRONMENT") ?? "public").lowercased()
            guard let suffix = Self.storageSuffixes[environment] else {
                throw PluginError.unsupportedOp("read_state", reason: "kit does not know the blob endpoint of Azure environment '\(environment)'; set settings.kit.azure.blob_endpoint")
            }
            endpoint = "https://\(account).blob.\(suffix)"
        }
    }

    /// Storage endpoint suffixes of the clouds terraform's `environment` names.
    static let storageSuffixes = ["public": "core.windows.net", "usgovernment": "core.usgovcloudapi.net", "china": "core.chinacloudapi.cn"]

    /// terraform's blob name for a workspace.
    static func blobName(key: String, workspace: String) -> String {
        workspace.isEmpty || workspace == "default" ? key : key + "env:" + workspace
    }

    /// The access key or SAS token, in terraform's order, or `unsupported_op` naming what is missing.
    static func credential(account: String, backend: [String: JSONValue], env: [String: String]) throws -> Credential {
        func pick(_ backendKey: String, _ envKey: String) -> (String, String)? {
            if let s = azureNonEmpty(backend[backendKey]) { return (s, "terraform.backend.azurerm.\(backendKey)") }
            if let s = env[envKey], !s.isEmpty { return (s, envKey) }
            return nil
        }
        if let (key, source) = pick("access_key", "ARM_ACCESS_KEY") {
            guard let signer = AzureSharedKey(account: account, base64Key: key) else {
                throw failure("the access key from \(source) is not valid base64", hint: "copy key1 or key2 of storage account '\(account)' again (az storage account keys list)")
            }
            return .sharedKey(signer, source: source)
        }
        if let (token, source) = pick("sas_token", "ARM_SAS_TOKEN") {
            var trimmed = Substring(token.trimmingCharacters(in: .whitespaces))
            if trimmed.hasPrefix("?") { trimmed = trimmed.dropFirst() }
            return .sas(token: String(trimmed), source: source)
        }
        var reason = "no access key or SAS token (access_key or ARM_ACCESS_KEY, sas_token or ARM_SAS_TOKEN)"
        if backend["use_azuread_auth"]?.boolValue == true || env["ARM_USE_AZUREAD"] == "true" {
            reason += "; Azure AD authentication (use_azuread_auth) is not supported yet"
        } else {
            reason += "; Azure AD, managed identity, OIDC, client secrets and looking the key up through the resource group are not supported yet"
        }
        throw PluginError.unsupportedOp("read_state", reason: reason)
    }

    /// Where the blob is, for messages: `blob 'k' in container 'c' of storage account 'a'`.
    var location: String { "blob '\(blobName)' in container '\(container)' of storage account '\(account)'" }

    /// The blob's URL path (URI-encoded), including any base path of a path-style endpoint.
    var path: String {
        let authority = endpoint.split(separator: "://", maxSplits: 1).last.map(String.init) ?? endpoint
        let parts = authority.split(separator: "/", maxSplits: 1)
        let base = parts.count > 1 ? "/" + parts[1] : ""
        return base + AzureSharedKey.encodePath([container, blobName])
    }

    /// The URL to GET (with the SAS token's query for SAS) and its headers at `date`.
    func signedRequest(date: String) -> (url: String, headers: [String: String]) {
        let scheme = endpoint.hasPrefix("http://") ? "http" : "https"
        let authority = endpoint.split(separator: "://", maxSplits: 1).last.map(String.init) ?? endpoint
        let host = authority.split(separator: "/", maxSplits: 1).first.map(String.init) ?? authority
        let url = "\(scheme)://\(host)\(path)"
        switch credential {
        case .sharedKey(let signer, _):
            return (url, signer.signedGetHeaders(path: path, date: date, version: Self.serviceVersion))
        case .sas(let token, _):
            return (url + "?" + token, ["x-ms-date": date, "x-ms-version": Self.serviceVersion])
        }
    }

    /// GETs the blob and turns the answer into a `ReadStateResponse`.
    func read(transport: Transport, now: Int = Int(Date().timeIntervalSince1970)) throws -> ReadStateResponse {
        let request = signedRequest(date: AzureSharedKey.httpDate(secondsSince1970: now))
        let answer: (status: Int, headers: [String: String], body: [UInt8])
        do { answer = try transport(request.url, request.headers, timeout) } catch let e as PluginError {
            throw PluginError(code: e.code, message: redacted(e.message), hint: e.hint)
        }
        let code = answer.headers["x-ms-error-code"] ?? Self.errorCode(answer.body)
        let codeText = code.map { " \($0)" } ?? ""
        switch answer.status {
        case 200:
            guard let document = try? answer.body.withUnsafeBytes({ try JSONValue.parse(bytes: $0) }), case .object = document else {
                throw Self.failure("\(location) is not a terraform state document (not a json object)")
            }
            return .state(document)
        case 404 where code == "ContainerNotFound":
            throw Self.failure("container '\(container)' does not exist in storage account '\(account)' (reading \(location) at \(endpoint))",
                               hint: "check terraform.backend.azurerm.container_name and storage_account_name")
        case 404:
            return .missing(detail: "no state \(location)")
        case 403:
            throw PluginError(code: "azurerm_access_denied",
                              message: "reading state \(location) was refused (HTTP 403\(codeText)) with the \(credentialName) from \(credential.source)",
                              hint: credentialHint)
        default:
            throw Self.failure("reading state \(location) at \(endpoint) failed: HTTP \(answer.status)\(codeText)")
        }
    }

    private var credentialName: String {
        if case .sas = credential { return "SAS token" }
        return "access key"
    }

    private var credentialHint: String {
        switch credential {
        case .sharedKey(_, let source):
            return "check that \(source) holds a current key of storage account '\(account)' (az storage account keys list), that shared key access is allowed on the account, and that this machine's clock is right"
        case .sas(_, let source):
            return "check that the SAS token in \(source) has not expired, grants read ('sp' includes 'r') on container '\(container)', and was issued for storage account '\(account)'"
        }
    }

    /// `message` with the SAS token removed (a transport error may quote the URL).
    func redacted(_ message: String) -> String {
        guard case .sas(let token, _) = credential, !token.isEmpty else { return message }
        return message.replacingOccurrences(of: token, with: "<sas token redacted>")
    }

    /// The `<Code>…</Code>` of an Azure Storage XML error body.
    static func errorCode(_ body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func failure(_ message: String, hint: String? = nil) -> PluginError {
        PluginError(code: "azurerm_state", message: message, hint: hint)
    }
}
