import KitPluginSDK
import Testing
@testable import KitAWS
@testable import KitAzure

/// `store` and `function`: the codec, the SDK's defaults, and the AWS plugin's atmos key and value
/// rules against a scripted transport (moto covers the real APIs in `StoresAndAWSFunctionsTests`).
@Suite("store and function ops")
struct StoreAndFunctionTests {
    static let env = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "eu-west-1"]

    @Test("requests and responses round-trip through their wire form")
    func codec() throws {
        let set = StoreRequest(action: .set, kind: "aws/ssm", name: "prod/ssm", options: .object(["region": .string("us-east-1")]), secret: true,
                               stack: "acme-prod", component: "vpc", key: "id", value: .object(["a": .int(1)]), env: ["X": "y"])
        guard case .store(let decoded) = try PluginRequest(json: JSONValue.parse(set.json.serialized())) else { Issue.record("not a store request"); return }
        #expect(decoded == set)
        for r in [StoreResponse.value(.array([.string("x")])), .missing(detail: "no such key"), .stored] {
            #expect(try StoreResponse(json: JSONValue.parse(r.json.serialized())) == r)
        }
        let fn = FunctionRequest(name: "!aws.region", args: "", env: ["AWS_REGION": "eu-west-1"])
        guard case .function(let f) = try PluginRequest(json: JSONValue.parse(fn.json.serialized())) else { Issue.record("not a function request"); return }
        #expect(f == fn)
    }

    @Test("atmos's store keys: prefix, stack split on the delimiter, component split on '/', key; '//' collapsed", arguments: [
        ("", "-", "acme-prod-use1", "vpc", "id", "/acme/prod/use1/vpc/id"),
        ("/kit", "-", "acme-prod", "network/vpc", "id", "/kit/acme/prod/network/vpc/id"),
        ("kit", "_", "a_b", "c", "k", "kit/a/b/c/k"),
        ("/p/", "-", "", "", "k", "/p/k"),
    ])
    func keys(prefix: String, delimiter: String, stack: String, component: String, key: String, expected: String) {
        #expect(AWSStore.key(prefix: prefix, stackDelimiter: delimiter, stack: stack, component: component, key: key) == expected)
    }

    @Test("SSM values: JSON in, JSON out; a secret store keeps a plain string as is and decodes only maps, lists and strings")
    func ssmValues() throws {
        #expect(AWSStore.encodeSSM(.string("vpc-1"), secret: false) == #""vpc-1""#)
        #expect(AWSStore.encodeSSM(.string("hunter2"), secret: true) == "hunter2")
        #expect(AWSStore.encodeSSM(.object(["a": .int(1)]), secret: true) == #"{"a":1}"#)
        #expect(AWSStore.decodeSSM(#"{"a":1}"#, secret: false) == .object(["a": .int(1)]))
        #expect(AWSStore.decodeSSM("plain text", secret: false) == .string("plain text"))
        #expect(AWSStore.decodeSSM("42", secret: false) == .int(42))
        #expect(AWSStore.decodeSSM("42", secret: true) == .string("42"))
    }

    /// Records each call; answers from a table keyed by `X-Amz-Target` (or the query action).
    final class Script: @unchecked Sendable {
        var answers: [String: (Int, String)] = [:]
        var bodies: [String: String] = [:]
        var transport: AWSAPI.Transport {
            { [self] method, url, headers, body, _ in
                let target = headers["x-amz-target"] ?? (url.contains("Action=GetCallerIdentity") ? "GetCallerIdentity" : url)
                #expect(headers["authorization"]?.contains("Credential=AKIDEXAMPLE/") == true)
                #expect(method == (headers["x-amz-target"] == nil ? "GET" : "POST"))
                bodies[target] = String(decoding: body, as: UTF8.self)
                let (status, text) = answers[target] ?? (400, #"{"__type":"Unexpected","message":"\#(target)"}"#)
                return (status, Array(text.utf8))
            }
        }
    }

    @Test("SSM get: ParameterNotFound is 'missing'; set writes a SecureString for a secret store; other errors name the store and key")
    func ssmCalls() throws {
        let script = Script()
        script.answers["AmazonSSM.GetParameter"] = (400, #"{"__type":"ParameterNotFound","message":""}"#)
        let get = StoreRequest(action: .get, kind: "aws/ssm", name: "s", options: .object(["region": .string("us-east-1")]), secret: false,
                               stack: "a-b", component: "c", key: "k", env: Self.env)
        #expect(try AWSStore(request: get, transport: script.transport).ssm() == .missing(detail: "no SSM parameter '/a/b/c/k'"))
        script.answers["AmazonSSM.PutParameter"] = (200, "{}")
        var set = get
        set.action = .set
        set.secret = true
        set.value = .string("hunter2")
        #expect(try AWSStore(request: set, transport: script.transport).ssm() == .stored)
        #expect(script.bodies["AmazonSSM.PutParameter"]?.contains(#""Type":"SecureString""#) == true)
        #expect(script.bodies["AmazonSSM.PutParameter"]?.contains(#""Value":"hunter2""#) == true)
        script.answers["AmazonSSM.GetParameter"] = (400, #"{"__type":"AccessDeniedException","message":"no"}"#)
        do { _ = try AWSStore(request: get, transport: script.transport).ssm(); Issue.record("no error") } catch let e as PluginError {
            #expect(e.message == "store 's': reading SSM parameter '/a/b/c/k': ssm answered AccessDeniedException: no (HTTP 400)")
        }
    }

    @Test("a store without options.region, or with a role to assume, is refused before any call")
    func storeOptions() {
        let script = Script()
        let noRegion = StoreRequest(action: .get, kind: "aws/ssm", name: "s", options: .object([:]), secret: false, stack: "", component: "", key: "k", env: Self.env)
        #expect(throws: PluginError(code: "store_options", message: "store 's' has no 'options.region'", hint: "set stores.s.options.region")) {
            try AWSStore(request: noRegion, transport: script.transport)
        }
        var role = noRegion
        role.options = .object(["region": .string("us-east-1"), "read_role_arn": .string("arn:aws:iam::1:role/r")])
        #expect(throws: PluginError.self) { try AWSStore(request: role, transport: script.transport) }
        #expect(script.bodies.isEmpty)
    }

    @Test("!aws.*: STS's answer, the environment's region, arguments refused, other names unsupported")
    func awsFunctions() throws {
        let script = Script()
        script.answers["GetCallerIdentity"] = (200, "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDA1</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
        func eval(_ name: String, _ args: String = "") throws -> JSONValue {
            try AWSFunctions.evaluate(FunctionRequest(name: name, args: args, env: Self.env), transport: script.transport)
        }
        #expect(try eval("!aws.account_id") == .string("123456789012"))
        #expect(try eval("!aws.caller_identity_arn") == .string("arn:aws:iam::123456789012:user/ci"))
        #expect(try eval("!aws.caller_identity_user_id") == .string("AIDA1"))
        #expect(try eval("!aws.region") == .string("eu-west-1"))
        #expect(throws: PluginError.self) { try eval("!aws.region", "x") }
        #expect(throws: PluginError.unsupportedOp("function", reason: "the aws plugin does not evaluate '!gcp.project'")) { try eval("!gcp.project") }
    }
}

/// The Azure plugin's Key Vault names (atmos's `normalizeSecretName` over its `-`-joined key).
@Suite("azure key vault names")
struct AzureKeyVaultNameTests {
    @Test("names keep [0-9a-zA-Z-], everything else becomes '-', runs collapse, ends trim, empty is 'default'", arguments: [
        ("dev-producer-vpc_id", "dev-producer-vpc-id"), ("a//b..c", "a-b-c"), ("--x--", "x"), ("__", "default"), ("Prod-1", "Prod-1"),
    ])
    func normalize(_ raw: String, _ expected: String) {
        #expect(AzureKeyVaultStore.normalize(raw) == expected)
    }

    @Test("stack split on the delimiter, component on '/', prefix first")
    func names() throws {
        let request = StoreRequest(action: .get, kind: "azure/keyvault", name: "kv",
                                   options: .object(["vault_url": .string("https://v.vault.azure.net"), "prefix": .string("kit"), "stack_delimiter": .string("_")]),
                                   secret: false, stack: "acme_prod", component: "net/vpc", key: "vpc_id", env: [:])
        let store = try AzureKeyVaultStore(request: request) { _, _, _, _ in (500, []) }
        #expect(store.secretName == "kit-acme-prod-net-vpc-vpc-id")
    }
}
