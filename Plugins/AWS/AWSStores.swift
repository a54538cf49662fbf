import Foundation
import KitPluginSDK
import KitPluginSupport

extension AWSPlugin {
    /// `store` for atmos's `aws/ssm` (SSM Parameter Store) and `aws/asm` (Secrets Manager) stores;
    /// other kinds answer `unsupported_op`.
    public func store(_ request: StoreRequest, events: PluginEventSink) throws -> StoreResponse {
        switch request.kind {
        case "aws/ssm": return try AWSStore(request: request, transport: AWSAPI.blockingHTTP).ssm()
        case "aws/asm": return try AWSStore(request: request, transport: AWSAPI.blockingHTTP).secretsManager()
        default: throw PluginError.unsupportedOp("store", reason: "the aws plugin serves 'aws/ssm' and 'aws/asm' stores, not '\(request.kind)'")
        }
    }
}

/// One store call, with atmos's key and value rules (pkg/store/providers: `getKey`, SSM's
/// `encodeParameterValue`/`decodeParameterValue`, Secrets Manager's `marshalSecretsManagerValue`).
struct AWSStore {
    var request: StoreRequest
    var api: AWSAPI
    var prefix: String
    var stackDelimiter: String
    var endpointOverride: String?

    init(request: StoreRequest, transport: @escaping AWSAPI.Transport) throws {
        self.request = request
        let options = request.options.objectValue ?? [:]
        func option(_ k: String) -> String? { options[k]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        for unsupported in ["read_role_arn", "write_role_arn"] where option(unsupported) != nil {
            throw PluginError(code: "store_options", message: "store '\(request.name)': '\(unsupported)' (assuming a role) is not supported yet",
                              hint: "remove '\(unsupported)' and give the role's credentials in the environment")
        }
        // atmos requires the region in the store's options (ErrRegionRequired).
        guard let region = option("region") else {
            throw PluginError(code: "store_options", message: "store '\(request.name)' has no 'options.region'", hint: "set stores.\(request.name).options.region")
        }
        api = try AWSAPI(env: request.env, region: region, transport: transport)
        prefix = option("prefix") ?? ""
        stackDelimiter = options["stack_delimiter"]?.stringValue ?? "-"
        endpointOverride = option("endpoint") ?? option("endpoint_url")
    }

    /// atmos's `getKey`: prefix, the stack split on the delimiter, the component split on `/`, the
    /// key, joined with `/`, then `//` → `/`.
    static func key(prefix: String, stackDelimiter: String, stack: String, component: String, key: String) -> String {
        var parts = [prefix]
        if !stack.isEmpty { parts += stackDelimiter.isEmpty ? [stack] : stack.components(separatedBy: stackDelimiter) }
        if !component.isEmpty { parts += component.components(separatedBy: "/") }
        parts.append(key)
        return parts.joined(separator: "/").replacingOccurrences(of: "//", with: "/")
    }

    /// The provider key for the request.
    var providerKey: String {
        switch request.action {
        case .getKey: return prefix.isEmpty ? request.key : prefix + "/" + request.key
        case .get, .set: return Self.key(prefix: prefix, stackDelimiter: stackDelimiter, stack: request.stack, component: request.component, key: request.key)
        }
    }

    func failure(_ what: String, _ error: Error) -> PluginError {
        PluginError(code: "store_failed", message: "store '\(request.name)': \(what): \(error)")
    }

    // MARK: SSM Parameter Store

    func ssm() throws -> StoreResponse {
        var name = providerKey
        if request.action == .getKey && !name.hasPrefix("/") { name = "/" + name }
        let endpoint = api.endpoint(host: "ssm", envName: "SSM", override: endpointOverride)
        switch request.action {
        case .get, .getKey:
            let answer: JSONValue
            do {
                answer = try api.json(service: "ssm", endpoint: endpoint, target: "AmazonSSM.GetParameter",
                                      body: .object(["Name": .string(name), "WithDecryption": .bool(true)]))
            } catch let e as AWSAPI.APIError where e.type == "ParameterNotFound" {
                return .missing(detail: "no SSM parameter '\(name)'")
            } catch let e as AWSAPI.APIError {
                throw failure("reading SSM parameter '\(name)'", e)
            }
            guard let raw = answer["Parameter"]?["Value"]?.stringValue else {
                throw PluginError(code: "store_failed", message: "store '\(request.name)': SSM answered GetParameter for '\(name)' without a value")
            }
            return .value(Self.decodeSSM(raw, secret: request.secret))
        case .set:
            guard let value = request.value, !value.isNull else {
                throw PluginError(code: "store_failed", message: "store '\(request.name)': no value to write for key '\(request.key)' of component '\(request.component)' in stack '\(request.stack)'")
            }
            do {
                _ = try api.json(service: "ssm", endpoint: endpoint, target: "AmazonSSM.PutParameter", body: .object([
                    "Name": .string(name), "Value": .string(Self.encodeSSM(value, secret: request.secret)),
                    "Type": .string(request.secret ? "SecureString" : "String"), "Overwrite": .bool(true),
                ]))
            } catch let e as AWSAPI.APIError {
                throw failure("writing SSM parameter '\(name)'", e)
            }
            return .stored
        }
    }

    /// atmos: a secret store keeps a non-empty string as is; everything else is JSON.
    static func encodeSSM(_ value: JSONValue, secret: Bool) -> String {
        if secret, case .string(let s) = value, !s.isEmpty { return s }
        return value.serialized()
    }

    /// atmos: JSON decodes to data (a secret store keeps only maps, lists and strings decoded); other text stays text.
    static func decodeSSM(_ raw: String, secret: Bool) -> JSONValue {
        guard let decoded = try? JSONValue.parse(raw) else { return .string(raw) }
        guard secret else { return decoded }
        switch decoded {
        case .object, .array, .string: return decoded
        default: return .string(raw)
        }
    }

    // MARK: Secrets Manager

    func secretsManager() throws -> StoreResponse {
        let id = providerKey
        let endpoint = api.endpoint(host: "secretsmanager", envName: "SECRETS_MANAGER", override: endpointOverride)
        switch request.action {
        case .get, .getKey:
            let answer: JSONValue
            do {
                answer = try api.json(service: "secretsmanager", endpoint: endpoint, target: "secretsmanager.GetSecretValue",
                                      body: .object(["SecretId": .string(id)]))
            } catch let e as AWSAPI.APIError where e.type == "ResourceNotFoundException" {
                return .missing(detail: "no secret '\(id)'")
            } catch let e as AWSAPI.APIError {
                throw failure("reading secret '\(id)'", e)
            }
            guard let raw = answer["SecretString"]?.stringValue else {
                throw PluginError(code: "store_failed", message: "store '\(request.name)': secret '\(id)' has no SecretString (binary secrets are not supported)")
            }
            return .value((try? JSONValue.parse(raw)) ?? .string(raw))
        case .set:
            guard let value = request.value, !value.isNull else {
                throw PluginError(code: "store_failed", message: "store '\(request.name)': no value to write for key '\(request.key)'")
            }
            var text = value.serialized()
            if case .string(let s) = value {
                let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
                if let first = trimmed.first, first == "{" || first == "[", (try? JSONValue.parse(trimmed)) != nil { text = trimmed }
            }
            do {
                _ = try api.json(service: "secretsmanager", endpoint: endpoint, target: "secretsmanager.PutSecretValue",
                                 body: .object(["SecretId": .string(id), "SecretString": .string(text)]))
            } catch let e as AWSAPI.APIError where e.type == "ResourceNotFoundException" {
                do {
                    _ = try api.json(service: "secretsmanager", endpoint: endpoint, target: "secretsmanager.CreateSecret",
                                     body: .object(["Name": .string(id), "SecretString": .string(text)]))
                } catch let e as AWSAPI.APIError {
                    throw failure("creating secret '\(id)'", e)
                }
            } catch let e as AWSAPI.APIError {
                throw failure("writing secret '\(id)'", e)
            }
            return .stored
        }
    }
}

extension AWSPlugin {
    /// `function` for `!aws.account_id`, `!aws.caller_identity_arn`, `!aws.caller_identity_user_id`
    /// (STS GetCallerIdentity), `!aws.region` (the environment's region) and `!aws.organization_id`
    /// (Organizations DescribeOrganization). kit caches each answer for the run.
    public func function(_ request: FunctionRequest, events: PluginEventSink) throws -> JSONValue {
        try AWSFunctions.evaluate(request, transport: AWSAPI.blockingHTTP)
    }
}

/// The `!aws.*` YAML functions.
enum AWSFunctions {
    static let names: Set<String> = ["!aws.account_id", "!aws.caller_identity_arn", "!aws.caller_identity_user_id", "!aws.region", "!aws.organization_id"]

