import Foundation
import KitPluginSDK
import KitPluginSupport

extension AWSPlugin {
    /// `fetch_source` for `s3::…` and `s3://…` vendor sources (see `S3SourceFetcher`); other
    /// schemes answer `unsupported_op`, so kit asks the next plugin.
    public func fetchSource(_ request: FetchSourceRequest, events: PluginEventSink) throws -> FetchSourceResponse {
        guard let source = try S3Source(url: request.url, env: request.env) else {
            throw PluginError.unsupportedOp("fetch_source", reason: "the aws plugin serves only s3:: and s3:// sources")
        }
        return try S3SourceFetcher(source: source, maxBytes: request.maxBytes, maxFiles: request.maxFiles)
            .fetch(transport: S3SourceFetcher.blockingHTTP)
    }
}

/// Where an S3 vendor source lives, parsed the way go-getter (and so atmos) reads it.
///
/// - `s3::https://s3.amazonaws.com/bucket/key`, `s3::https://s3.<region>.amazonaws.com/bucket/key`,
///   `s3::https://s3-<region>.amazonaws.com/bucket/key`: path-style on AWS (region from the host,
///   `us-east-1` for the global host).
/// - `s3::https://bucket.s3.<region>.amazonaws.com/key`: virtual-hosted on AWS.
/// - `s3::http://host:port/bucket/key` (any other host: MinIO, moto, LocalStack): path-style at that endpoint.
/// - `s3://bucket/key`: the endpoint from `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`, else AWS's regional one.
/// - Query: `region`, `aws_access_key_id`, `aws_access_key_secret`, `aws_access_key_token` (go-getter's
///   names); `version` is refused (object versions are not supported yet).
/// - Credentials: the query's, else `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`.
struct S3Source: Equatable {
    var endpoint: String
    var bucket: String
    var key: String
    var region: String
    var pathStyle: Bool
    var credentials: SigV4.Credentials

