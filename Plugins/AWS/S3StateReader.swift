import Foundation
import KitPluginSDK
import KitPluginSupport

extension AWSPlugin {
    /// `read_state` for the `s3` backend: GETs the workspace's state object, signed with SigV4 (see
    /// `S3StateReader`). Other backend types answer `unsupported_op`.
    public func readState(_ request: ReadStateRequest, events: PluginEventSink) throws -> ReadStateResponse {
        guard request.backendType == "s3" else {
            throw PluginError.unsupportedOp("read_state", reason: "the aws plugin reads only 's3' state, not '\(request.backendType)'")
        }
        return try S3StateReader(request: request).read(transport: S3StateReader.blockingHTTP)
    }
}

/// Reads a terraform state object from S3 the way terraform's `s3` backend addresses it.
///
/// - Object key: the default workspace (`""` or `default`) uses `key`; any other workspace
///   `<workspace_key_prefix or "env:">/<workspace>/<key>`.
/// - Region: backend `region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`.
/// - Endpoint: backend `endpoints.s3`, else the legacy `endpoint`, else `AWS_ENDPOINT_URL_S3`, else
///   `AWS_ENDPOINT_URL`, else `https://s3.<region>.amazonaws.com`.
/// - Addressing: path-style (`<endpoint>/<bucket>/<key>`) with `use_path_style`/`force_path_style`,
///   with a custom endpoint, or for a bucket name with dots; else virtual-hosted (`<bucket>.s3.…`).
/// - Credentials: backend `access_key`/`secret_key`/`token`, else `AWS_ACCESS_KEY_ID`,
///   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`. Profiles, SSO, `assume_role`, web identity and
///   instance roles are not supported yet: without static keys (or with `assume_role`, `role_arn`
///   or a backend `profile`) the answer is `unsupported_op` naming what is missing, and kit asks
///   terraform instead.
/// - Answers: 200 → the state document; 404 `NoSuchKey` → missing; 403 → an error naming the bucket
///   and key; other statuses → an error with the status and S3's error code.
struct S3StateReader {
    /// One HTTP exchange: the request's URL and headers in, status and body out.
    typealias Transport = @Sendable (_ url: String, _ headers: [String: String], _ timeout: Double) throws -> (status: Int, body: [UInt8])

    let bucket: String
    let objectKey: String
    let region: String
    let endpoint: String
    let customEndpoint: Bool
    let pathStyle: Bool
    let credentials: SigV4.Credentials
    /// Seconds one GET may take.
    var timeout: Double = 30

    init(request: ReadStateRequest) throws {
        let backend = request.backend.objectValue ?? [:]
        let env = request.env
        func string(_ key: String) -> String? {
            guard let s = backend[key]?.stringValue, !s.isEmpty else { return nil }
            return s
        }
        func flag(_ key: String) -> Bool { backend[key]?.boolValue ?? (backend[key]?.stringValue == "true") }
        func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }

        guard let bucket = string("bucket") else { throw Self.failure("the s3 backend has no 'bucket'", hint: "set terraform.backend.s3.bucket") }
        guard let key = string("key") else { throw Self.failure("the s3 backend has no 'key'", hint: "set terraform.backend.s3.key") }
        guard let region = string("region") ?? nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"]) else {
            throw Self.failure("the s3 backend has no 'region' and neither AWS_REGION nor AWS_DEFAULT_REGION is set",
                               hint: "set terraform.backend.s3.region")
        }
        self.bucket = bucket
        self.region = region
        objectKey = Self.objectKey(key: key, workspace: request.workspace, prefix: backend["workspace_key_prefix"]?.stringValue)

        let custom = backend["endpoints"]?["s3"]?.stringValue.flatMap(nonEmpty) ?? string("endpoint")
            ?? nonEmpty(env["AWS_ENDPOINT_URL_S3"]) ?? nonEmpty(env["AWS_ENDPOINT_URL"])
        customEndpoint = custom != nil
        var endpoint = custom ?? "https://s3.\(region).amazonaws.com"
        if !endpoint.contains("://") { endpoint = "https://" + endpoint }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        pathStyle = flag("use_path_style") || flag("force_path_style") || custom != nil || bucket.contains(".")
        credentials = try Self.credentials(backend: backend, env: env)
    }

    /// terraform's object key for a workspace.
    static func objectKey(key: String, workspace: String, prefix: String?) -> String {
        if workspace.isEmpty || workspace == "default" { return key }
        return "\(prefix ?? "env:")/\(workspace)/\(key)"
    }

    /// Static credentials from the backend block or the environment, or `unsupported_op` naming what is missing.
    static func credentials(backend: [String: JSONValue], env: [String: String]) throws -> SigV4.Credentials {
        let unsupportedKeys = ["assume_role", "role_arn", "assume_role_with_web_identity", "profile"]
            .filter { backend[$0] != nil && backend[$0]?.isNull != true && backend[$0]?.stringValue != "" }
        if let first = unsupportedKeys.first {
            throw PluginError.unsupportedOp("read_state", reason: "the s3 backend sets '\(first)', and reading state through '\(first)' is not supported yet (only static credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
        }
        func pick(_ backendKey: String, _ envKey: String) -> String? {
            if let s = backend[backendKey]?.stringValue, !s.isEmpty { return s }
            if let s = env[envKey], !s.isEmpty { return s }
            return nil
        }
        let id = pick("access_key", "AWS_ACCESS_KEY_ID")
        let secret = pick("secret_key", "AWS_SECRET_ACCESS_KEY")
        guard let id, let secret else {
            let missing = [id == nil ? "AWS_ACCESS_KEY_ID" : nil, secret == nil ? "AWS_SECRET_ACCESS_KEY" : nil].compactMap { $0 }
            var reason = "no static credentials: \(missing.joined(separator: " and ")) not set"
            if let profile = env["AWS_PROFILE"], !profile.isEmpty {
                reason += "; AWS_PROFILE '\(profile)' (shared config, SSO) is not supported yet"
            } else {
                reason += "; profiles, SSO, web identity and instance roles are not supported yet"
            }
            throw PluginError.unsupportedOp("read_state", reason: reason)
        }
        return SigV4.Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: pick("token", "AWS_SESSION_TOKEN"))
    }

    /// `s3://bucket/key`, for messages.
    var location: String { "s3://\(bucket)/\(objectKey)" }

    /// The URL to GET and the host header it is signed with.
    var target: (url: String, host: String, path: String) {
        let authority = endpoint.split(separator: "://", maxSplits: 1).last.map(String.init) ?? endpoint
        let scheme = endpoint.hasPrefix("http://") ? "http" : "https"
        let hostAndBase = authority.split(separator: "/", maxSplits: 1)
        let base = hostAndBase.count > 1 ? "/" + hostAndBase[1] : ""
        var host = String(hostAndBase.first ?? "")
        var segments = [objectKey]
        if pathStyle { segments.insert(bucket, at: 0) } else { host = "\(bucket).\(host)" }
        let path = base + SigV4.encodePath(segments)
        return ("\(scheme)://\(host)\(path)", host, path)
    }

    /// The signed headers for a GET at `amzDate`.
    func signedHeaders(amzDate: String) -> [String: String] {
        let t = target
        return SigV4(credentials: credentials, region: region, service: "s3").sign(method: "GET", host: t.host, path: t.path, amzDate: amzDate)
    }

    /// GETs the object and turns the answer into a `ReadStateResponse`.
    func read(transport: Transport, now: Int = Int(Date().timeIntervalSince1970)) throws -> ReadStateResponse {
        let headers = signedHeaders(amzDate: SigV4.amzDate(secondsSince1970: now))
        let (status, body) = try transport(target.url, headers, timeout)
        let code = Self.errorCode(body)
        switch status {
        case 200:
            do {
                let document = try body.withUnsafeBytes { try JSONValue.parse(bytes: $0) }
                guard case .object = document else { throw Self.failure("'\(location)' is not a terraform state document (not a json object)") }
                return .state(document)
            } catch let e as PluginError {
                throw e
            } catch {
                throw Self.failure("'\(location)' is not a terraform state document: \(error)")
            }
        case 404 where code != "NoSuchBucket":
            return .missing(detail: "no state object '\(location)'")
        case 404:
            throw Self.failure("bucket '\(bucket)' does not exist (reading '\(location)' at \(endpoint))",
                               hint: "check terraform.backend.s3.bucket and the endpoint")
        case 403:
            throw PluginError(code: "s3_access_denied",
                              message: "reading state '\(location)' was refused (HTTP 403\(code.map { " \($0)" } ?? ""))",
                              hint: "check credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and that they may s3:GetObject on bucket '\(bucket)' key '\(objectKey)'")
        // A redirect always means another region; a 400 only with S3's region codes.
        case 301, 307,
             400 where code == "AuthorizationHeaderMalformed" || code == "PermanentRedirect":
            throw Self.failure("reading state '\(location)' failed: HTTP \(status)\(code.map { " \($0)" } ?? "") — the bucket is probably not in region '\(region)'",
                               hint: "set terraform.backend.s3.region to the bucket's region")
        default:
            throw Self.failure("reading state '\(location)' failed: HTTP \(status)\(code.map { " \($0)" } ?? "")")
        }
    }

    /// S3's `<Code>…</Code>` from an XML error body.
    static func errorCode(_ body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func failure(_ message: String, hint: String? = nil) -> PluginError {
        PluginError(code: "s3_state", message: message, hint: hint)
    }

    /// The real transport: one synchronous GET with `timeout` seconds.
    static let blockingHTTP: Transport = { url, headers, timeout in
        do throws(BlockingHTTP.Failure) {
            let response = try BlockingHTTP.get(url, headers: headers, timeout: timeout)
            return (response.status, response.body)
        } catch .invalidURL {
            throw failure("'\(url)' is not a valid url", hint: "check the s3 endpoint")
        } catch .timedOut(let seconds) {
            throw failure("no answer from '\(url)' within \(seconds) s", hint: "check the s3 endpoint and the network")
        } catch .unreachable(let reason) {
            throw failure("cannot reach '\(url)': \(reason)", hint: "check the s3 endpoint and the network")
        }
    }
}