    static func evaluate(_ request: FunctionRequest, transport: @escaping AWSAPI.Transport) throws -> JSONValue {
        guard names.contains(request.name) else {
            throw PluginError.unsupportedOp("function", reason: "the aws plugin does not evaluate '\(request.name)'")
        }
        guard request.args.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PluginError(code: "function_args", message: "'\(request.name)' takes no arguments")
        }
        let api = try AWSAPI(env: request.env, transport: transport)
        switch request.name {
        case "!aws.region":
            return .string(api.region)
        case "!aws.organization_id":
            do {
                let answer = try api.json(service: "organizations", signingRegion: "us-east-1",
                                          endpoint: api.endpoint(host: "organizations.us-east-1", envName: "ORGANIZATIONS", global: true),
                                          target: "AWSOrganizationsV20161128.DescribeOrganization", body: .object([:]))
                guard let id = answer["Organization"]?["Id"]?.stringValue else {
                    throw PluginError(code: "aws_organization", message: "Organizations answered DescribeOrganization without an organization id")
                }
                return .string(id)
            } catch let e as AWSAPI.APIError {
                throw PluginError(code: "aws_organization", message: "cannot read the AWS organization: \(e)",
                                  hint: e.type == "AWSOrganizationsNotInUseException" ? "the account is not a member of an organization" : "check the credentials' organizations:DescribeOrganization permission")
            }
        default:
            let xml: String
            do {
                xml = try api.query(service: "sts", endpoint: api.endpoint(host: "sts", envName: "STS"),
                                    parameters: [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")])
            } catch let e as AWSAPI.APIError {
                throw PluginError(code: "aws_identity", message: "cannot read the caller identity: \(e)", hint: "check the AWS credentials")
            }
            let tag = ["!aws.account_id": "Account", "!aws.caller_identity_arn": "Arn", "!aws.caller_identity_user_id": "UserId"][request.name]!
            guard let value = S3Listing.values(tag, in: xml).first else {
                throw PluginError(code: "aws_identity", message: "STS answered GetCallerIdentity without '\(tag)'")
            }
            return .string(value)
        }
    }
}
