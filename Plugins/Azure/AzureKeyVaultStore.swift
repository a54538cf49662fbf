import Foundation
import KitPluginSDK
import KitPluginSupport

extension AzurePlugin {
    /// `store` for atmos's `azure/keyvault` stores (legacy type `azure-key-vault`); other kinds answer
    /// `unsupported_op`.
    public func store(_ request: StoreRequest, events: PluginEventSink) throws -> StoreResponse {
        guard request.kind == "azure/keyvault" else {
            throw PluginError.unsupportedOp("store", reason: "the azure plugin serves 'azure/keyvault' stores, not '\(request.kind)'")
        }
        return try AzureKeyVaultStore(request: request, transport: AzureKeyVaultStore.blockingHTTP).call()
    }
}

/// One Key Vault secrets call, with atmos's rules (pkg/store/providers/azure_keyvault_store.go):
/// the secret name is atmos's key joined with `-` (prefix, the stack split on `stack_delimiter`, the
/// component split on `/`, the key), then every character outside `[0-9a-zA-Z-]` becomes `-`, runs of
/// `-` collapse, and `-` is trimmed (empty: `default`); values are written as JSON and read back
/// decoded (text that is not JSON stays text).
///
/// Options: `vault_url` (or `endpoint`), `prefix`, `stack_delimiter` (default `-`),
/// `without_authentication` (a local emulator: a fixed bearer token, no sign-in),
/// `insecure_allow_credential_with_http` (allow a plain-http `vault_url`, for an emulator). Otherwise the
/// plugin signs in with a service principal's client secret — `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
/// `AZURE_CLIENT_SECRET` (or the `ARM_` names terraform uses) — at `AZURE_AUTHORITY_HOST` (default
/// `https://login.microsoftonline.com`), scope `https://vault.azure.net/.default`. Managed identities,
/// the Azure CLI's login and workload identity are not supported yet (a clear error says so).
struct AzureKeyVaultStore {
    /// One HTTP exchange: method, URL, headers, body in; status and body out.
    typealias Transport = @Sendable (_ method: String, _ url: String, _ headers: [String: String], _ body: [UInt8]) throws -> (status: Int, body: [UInt8])

    static let apiVersion = "7.4"
    static let localToken = "floci-local-token"

    var request: StoreRequest
    var vaultURL: String
    var prefix: String
    var stackDelimiter: String
    var withoutAuthentication: Bool
    var transport: Transport

