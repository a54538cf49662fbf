import KitPluginSDK
import Testing
@testable import KitAWS

/// `fetch_source`: the message codec, base64, the SDK's default answer, and the AWS plugin's S3
/// source parsing and fetching against a scripted transport (the real S3 API is exercised against
/// moto in `VendorS3Tests`).
@Suite("fetch_source")
struct FetchSourceTests {
    static let keys = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]

    @Test("base64 matches RFC 4648's vectors and refuses what is not base64", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64RefusesGarbage() {
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zg==Zg") == nil)
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
    }

    @Test("request and response round-trip through their wire form")
    func codec() throws {
        let request = FetchSourceRequest(url: "s3://b/k", env: ["AWS_REGION": "eu-west-1"], maxBytes: 1024, maxFiles: 3)
        guard case .fetchSource(let decoded) = try PluginRequest(json: JSONValue.parse(request.json.serialized())) else {
            Issue.record("not decoded as fetch_source"); return
        }
        #expect(decoded == request)
        let response = FetchSourceResponse(files: [.init(path: "a/main.tf", content: Array("x\n".utf8))], resolved: "etag:1", singleObject: false)
        #expect(try FetchSourceResponse(json: JSONValue.parse(response.json.serialized())) == response)
    }

    @Test("a plugin without fetch_source answers unsupported_op")
    func defaultAnswer() {
        struct Bare: ProviderPlugin {
            func describe() -> PluginDescription { PluginDescription(name: "bare", version: "1", backendTypes: [], providers: [], policies: []) }
            func adapt(_ request: AdaptRequest, events: PluginEventSink) throws -> AdaptResponse { AdaptResponse() }
        }
        #expect(throws: PluginError.unsupportedOp("fetch_source", reason: "this plugin does not serve vendor sources")) {
            try Bare().fetchSource(FetchSourceRequest(url: "s3://b/k", env: [:], maxBytes: 1, maxFiles: 1), events: NoEvents())
        }
    }

    struct NoEvents: PluginEventSink { func emit(_ event: JSONValue) {} }

    // MARK: S3 source forms (go-getter's)

    @Test("S3 source forms: endpoint, bucket, key, region, addressing", arguments: [
        ("s3::https://s3.amazonaws.com/bucket/lib/vpc", "https://s3.amazonaws.com", "bucket", "lib/vpc", "us-east-1", true),
        ("s3::https://s3.eu-west-1.amazonaws.com/bucket/k", "https://s3.eu-west-1.amazonaws.com", "bucket", "k", "eu-west-1", true),
        ("s3::https://s3-eu-west-2.amazonaws.com/bucket/k", "https://s3-eu-west-2.amazonaws.com", "bucket", "k", "eu-west-2", true),
        ("s3::https://my-bucket.s3.us-west-2.amazonaws.com/x/y.tgz", "https://s3.us-west-2.amazonaws.com", "my-bucket", "x/y.tgz", "us-west-2", false),
        ("s3::https://logs-s3-archive.s3.eu-west-1.amazonaws.com/m.zip", "https://s3.eu-west-1.amazonaws.com", "logs-s3-archive", "m.zip", "eu-west-1", false),
        ("s3::https://s3.amazonaws.com/my-s3-bucket/k", "https://s3.amazonaws.com", "my-s3-bucket", "k", "us-east-1", true),
        ("s3::http://127.0.0.1:9000/bucket/k?region=ap-south-1", "http://127.0.0.1:9000", "bucket", "k", "ap-south-1", true),
        ("s3://bucket/pkg/app.tar.gz", "https://s3.us-east-1.amazonaws.com", "bucket", "pkg/app.tar.gz", "us-east-1", true),
    ])
    func forms(url: String, endpoint: String, bucket: String, key: String, region: String, pathStyle: Bool) throws {
        let s = try #require(try S3Source(url: url, env: Self.keys))
        #expect(s.endpoint == endpoint && s.bucket == bucket && s.key == key && s.region == region && s.pathStyle == pathStyle, "\(s)")
    }

    @Test("s3:// follows AWS_ENDPOINT_URL_S3, credentials come from the query before the environment")
    func endpointAndCredentials() throws {
        var env = Self.keys
        env["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566/"
        env["AWS_REGION"] = "eu-central-1"
        let s = try #require(try S3Source(url: "s3://b/k", env: env))
        #expect(s.endpoint == "http://localhost:4566" && s.region == "eu-central-1")
        let q = try #require(try S3Source(url: "s3::http://h:1/b/k?aws_access_key_id=QID&aws_access_key_secret=QS&aws_access_key_token=QT", env: [:]))
        #expect(q.credentials == SigV4.Credentials(accessKeyID: "QID", secretAccessKey: "QS", sessionToken: "QT"))
    }

    @Test("not an S3 source: nil; no credentials, object versions, no bucket: an error that never shows the query")
    func refusals() throws {
        #expect(try S3Source(url: "https://example.com/x.tar.gz", env: Self.keys) == nil)
        #expect(try S3Source(url: "git::https://h/r.git", env: Self.keys) == nil)
        do { _ = try S3Source(url: "s3://b/k", env: [:]); Issue.record("no error") } catch let e as PluginError {
            #expect(e.message.contains("no static credentials"))
        }
        do { _ = try S3Source(url: "s3::http://h/b/k?version=3&aws_access_key_secret=hidden", env: Self.keys); Issue.record("no error") } catch let e as PluginError {
            #expect(e.message.contains("'version=' (an object version) is not supported yet") && !e.message.contains("hidden"), "\(e.message)")
        }
        do { _ = try S3Source(url: "s3::http://h/", env: Self.keys); Issue.record("no error") } catch let e as PluginError {
            #expect(e.message.contains("names no bucket"))
        }
    }

    // MARK: fetching against a scripted transport

    /// Answers by URL path (and the listing's continuation); records every URL asked.
    final class Script: @unchecked Sendable {
        var answers: [String: (Int, [UInt8])] = [:]
        var asked: [String] = []
        var transport: S3SourceFetcher.Transport {
            { [self] url, headers, _ in
                #expect(headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true)
                asked.append(url)
                let (status, body) = answers[url] ?? (404, Array("<Error><Code>NoSuchKey</Code></Error>".utf8))
                return (status, ["etag": "\"abc\""], body)
            }
        }
    }

    @Test("one object is one file, named after the key's last segment, resolved to its ETag")
    func singleObject() throws {
        let script = Script()
        script.answers["http://h:1/b/pkg/app.tar.gz"] = (200, [1, 2, 3])
        let source = try #require(try S3Source(url: "s3::http://h:1/b/pkg/app.tar.gz", env: Self.keys))
        let r = try S3SourceFetcher(source: source, maxBytes: 100, maxFiles: 10).fetch(transport: script.transport)
        #expect(r == FetchSourceResponse(files: [.init(path: "app.tar.gz", content: [1, 2, 3])], resolved: "etag:abc", singleObject: true))
    }

    @Test("no object at the key: every object under key/ (folder markers skipped, listing continued), sorted")
    func prefix() throws {
        let script = Script()
        script.answers["http://h:1/b?list-type=2&prefix=lib%2Fvpc%2F"] = (200, Array("""
            <ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>lib/vpc/</Key></Contents>
            <Contents><Key>lib/vpc/z.tf</Key></Contents><NextContinuationToken>t+1</NextContinuationToken></ListBucketResult>
            """.utf8))
        script.answers["http://h:1/b?list-type=2&prefix=lib%2Fvpc%2F&continuation-token=t%2B1"] = (200, Array("""
            <ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>lib/vpc/a &amp; b/main.tf</Key></Contents></ListBucketResult>
            """.utf8))
        script.answers["http://h:1/b/lib/vpc/z.tf"] = (200, Array("z".utf8))
        script.answers["http://h:1/b/lib/vpc/a%20%26%20b/main.tf"] = (200, Array("m".utf8))
        let source = try #require(try S3Source(url: "s3::http://h:1/b/lib/vpc", env: Self.keys))
        let r = try S3SourceFetcher(source: source, maxBytes: 100, maxFiles: 10).fetch(transport: script.transport)
        #expect(r.files.map(\.path) == ["a & b/main.tf", "z.tf"] && !r.singleObject, "\(script.asked)")
        #expect(r.files.map { String(decoding: $0.content, as: UTF8.self) } == ["m", "z"])
    }

    @Test("an empty prefix, too many files and a missing bucket are errors naming the source")
    func failures() throws {
        let source = try #require(try S3Source(url: "s3::http://h:1/b/lib/none", env: Self.keys))
        let empty = Script()
        empty.answers["http://h:1/b?list-type=2&prefix=lib%2Fnone%2F"] = (200, Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))
        #expect(throws: PluginError.self) { try S3SourceFetcher(source: source, maxBytes: 100, maxFiles: 10).fetch(transport: empty.transport) }
        do { _ = try S3SourceFetcher(source: source, maxBytes: 100, maxFiles: 10).fetch(transport: empty.transport) } catch let e as PluginError {
            #expect(e.message == "no object 's3://b/lib/none' and no objects under 'lib/none/' in bucket 'b'")
        }
        let many = Script()
        many.answers["http://h:1/b?list-type=2&prefix=lib%2Fnone%2F"] = (200, Array("<Contents><Key>lib/none/1</Key></Contents><Contents><Key>lib/none/2</Key></Contents>".utf8))
        many.answers["http://h:1/b/lib/none/1"] = (200, [1])
        many.answers["http://h:1/b/lib/none/2"] = (200, [2])
        do { _ = try S3SourceFetcher(source: source, maxBytes: 100, maxFiles: 1).fetch(transport: many.transport); Issue.record("no error") } catch let e as PluginError {
            #expect(e.message.contains("holds more than"))
        }
        let noBucket = Script()
        noBucket.answers["http://h:1/b/lib/none"] = (404, Array("<Error><Code>NoSuchBucket</Code></Error>".utf8))
        do { _ = try S3SourceFetcher(source: source, maxBytes: 100, maxFiles: 1).fetch(transport: noBucket.transport); Issue.record("no error") } catch let e as PluginError {
            #expect(e.message.hasPrefix("bucket 'b' does not exist"), "\(e.message)")
        }
    }
}
