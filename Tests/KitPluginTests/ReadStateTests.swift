import KitPluginSDK
import KitPluginTesting
import Testing
@testable import KitAWS

/// `read_state` (ABI 1.1): the message codec, the SDK's default answer, AWS SigV4 and the S3 reader.
@Suite("read_state")
struct ReadStateTests {
    static let backend: JSONValue = .object([
        "bucket": .string("acme-tfstate"), "key": .string("terraform.tfstate"), "region": .string("eu-west-1"),
        "workspace_key_prefix": .string("vpc"), "encrypt": .bool(true),
    ])
    static let keys = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]

    // MARK: codec

    @Test func requestRoundTrips() throws {
        let request = ReadStateRequest(backendType: "s3", backend: Self.backend, workspace: "prod", env: ["AWS_REGION": "eu-west-1"])
        let text = request.json.serialized()
        #expect(text.contains(#""op":"read_state""#))
        guard case .readState(let decoded) = try PluginRequest(json: JSONValue.parse(text)) else {
            Issue.record("not decoded as read_state")
            return
        }
        #expect(decoded == request)
        #expect(PluginRequest.readState(request).op == "read_state")
    }

    @Test func requestNeedsABackendObjectAndStringEnv() throws {
        #expect(throws: MessageDecodingError.self) { try ReadStateRequest(json: JSONValue.parse(#"{"op":"read_state","backend_type":"s3"}"#)) }
        #expect(throws: MessageDecodingError.self) {
            try ReadStateRequest(json: JSONValue.parse(#"{"op":"read_state","backend_type":"s3","backend":{},"env":{"A":1}}"#))
        }
        let minimal = try ReadStateRequest(json: JSONValue.parse(#"{"op":"read_state","backend_type":"s3","backend":{}}"#))
        #expect(minimal.workspace == "" && minimal.env == [:])
    }

    @Test func responsesRoundTrip() throws {
        let state: JSONValue = .object(["version": .int(4), "outputs": .object([:])])
        for response in [ReadStateResponse.state(state), .missing(detail: "no state object 's3://b/k'")] {
            #expect(try ReadStateResponse(json: JSONValue.parse(response.json.serialized())) == response)
        }
        #expect(try ReadStateResponse(json: JSONValue.parse(#"{"ok":true,"missing":true}"#)) == .missing(detail: ""))
        #expect(throws: MessageDecodingError.self) { try ReadStateResponse(json: JSONValue.parse(#"{"ok":true}"#)) }
        #expect(throws: MessageDecodingError.self) { try ReadStateResponse(json: JSONValue.parse(#"{"ok":true,"state":"x"}"#)) }
    }

    @Test func sdkDefaultAnswersUnsupportedOp() throws {
        // A plugin that does not implement read_state: the SDK's default answers through the C table.
        let harness = PluginHarness(StatelessPlugin.self)
        let exchange = harness.exchange(ReadStateRequest(backendType: "gcs", backend: .object([:]), workspace: "", env: [:]).json)
        #expect(exchange.status == 1)
        #expect(exchange.response["error"]?["code"] == .string("unsupported_op"))
        #expect(exchange.response["error"]?["message"]?.stringValue?.contains("'gcs'") == true, "\(exchange.text)")
    }

    // MARK: SigV4

    /// The GET Object example of the S3 SigV4 documentation ("Signature Calculations for the
    /// Authorization Header: Transferring Payload in a Single Chunk").
    @Test func sigV4MatchesTheS3GetObjectExample() {
        let signer = SigV4(credentials: .init(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                           region: "us-east-1", service: "s3")
        let headers = signer.sign(method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
                                  headers: ["Range": "bytes=0-9"], amzDate: "20130524T000000Z")
        #expect(headers["authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers["x-amz-content-sha256"] == SigV4.emptyPayloadHash)
        #expect(headers["x-amz-security-token"] == nil)
    }

    /// RFC 4231 test case 2 ("Jefe").
    @Test func hmacSHA256MatchesRFC4231() {
        let mac = HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(SHA256.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block is hashed first.
        let long = HMACSHA256.authenticationCode(for: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                                                 key: [UInt8](repeating: 0xaa, count: 131))
        #expect(SHA256.hex(long) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func amzDateAndPathEncoding() {
        #expect(SigV4.amzDate(secondsSince1970: 1_369_353_600) == "20130524T000000Z")
        #expect(SigV4.amzDate(secondsSince1970: 951_827_696) == "20000229T123456Z")
        #expect(SigV4.encodePath(["kit-tfstate", "env:/dev/a b/terraform.tfstate"]) == "/kit-tfstate/env%3A/dev/a%20b/terraform.tfstate")
    }

    // MARK: the S3 reader

    @Test func objectKeyFollowsTerraform() {
        #expect(S3StateReader.objectKey(key: "t.tfstate", workspace: "default", prefix: "vpc") == "t.tfstate")
        #expect(S3StateReader.objectKey(key: "t.tfstate", workspace: "", prefix: nil) == "t.tfstate")
        #expect(S3StateReader.objectKey(key: "t.tfstate", workspace: "prod", prefix: nil) == "env:/prod/t.tfstate")
        #expect(S3StateReader.objectKey(key: "t.tfstate", workspace: "prod", prefix: "vpc") == "vpc/prod/t.tfstate")
    }

    @Test func virtualHostedOnAWSPathStyleOnACustomEndpoint() throws {
        let aws = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend, workspace: "prod", env: Self.keys))
        #expect(aws.target.url == "https://acme-tfstate.s3.eu-west-1.amazonaws.com/vpc/prod/terraform.tfstate")
        #expect(aws.target.host == "acme-tfstate.s3.eu-west-1.amazonaws.com")

        let forced = try S3StateReader(request: ReadStateRequest(
            backendType: "s3", backend: Self.backend.setting(["use_path_style"], to: .bool(true)), workspace: "default", env: Self.keys))
        #expect(forced.target.url == "https://s3.eu-west-1.amazonaws.com/acme-tfstate/terraform.tfstate")

        let endpoint = Self.backend.setting(["endpoints"], to: .object(["s3": .string("http://127.0.0.1:5000")]))
        let moto = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: endpoint, workspace: "dev", env: Self.keys))
        #expect(moto.target.url == "http://127.0.0.1:5000/acme-tfstate/vpc/dev/terraform.tfstate")
        #expect(moto.target.host == "127.0.0.1:5000")

        var env = Self.keys
        env["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566/"
        env["AWS_ENDPOINT_URL"] = "http://ignored:1"
        let fromEnv = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend.setting(["region"], to: nil),
                                                                   workspace: "", env: env.merging(["AWS_REGION": "us-west-2"]) { $1 }))
        #expect(fromEnv.target.url == "http://localhost:4566/acme-tfstate/terraform.tfstate")
        #expect(fromEnv.region == "us-west-2")
    }

    @Test func credentialsComeFromTheEnvironmentAndTheSessionTokenIsSigned() throws {
        var env = Self.keys
        env["AWS_SESSION_TOKEN"] = "tok"
        let reader = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend, workspace: "", env: env))
        let headers = reader.signedHeaders(amzDate: "20240101T000000Z")
        #expect(headers["x-amz-security-token"] == "tok")
        #expect(headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=") == true)
    }

    @Test func profilesAndAssumeRoleAreUnsupportedNamingWhatIsMissing() throws {
        let noKeys = caughtPluginError { _ = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend, workspace: "", env: ["AWS_PROFILE": "dev"])) }
        #expect(noKeys?.code == "unsupported_op")
        #expect(noKeys?.message.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set") == true, "\(String(describing: noKeys))")
        #expect(noKeys?.message.contains("AWS_PROFILE 'dev'") == true)
        let role = caughtPluginError {
            _ = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend.setting(["assume_role"], to: .object(["role_arn": .string("arn:aws:iam::1:role/x")])),
                                                            workspace: "", env: Self.keys))
        }
        #expect(role?.code == "unsupported_op")
        #expect(role?.message.contains("'assume_role'") == true, "\(String(describing: role))")
        let noRegion = caughtPluginError { _ = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend.setting(["region"], to: nil), workspace: "", env: Self.keys)) }
        #expect(noRegion?.message.contains("no 'region'") == true)
    }

    @Test func answersByStatus() throws {
        let reader = try S3StateReader(request: ReadStateRequest(backendType: "s3", backend: Self.backend, workspace: "prod", env: Self.keys))
        func answer(_ status: Int, _ body: String) -> S3StateReader.Transport {
            { url, headers, _ in
                #expect(url == "https://acme-tfstate.s3.eu-west-1.amazonaws.com/vpc/prod/terraform.tfstate")
                #expect(headers["authorization"] != nil && headers["x-amz-date"] != nil)
                return (status, Array(body.utf8))
            }
        }
        let state = try reader.read(transport: answer(200, #"{"version":4,"outputs":{"id":{"value":"vpc-1","type":"string"}}}"#))
        #expect(state == .state(.object(["version": .int(4), "outputs": .object(["id": .object(["value": .string("vpc-1"), "type": .string("string")])])])))
        #expect(try reader.read(transport: answer(404, "<Error><Code>NoSuchKey</Code></Error>"))
                == .missing(detail: "no state object 's3://acme-tfstate/vpc/prod/terraform.tfstate'"))
        let denied = caughtPluginError { _ = try reader.read(transport: answer(403, "<Error><Code>AccessDenied</Code></Error>")) }
        #expect(denied?.message == "reading state 's3://acme-tfstate/vpc/prod/terraform.tfstate' was refused (HTTP 403 AccessDenied)")
        #expect(denied?.hint?.hasPrefix("check credentials") == true)
        #expect(denied?.hint?.contains("bucket 'acme-tfstate' key 'vpc/prod/terraform.tfstate'") == true)
        let bucket = caughtPluginError { _ = try reader.read(transport: answer(404, "<Error><Code>NoSuchBucket</Code></Error>")) }
        #expect(bucket?.message.contains("bucket 'acme-tfstate' does not exist") == true)
        let other = caughtPluginError { _ = try reader.read(transport: answer(500, "<Error><Code>InternalError</Code></Error>")) }
        #expect(other?.message == "reading state 's3://acme-tfstate/vpc/prod/terraform.tfstate' failed: HTTP 500 InternalError")
        let garbage = caughtPluginError { _ = try reader.read(transport: answer(200, "not json")) }
        #expect(garbage?.message.contains("is not a terraform state document") == true)
    }

    @Test func awsPluginReadsOnlyS3() throws {
        let harness = PluginHarness(AWSPlugin.self)
        let exchange = harness.exchange(ReadStateRequest(backendType: "gcs", backend: .object([:]), workspace: "", env: [:]).json)
        #expect(exchange.response["error"]?["code"] == .string("unsupported_op"))
        // Through the C table: an unreachable endpoint is an error naming it.
        let closed = Self.backend.setting(["endpoints"], to: .object(["s3": .string("http://127.0.0.1:9")]))
        #expect(throws: PluginError.self) { try harness.readState(backendType: "s3", backend: closed, env: Self.keys) }
    }
}

func caughtPluginError(_ body: () throws -> Void) -> PluginError? {
    do { try body() } catch let e as PluginError { return e } catch { return PluginError(code: "other", message: "\(error)") }
    return nil
}

/// A plugin with only `describe` and `adapt`: every other op is the SDK's default.
struct StatelessPlugin: ProviderPlugin {
    init() {}
    func describe() -> PluginDescription {
        PluginDescription(name: "stateless", version: "0.0.1", backendTypes: ["gcs"], providers: [], policies: [])
    }
    func adapt(_ request: AdaptRequest, events: PluginEventSink) throws -> AdaptResponse { AdaptResponse() }
}