    init(request: StoreRequest, transport: @escaping Transport) throws {
        self.request = request
        let options = request.options.objectValue ?? [:]
        func option(_ k: String) -> String? { options[k]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        guard var url = option("vault_url") ?? option("endpoint") else {
            throw PluginError(code: "store_options", message: "store '\(request.name)' has no 'options.vault_url'",
                              hint: "set stores.\(request.name).options.vault_url, e.g. https://my-vault.vault.azure.net")
        }
        while url.hasSuffix("/") { url.removeLast() }
        vaultURL = url
        prefix = option("prefix") ?? ""
        stackDelimiter = options["stack_delimiter"]?.stringValue ?? "-"
        withoutAuthentication = options["without_authentication"]?.boolValue ?? false
        // As atmos (azcore's InsecureAllowCredentialWithHTTP): a bearer token never travels over plain
        // http unless the store says it is a local emulator.
        if url.lowercased().hasPrefix("http://") && !withoutAuthentication && options["insecure_allow_credential_with_http"]?.boolValue != true {
            throw PluginError(code: "store_options", message: "store '\(request.name)': vault_url is plain http, and a bearer token would travel in clear",
                              hint: "use the vault's https url, or set insecure_allow_credential_with_http: true for a local emulator")
        }
        self.transport = transport
    }

    /// atmos's `normalizeSecretName`.
    static func normalize(_ key: String) -> String {
        var out = ""
        var lastHyphen = false
        for scalar in key.unicodeScalars {
            let ok = (scalar >= "0" && scalar <= "9") || (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            if ok { out.unicodeScalars.append(scalar); lastHyphen = false } else if !lastHyphen { out += "-"; lastHyphen = true }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "default" : trimmed
    }

    /// The secret name for the request.
    var secretName: String {
        switch request.action {
        case .getKey: return Self.normalize(request.key)
        case .get, .set:
            var parts = [prefix]
            if !request.stack.isEmpty { parts += stackDelimiter.isEmpty ? [request.stack] : request.stack.components(separatedBy: stackDelimiter) }
            if !request.component.isEmpty { parts += request.component.components(separatedBy: "/") }
            parts.append(request.key)
            return Self.normalize(parts.joined(separator: "-").replacingOccurrences(of: "//", with: "/"))
        }
    }

    func failure(_ message: String, hint: String? = nil) -> PluginError {
        PluginError(code: "store_failed", message: "store '\(request.name)': \(message)", hint: hint)
    }

    /// The bearer token: the emulator's fixed one, or a service principal's from the authority.
    func token() throws -> String {
        if withoutAuthentication { return Self.localToken }
        let env = request.env
        func first(_ names: String...) -> String? { names.lazy.compactMap { env[$0] }.first { !$0.isEmpty } }
        guard let tenant = first("AZURE_TENANT_ID", "ARM_TENANT_ID"), let client = first("AZURE_CLIENT_ID", "ARM_CLIENT_ID"),
              let secret = first("AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET") else {
            throw failure("no service principal to sign in with: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or the ARM_ names) must be set; managed identities, the Azure CLI's login and workload identity are not supported yet",
                          hint: "export the service principal's AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET")
        }
        var authority = first("AZURE_AUTHORITY_HOST") ?? "https://login.microsoftonline.com"
        while authority.hasSuffix("/") { authority.removeLast() }
        let form = [("grant_type", "client_credentials"), ("client_id", client), ("client_secret", secret), ("scope", "https://vault.azure.net/.default")]
            .map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let (status, body) = try transport("POST", "\(authority)/\(Self.formEncode(tenant))/oauth2/v2.0/token",
                                           ["content-type": "application/x-www-form-urlencoded"], Array(form.utf8))
        let answer = (try? body.withUnsafeBytes { try JSONValue.parse(bytes: $0) }) ?? .object([:])
        guard status == 200, let token = answer["access_token"]?.stringValue else {
            let why = answer["error_description"]?.stringValue ?? answer["error"]?.stringValue ?? "HTTP \(status)"
            throw failure("signing in to Azure AD failed: \(String(why.prefix(300)))", hint: "check the service principal's tenant, client id and secret")
        }
        return token
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    func call() throws -> StoreResponse {
        let name = secretName
        let url = "\(vaultURL)/secrets/\(name)?api-version=\(Self.apiVersion)"
        let auth = ["authorization": "Bearer \(try token())"]
        switch request.action {
        case .get, .getKey:
            let (status, body) = try transport("GET", url, auth, [])
            let answer = (try? body.withUnsafeBytes { try JSONValue.parse(bytes: $0) }) ?? .object([:])
            switch status {
            case 200:
                guard let raw = answer["value"]?.stringValue else { return .value(.string("")) }
                return .value((try? JSONValue.parse(raw)) ?? .string(raw))
            case 404: return .missing(detail: "no secret '\(name)' in vault \(vaultURL)")
            case 401, 403: throw failure("reading secret '\(name)' was refused (HTTP \(status))", hint: "check that the identity may get secrets in \(vaultURL)")
            default: throw failure("reading secret '\(name)' failed: HTTP \(status) \(answer["error"]?["code"]?.stringValue ?? "")")
            }
        case .set:
            guard let value = request.value, !value.isNull else { throw failure("no value to write for key '\(request.key)'") }
            let payload = Array(JSONValue.object(["value": .string(value.serialized())]).serialized().utf8)
            var headers = auth
            headers["content-type"] = "application/json"
            let (status, body) = try transport("PUT", url, headers, payload)
            guard status == 200 else {
                let answer = (try? body.withUnsafeBytes { try JSONValue.parse(bytes: $0) }) ?? .object([:])
                if status == 401 || status == 403 { throw failure("writing secret '\(name)' was refused (HTTP \(status))", hint: "check that the identity may set secrets in \(vaultURL)") }
                throw failure("writing secret '\(name)' failed: HTTP \(status) \(answer["error"]?["code"]?.stringValue ?? "")")
            }
            return .stored
        }
    }

    static let blockingHTTP: Transport = { method, url, headers, body in
        do throws(BlockingHTTP.Failure) {
            let r = try BlockingHTTP.request(method, url, headers: headers, body: body, timeout: 30)
            return (r.status, r.body)
        } catch .invalidURL {
            throw PluginError(code: "store_failed", message: "the Key Vault url does not make a valid url", hint: "check the store's vault_url")
        } catch .timedOut(let seconds) {
            throw PluginError(code: "store_failed", message: "no answer from Key Vault within \(seconds) s", hint: "check the vault_url and the network")
        } catch .unreachable(let reason) {
            throw PluginError(code: "store_failed", message: "cannot reach Key Vault: \(reason)", hint: "check the vault_url and the network")
        }
    }
}
