import Foundation
import KitPluginSDK
import KitPluginSupport

/// A minimal signed client for the AWS APIs the plugin calls itself: JSON 1.1 services (SSM, Secrets
/// Manager, Organizations) and STS's query API. Static credentials only (the environment's, as the
/// S3 readers); endpoints follow the SDKs' `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`.
struct AWSAPI {
    /// One HTTP exchange: method, URL, headers, body in; status and body out.
    typealias Transport = @Sendable (_ method: String, _ url: String, _ headers: [String: String], _ body: [UInt8], _ timeout: Double) throws -> (status: Int, body: [UInt8])

    var credentials: SigV4.Credentials
    var region: String
    var env: [String: String]
    var transport: Transport
    var timeout: Double = 30

    /// A client from the environment's static credentials; `region` nil: `AWS_REGION`, `AWS_DEFAULT_REGION`.
    init(env: [String: String], region: String? = nil, transport: @escaping Transport = AWSAPI.blockingHTTP) throws {
        func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
        guard let id = nonEmpty(env["AWS_ACCESS_KEY_ID"]), let secret = nonEmpty(env["AWS_SECRET_ACCESS_KEY"]) else {
            throw PluginError(code: "aws_credentials",
                              message: "no static AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (profiles, SSO and instance roles are not supported yet)",
                              hint: "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        guard let region = nonEmpty(region) ?? nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"]) else {
            throw PluginError(code: "aws_region", message: "no AWS region: neither AWS_REGION nor AWS_DEFAULT_REGION is set", hint: "export AWS_REGION")
        }
        credentials = SigV4.Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: nonEmpty(env["AWS_SESSION_TOKEN"]))
        self.region = region
        self.env = env
        self.transport = transport
    }

    /// `override`, else `AWS_ENDPOINT_URL_<envName>`, else `AWS_ENDPOINT_URL`, else `https://<host>.<region>.amazonaws.com`.
    func endpoint(host: String, envName: String, override: String? = nil, global: Bool = false) -> String {
        var e = [override, env["AWS_ENDPOINT_URL_\(envName)"], env["AWS_ENDPOINT_URL"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? (global ? "https://\(host).amazonaws.com" : "https://\(host).\(region).amazonaws.com")
        if !e.contains("://") { e = "https://" + e }
        while e.hasSuffix("/") { e.removeLast() }
        return e
    }

    /// `(url, host, path)` of `endpoint` + `/`.
    static func split(_ endpoint: String) -> (host: String, base: String) {
        let authority = endpoint.split(separator: "://", maxSplits: 1).last.map(String.init) ?? endpoint
        let parts = authority.split(separator: "/", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count > 1 ? "/" + parts[1] : "")
    }

    /// A JSON 1.1 call: `POST /` with `X-Amz-Target: <target>`. Returns the decoded answer, or throws
    /// `APIError` with the service's `__type` and message.
    func json(service: String, signingRegion: String? = nil, endpoint: String, target: String, body: JSONValue) throws -> JSONValue {
        let payload = Array(body.serialized().utf8)
        let (host, base) = Self.split(endpoint)
        let path = base.isEmpty ? "/" : base + "/"
        let headers = SigV4(credentials: credentials, region: signingRegion ?? region, service: service).sign(
            method: "POST", host: host, path: path,
            headers: ["content-type": "application/x-amz-json-1.1", "x-amz-target": target],
            payloadHash: SHA256.hexDigest(of: payload), amzDate: SigV4.amzDate(secondsSince1970: Int(Date().timeIntervalSince1970)))
        let (status, answer) = try transport("POST", endpoint + "/", headers, payload, timeout)
        let decoded = (try? answer.withUnsafeBytes { try JSONValue.parse(bytes: $0) }) ?? .object([:])
        guard status == 200 else {
            let type = decoded["__type"]?.stringValue.map { String($0.split(separator: "#").last ?? Substring($0)) } ?? "HTTP \(status)"
            let message = decoded["message"]?.stringValue ?? decoded["Message"]?.stringValue ?? ""
            throw APIError(service: service, status: status, type: type, message: message)
        }
        return decoded
    }

    /// A query-API GET (`?Action=…&Version=…`); returns the XML text.
    func query(service: String, endpoint: String, parameters: [(String, String)]) throws -> String {
        let (host, base) = Self.split(endpoint)
        let path = base.isEmpty ? "/" : base + "/"
        let headers = SigV4(credentials: credentials, region: region, service: service).sign(
            method: "GET", host: host, path: path, query: parameters, amzDate: SigV4.amzDate(secondsSince1970: Int(Date().timeIntervalSince1970)))
        let q = parameters.map { "\(SigV4.encode($0.0))=\(SigV4.encode($0.1))" }.joined(separator: "&")
        let (status, answer) = try transport("GET", endpoint + "/?" + q, headers, [], timeout)
        let text = String(decoding: answer, as: UTF8.self)
        guard status == 200 else {
            throw APIError(service: service, status: status, type: S3Listing.values("Code", in: text).first ?? "HTTP \(status)",
                           message: S3Listing.values("Message", in: text).first ?? "")
        }
        return text
    }

    /// A service's error answer.
    struct APIError: Error, CustomStringConvertible {
        var service: String
        var status: Int
        var type: String
        var message: String
        var description: String { "\(service) answered \(type)\(message.isEmpty ? "" : ": \(message)") (HTTP \(status))" }
    }

    static let blockingHTTP: Transport = { method, url, headers, body, timeout in
        do throws(BlockingHTTP.Failure) {
            let r = try BlockingHTTP.request(method, url, headers: headers, body: body, timeout: timeout)
            return (r.status, r.body)
        } catch .invalidURL {
            throw PluginError(code: "aws_endpoint", message: "the AWS endpoint does not make a valid url", hint: "check AWS_ENDPOINT_URL and the store's endpoint")
        } catch .timedOut(let seconds) {
            throw PluginError(code: "aws_endpoint", message: "no answer from the AWS endpoint within \(seconds) s", hint: "check the endpoint and the network")
        } catch .unreachable(let reason) {
            throw PluginError(code: "aws_endpoint", message: "cannot reach the AWS endpoint: \(reason)", hint: "check the endpoint and the network")
        }
    }
}