    /// nil when `url` is not an S3 source at all.
    init?(url raw: String, env: [String: String]) throws {
        var s = raw.trimmingCharacters(in: .whitespaces)
        let forced = s.hasPrefix("s3::")
        if forced { s.removeFirst(4) }
        guard forced || s.hasPrefix("s3://") else { return nil }
        var query: [String: String] = [:]
        if let q = s.firstIndex(of: "?") {
            for pair in s[s.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                query[kv[0]] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
            }
            s = String(s[..<q])
        }
        if query["version"] != nil {
            throw Self.failure("s3 source '\(Self.shown(raw))': 'version=' (an object version) is not supported yet", hint: "vendor the current object, or copy the version to its own key")
        }
        func nonEmpty(_ v: String?) -> String? { (v?.isEmpty ?? true) ? nil : v }
        var region = nonEmpty(query["region"])
        var endpoint: String
        var bucket: String
        var key: String
        var pathStyle = true
        if s.hasPrefix("s3://") {
            let rest = s.dropFirst(5)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            bucket = String(parts[0])
            key = parts.count > 1 ? String(parts[1]) : ""
            region = region ?? nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"]) ?? "us-east-1"
            if let custom = nonEmpty(env["AWS_ENDPOINT_URL_S3"]) ?? nonEmpty(env["AWS_ENDPOINT_URL"]) {
                endpoint = custom
            } else {
                endpoint = "https://s3.\(region!).amazonaws.com"
            }
        } else {
            guard let schemeEnd = s.range(of: "://"), ["http", "https"].contains(s[..<schemeEnd.lowerBound].lowercased()) else {
                throw Self.failure("s3 source '\(Self.shown(raw))' is not an http(s) or s3:// URL", hint: "write s3::https://s3.<region>.amazonaws.com/<bucket>/<key> or s3://<bucket>/<key>")
            }
            let scheme = String(s[..<schemeEnd.lowerBound]).lowercased()
            let afterScheme = s[schemeEnd.upperBound...]
            let hostEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            var host = String(afterScheme[..<hostEnd])
            if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            let path = afterScheme[hostEnd...].drop { $0 == "/" }
            let lower = host.lowercased()
            // The service label: the host's first label when it starts with s3 (path-style), else the
            // last `.s3.`/`.s3-` before amazonaws.com (a bucket name may itself contain "s3").
            let s3Label = lower.hasPrefix("s3.") || lower.hasPrefix("s3-") ? lower.range(of: "s3")
                : [lower.range(of: ".s3.", options: .backwards), lower.range(of: ".s3-", options: .backwards)]
                    .compactMap { $0 }.max { $0.lowerBound < $1.lowerBound }
                    .map { lower.index(after: $0.lowerBound)..<lower.index($0.lowerBound, offsetBy: 3) }
            if lower.hasSuffix(".amazonaws.com"), let s3Range = s3Label {
                let before = lower[..<s3Range.lowerBound]
                let after = lower[s3Range.upperBound...].dropLast(".amazonaws.com".count)
                // after: "" (global), ".eu-west-1" or "-eu-west-1".
                let hostRegion = after.isEmpty ? "us-east-1" : String(after.dropFirst())
                region = region ?? hostRegion
                if before.isEmpty {
                    let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                    bucket = String(parts.first ?? "")
                    key = parts.count > 1 ? String(parts[1]) : ""
                    endpoint = "\(scheme)://\(host)"
                } else {
                    bucket = String(host[..<host.index(host.startIndex, offsetBy: before.count - 1)])
                    key = String(path)
                    endpoint = "\(scheme)://\(host.dropFirst(before.count))"
                    pathStyle = false
                }
            } else {
                let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                bucket = String(parts.first ?? "")
                key = parts.count > 1 ? String(parts[1]) : ""
                endpoint = "\(scheme)://\(host)"
                region = region ?? nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"]) ?? "us-east-1"
            }
        }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        if !endpoint.contains("://") { endpoint = "https://" + endpoint }
        guard !bucket.isEmpty else {
            throw Self.failure("s3 source '\(Self.shown(raw))' names no bucket", hint: "write s3::https://s3.<region>.amazonaws.com/<bucket>/<key> or s3://<bucket>/<key>")
        }
        guard let id = nonEmpty(query["aws_access_key_id"]) ?? nonEmpty(env["AWS_ACCESS_KEY_ID"]),
              let secret = nonEmpty(query["aws_access_key_secret"]) ?? nonEmpty(env["AWS_SECRET_ACCESS_KEY"]) else {
            throw Self.failure("s3 source '\(Self.shown(raw))': no static credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); profiles, SSO and instance roles are not supported yet",
                               hint: "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        self.endpoint = endpoint
        self.bucket = bucket
        self.key = key
        self.region = region ?? "us-east-1"
        self.pathStyle = pathStyle
        credentials = SigV4.Credentials(accessKeyID: id, secretAccessKey: secret,
                                        sessionToken: nonEmpty(query["aws_access_key_token"]) ?? nonEmpty(env["AWS_SESSION_TOKEN"]))
    }

    /// `url` without its query (credentials may be there) and userinfo, for messages.
    static func shown(_ url: String) -> String {
        var s = url
        if let q = s.firstIndex(of: "?") { s = String(s[..<q]) + "?…" }
        return String(s.prefix(200))
    }

    static func failure(_ message: String, hint: String? = nil) -> PluginError {
        PluginError(code: "s3_source", message: message, hint: hint)
    }

    /// `s3://bucket/key`, for messages.
    var location: String { "s3://\(bucket)/\(key)" }

    /// The URL and the signing inputs for `GET /<key>` (or the bucket root with `query`).
    func target(key objectKey: String?, query: [(String, String)] = []) -> (url: String, host: String, path: String, query: [(String, String)]) {
        let authority = endpoint.split(separator: "://", maxSplits: 1).last.map(String.init) ?? endpoint
        let scheme = endpoint.hasPrefix("http://") ? "http" : "https"
        let hostAndBase = authority.split(separator: "/", maxSplits: 1)
        let base = hostAndBase.count > 1 ? "/" + hostAndBase[1] : ""
        var host = String(hostAndBase.first ?? "")
        var segments: [String] = objectKey.map { [$0] } ?? []
        if pathStyle { segments.insert(bucket, at: 0) } else { host = "\(bucket).\(host)" }
        var path = base + SigV4.encodePath(segments)
        if objectKey == nil && !pathStyle { path = base + "/" }
        let encoded = query.map { "\(SigV4.encode($0.0))=\(SigV4.encode($0.1))" }.joined(separator: "&")
        return ("\(scheme)://\(host)\(path)\(encoded.isEmpty ? "" : "?" + encoded)", host, path, query)
    }
}

/// Fetches an S3 vendor source: the object the key names, or — when there is no such object — every
/// object under `<key>/` (go-getter's folder semantics), bounded by `maxBytes` and `maxFiles`.
struct S3SourceFetcher {
    /// One HTTP exchange: URL and headers in; status, headers and body out.
    typealias Transport = @Sendable (_ url: String, _ headers: [String: String], _ timeout: Double) throws -> (status: Int, headers: [String: String], body: [UInt8])

    var source: S3Source
    var maxBytes: Int
    var maxFiles: Int
    var timeout: Double = 60

    func get(_ key: String?, query: [(String, String)] = [], transport: Transport, now: Int) throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        let t = source.target(key: key, query: query)
        let headers = SigV4(credentials: source.credentials, region: source.region, service: "s3")
            .sign(method: "GET", host: t.host, path: t.path, query: t.query, amzDate: SigV4.amzDate(secondsSince1970: now))
        return try transport(t.url, headers, timeout)
    }

    func fetch(transport: Transport, now: Int = Int(Date().timeIntervalSince1970)) throws -> FetchSourceResponse {
        let key = source.key
        if !key.isEmpty && !key.hasSuffix("/") {
            let r = try get(key, transport: transport, now: now)
            switch r.status {
            case 200:
                try check(bytes: r.body.count, files: 1)
                let name = key.split(separator: "/").last.map(String.init) ?? key
                return FetchSourceResponse(files: [.init(path: name, content: r.body)], resolved: r.headers["etag"].map { "etag:" + $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) },
                                           singleObject: true)
            case 404 where S3StateReader.errorCode(r.body) != "NoSuchBucket": break
            default: throw answerFailure(r.status, r.body, what: "reading '\(source.location)'")
            }
        }
        let prefix = key.isEmpty || key.hasSuffix("/") ? key : key + "/"
        var files: [FetchSourceResponse.File] = []
        var total = 0
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let r = try get(nil, query: query, transport: transport, now: now)
            guard r.status == 200 else { throw answerFailure(r.status, r.body, what: "listing '\(source.location)'") }
            let listing = S3Listing(xml: String(decoding: r.body, as: UTF8.self))
            for objectKey in listing.keys where !objectKey.hasSuffix("/") {
                let relative = String(objectKey.dropFirst(prefix.count))
                guard !relative.isEmpty else { continue }
                let o = try get(objectKey, transport: transport, now: now)
                guard o.status == 200 else { throw answerFailure(o.status, o.body, what: "reading 's3://\(source.bucket)/\(objectKey)'") }
                total += o.body.count
                files.append(.init(path: relative, content: o.body))
                try check(bytes: total, files: files.count)
            }
            token = listing.isTruncated ? listing.nextToken : nil
        } while token != nil
        guard !files.isEmpty else {
            throw S3Source.failure("no object '\(source.location)' and no objects under '\(prefix)' in bucket '\(source.bucket)'",
                                   hint: "check the source's bucket and key")
        }
        return FetchSourceResponse(files: files.sorted { $0.path < $1.path })
    }

    func check(bytes: Int, files: Int) throws {
        if bytes > maxBytes || files > maxFiles {
            throw S3Source.failure("s3 source '\(source.location)' holds more than \(maxBytes >> 20) MiB or \(maxFiles) files", hint: "vendor a smaller prefix")
        }
    }

    func answerFailure(_ status: Int, _ body: [UInt8], what: String) -> PluginError {
        let code = S3StateReader.errorCode(body)
        switch (status, code) {
        case (404, "NoSuchBucket"?):
            return S3Source.failure("bucket '\(source.bucket)' does not exist (\(what) at \(source.endpoint))", hint: "check the source's bucket and endpoint")
        case (403, _):
            return PluginError(code: "s3_access_denied", message: "\(what) was refused (HTTP 403\(code.map { " \($0)" } ?? ""))",
                               hint: "check the credentials and that they may s3:GetObject and s3:ListBucket on bucket '\(source.bucket)'")
        default:
            return S3Source.failure("\(what) failed: HTTP \(status)\(code.map { " \($0)" } ?? "")")
        }
    }

    static let blockingHTTP: Transport = { url, headers, timeout in
        do throws(BlockingHTTP.Failure) {
            let r = try BlockingHTTP.get(url, headers: headers, timeout: timeout)
            return (r.status, r.headers, r.body)
        } catch .invalidURL {
            throw S3Source.failure("the s3 source's endpoint does not make a valid url", hint: "check the source's endpoint")
        } catch .timedOut(let seconds) {
            throw S3Source.failure("no answer from the s3 endpoint within \(seconds) s", hint: "check the endpoint and the network")
        } catch .unreachable(let reason) {
            throw S3Source.failure("cannot reach the s3 endpoint: \(reason)", hint: "check the endpoint and the network")
        }
    }
}

/// The keys of a ListObjectsV2 answer, with its continuation.
struct S3Listing {
    var keys: [String] = []
    var isTruncated = false
    var nextToken: String?

    init(xml: String) {
        keys = Self.values("Key", in: xml)
        isTruncated = Self.values("IsTruncated", in: xml).first == "true"
        nextToken = Self.values("NextContinuationToken", in: xml).first
    }

    static func values(_ tag: String, in xml: String) -> [String] {
        var out: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(tag)>"), let close = rest.range(of: "</\(tag)>", range: open.upperBound..<rest.endIndex) {
            out.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#13;", with: "\r").replacingOccurrences(of: "&amp;", with: "&")
    }
}
