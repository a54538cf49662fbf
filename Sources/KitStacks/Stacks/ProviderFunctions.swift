import KitPluginSDK
import Synchronization
import KitModel

/// One store of atmos's `stores:` section (atmos.yaml / kit.yaml): where `!store`, `!store.get` and
/// the `store` hook read and write.
public struct StoreConfiguration: Sendable, Equatable {
    public var name: String
    /// atmos's kind (`aws/ssm`, `aws/asm`, `azure/keyvault`, …), from `kind:` or the legacy `type:`.
    public var kind: String
    public var options: JSONValue
    /// `secret: true`: `!store` refuses it (atmos: "use !secret"); written values are kept encrypted.
    public var secret: Bool

    /// atmos's legacy `type:` names → kinds (pkg/store/registry.go).
    static let legacyKinds: [String: String] = [
        "artifactory": "artifactory", "azure-key-vault": "azure/keyvault", "aws-ssm-parameter-store": "aws/ssm",
        "aws-secrets-manager": "aws/asm", "google/secretmanager": "gcp/secretmanager", "google-secret-manager": "gcp/secretmanager",
        "gsm": "gcp/secretmanager", "hashicorp-vault": "hashicorp/vault", "redis": "redis", "1password": "onepassword",
        "onepassword": "onepassword", "keychain": "keychain", "keyring": "keychain", "github-actions": "github/actions",
    ]
    /// Kinds atmos treats as secret stores by default.
    static let secretByDefault: Set<String> = ["onepassword", "keychain", "github/actions"]

    /// The stores of a configuration's `stores:` map; a store without `type`/`kind` is an error.
    public static func parse(_ section: Value?, source: String) throws -> [String: StoreConfiguration] {
        guard let section, !section.isNull else { return [:] }
        guard case .map(let stores) = section else {
            throw ConfigError.invalidType(key: "stores", expected: "a map of store name to {type, options}", found: section.typeName, source: source)
        }
        var out: [String: StoreConfiguration] = [:]
        for (name, raw) in stores {
            guard case .map(let m) = raw else {
                throw ConfigError.invalidType(key: "stores.\(name)", expected: "a map with 'type' (or 'kind') and 'options'", found: raw.typeName, source: source)
            }
            let selector = m["kind"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? m["type"]?.stringValue ?? ""
            guard !selector.isEmpty else { throw ConfigError.missing(key: "stores.\(name).type", file: source) }
            let kind = legacyKinds[selector] ?? selector
            let secret = m["secret"]?.boolValue ?? secretByDefault.contains(kind)
            out[name] = StoreConfiguration(name: name, kind: kind, options: ValueJSON.convert(m["options"] ?? .map([:])), secret: secret)
        }
        return out
    }
}

/// What `ProviderFunctions` asks of a plugin (a loaded plugin in the runtime layer conforms): the
/// answer to a provider function or a store read, or nil when this plugin does not serve it.
public protocol FunctionServing: Sendable {
    func function(_ request: FunctionRequest) throws -> JSONValue?
    func store(_ request: StoreRequest) throws -> StoreResponse?
}

/// The YAML functions served by provider plugins: `!store`, `!store.get` (atmos's `stores:`) and
/// `!aws.*`. kit asks the loaded plugins in turn (ops `store` and `function`); a function's answer
/// is cached for the process (one STS call per run, however many components ask).
public struct ProviderFunctions: Sendable {
    public var stores: [String: StoreConfiguration]
    public var environment: [String: String]
    /// The loaded plugins (loaded on first use).
    public var plugins: @Sendable () throws -> [any FunctionServing]
    let cache = FunctionCache()

    public init(stores: [String: StoreConfiguration], environment: [String: String], plugins: @escaping @Sendable () throws -> [any FunctionServing]) {
        self.stores = stores
        self.environment = environment
        self.plugins = plugins
    }

    /// Functions evaluated here.
    public static let names: Set<String> = ["!store", "!store.get", "!aws.account_id", "!aws.region", "!aws.caller_identity_arn",
                                            "!aws.caller_identity_user_id", "!aws.organization_id"]

    typealias Failure = YAMLFunctionEvaluator.Failure

    /// The value of `fn rest` for `component`, or nil when `fn` is not one of these.
    func evaluate(_ fn: String, _ rest: String, component: ResolvedComponent?) throws -> Value? {
        let stack = component?.stackName ?? ""
        switch fn {
        case "!store", "!store.get":
            return try storeValue(fn, rest, stack: stack)
        case "!secret":
            return try secretValue(rest, component: component)
        case _ where fn.hasPrefix("!aws."):
            if let cached = cache.get(fn + " " + rest) { return cached }
            let request = FunctionRequest(name: fn, args: rest, env: environment)
            for plugin in try loadedPlugins(fn) {
                do {
                    if let answer = try plugin.function(request) {
                        let v = ValueJSON.convert(answer)
                        cache.set(fn + " " + rest, v)
                        return v
                    }
                } catch {
                    throw Failure(function: fn, message: "\(error)")
                }
            }
            throw Failure(function: fn, message: "no loaded plugin evaluates \(UserText.quoted(fn)) — the aws plugin does ('kit plugin list' shows what is loaded)")
        default:
            return nil
        }
    }

    func loadedPlugins(_ fn: String) throws -> [any FunctionServing] {
        do { return try plugins() } catch { throw Failure(function: fn, message: "cannot load the plugins: \(error)") }
    }

    /// `!store <store> [stack] <component> <key> [| default <v>] [| query <q>]`, `!store.get <store> <key> [| …]`.
    func storeValue(_ fn: String, _ rest: String, stack: String) throws -> Value {
        let parts = try Self.pipeSegments(rest, fn)
        let words = try YAMLFunctionEvaluator.split(parts.first ?? "", fn)
        var defaultValue: String?
        var query: String?
        for option in parts.dropFirst() {
            let trimmed = option.trimmingWhitespace()
            if trimmed.hasPrefix("default ") || trimmed == "default" {
                let v = try YAMLFunctionEvaluator.split(String(trimmed.dropFirst(7)), fn)
                guard v.count == 1 else { throw Failure(function: fn, message: "'| default' takes one value, e.g. '| default \"none\"'") }
                defaultValue = v[0]
            } else if trimmed.hasPrefix("query ") {
                query = String(trimmed.dropFirst(6)).trimmingWhitespace()
            } else {
                throw Failure(function: fn, message: "unknown option \(UserText.quoted(trimmed)) after '|' — expected 'default <value>' or 'query <expression>'")
            }
        }
        let request: (store: String, action: StoreRequest.Action, stack: String, component: String, key: String)
        if fn == "!store.get" {
            guard words.count == 2 else { throw Failure(function: fn, message: "expects a store and a key, e.g. '!store.get prod/ssm /shared/vpc_id'") }
            request = (words[0], .getKey, "", "", words[1])
        } else {
            switch words.count {
            case 3: request = (words[0], .get, stack, words[1], words[2])
            case 4: request = (words[0], .get, words[1], words[2], words[3])
            default: throw Failure(function: fn, message: "expects a store, an optional stack, a component and a key, e.g. '!store prod/ssm vpc vpc_id'")
            }
        }
        guard let store = stores[request.store] else {
            let known = stores.keys.sorted().map { UserText.quoted($0) }.joined(separator: ", ")
            throw Failure(function: fn, message: "store \(UserText.quoted(request.store)) is not configured — \(known.isEmpty ? "add it to 'stores:' in kit.yaml or atmos.yaml" : "configured stores: \(known)")")
        }
        if fn == "!store" && store.secret {
            throw Failure(function: fn, message: "store \(UserText.quoted(store.name)) is a secret store — '!store' does not read secret stores (atmos: use '!secret')")
        }
        let call = StoreRequest(action: request.action, kind: store.kind, name: store.name, options: store.options, secret: store.secret,
                                stack: request.stack, component: request.component, key: request.key, env: environment)
        let plugins = try loadedPlugins(fn)
        let answer: StoreResponse?
        do { answer = try plugins.store(call) } catch { throw Failure(function: fn, message: "\(error)") }
        guard let answer else {
            throw Failure(function: fn, message: "no loaded plugin serves \(UserText.quoted(store.kind)) stores (store \(UserText.quoted(store.name))) — the aws plugin serves 'aws/ssm' and 'aws/asm'")
        }
        var value: Value
        switch answer {
        case .value(let v): value = ValueJSON.convert(v)
        case .missing(let detail):
            if let defaultValue { return .string(defaultValue) }
            throw Failure(function: fn, message: "\(detail) in store \(UserText.quoted(store.name)) — give a default with '| default <value>'")
        case .stored:
            throw Failure(function: fn, message: "the plugin answered a read with 'stored'")
        }
        if value.isNull, let defaultValue { return .string(defaultValue) }
        if let query {
            do { value = try QueryExpression.parse(query).evaluate(value) } catch {
                throw Failure(function: fn, message: "query \(UserText.quoted(query)): \(error)")
            }
        }
        return value
    }

    /// `!secret NAME [| path <query>] [| default <value>]` (atmos's secrets): `NAME` is declared in the
    /// component's `secrets.vars.NAME` with `store: <a secret store>` (and optionally `reference:` — the
    /// key in the store — and `scope: instance|stack|global`); the value is read from that store at
    /// `<stack>/<component>/<key>` (instance), `<stack>/<key>` (stack) or `<key>` (global).
    func secretValue(_ rest: String, component: ResolvedComponent?) throws -> Value {
        let fn = "!secret"
        let parts = try Self.pipeSegments(rest, fn)
        let name = parts[0].trimmingWhitespace()
        guard !name.isEmpty, !name.contains(" ") else { throw Failure(function: fn, message: "expects a secret name, e.g. '!secret db_password'") }
        var path: String?, defaultValue: String?
        for modifier in parts.dropFirst() {
            let segs = modifier.trimmingWhitespace().split(separator: " ", maxSplits: 1).map(String.init)
            guard segs.count == 2 else { throw Failure(function: fn, message: "invalid modifier \(UserText.quoted(modifier.trimmingWhitespace())) — expected 'path <query>' or 'default <value>'") }
            let value = segs[1].trimmingWhitespace().trimmingCharacters(in: ["\"", "'"])
            switch segs[0].trimmingCharacters(in: ["\"", "'"]) {
            case "path": path = value
            case "default": defaultValue = value
            default: throw Failure(function: fn, message: "unknown modifier \(UserText.quoted(segs[0])) — expected 'path' or 'default'")
            }
        }
        guard let component else { throw Failure(function: fn, message: "is only evaluated in a component's sections") }
        guard case .map(let declaration)? = component.secrets["vars"]?[name] else {
            throw Failure(function: fn, message: "secret \(UserText.quoted(name)) is not declared — declare it under the component's secrets.vars (with 'store: <a secret store>')")
        }
        if declaration["sops"] != nil {
            throw Failure(function: fn, message: "secret \(UserText.quoted(name)) uses 'sops:', which kit does not support yet — use 'store:' with a secret store")
        }
        guard let storeName = declaration["store"]?.stringValue, !storeName.isEmpty else {
            throw Failure(function: fn, message: "secret \(UserText.quoted(name)) names no backend — add 'store: <a secret store>' to its declaration")
        }
        guard let store = stores[storeName] else {
            throw Failure(function: fn, message: "store \(UserText.quoted(storeName)) of secret \(UserText.quoted(name)) is not configured in 'stores:'")
        }
        guard store.secret else {
            throw Failure(function: fn, message: "store \(UserText.quoted(storeName)) is not a secret store — set 'secret: true' on it (atmos reads secrets only from secret stores)")
        }
        let key = declaration["reference"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? name
        let scope = declaration["scope"]?.stringValue ?? "instance"
        let request = StoreRequest(action: .get, kind: store.kind, name: store.name, options: store.options, secret: true,
                                   stack: scope == "global" ? "" : component.stackName,
                                   component: scope == "global" || scope == "stack" ? "" : component.name,
                                   key: key, env: environment)
        let plugins = try loadedPlugins(fn)
        let answer: StoreResponse?
        do { answer = try plugins.store(request) } catch {
            if let defaultValue { return .string(defaultValue) }
            throw Failure(function: fn, message: "secret \(UserText.quoted(name)): \(error)")
        }
        guard let answer else { throw Failure(function: fn, message: "no loaded plugin serves \(UserText.quoted(store.kind)) stores (store \(UserText.quoted(store.name)))") }
        var value: Value
        switch answer {
        case .value(let v): value = ValueJSON.convert(v)
        case .missing(let detail):
            if let defaultValue { return .string(defaultValue) }
            throw Failure(function: fn, message: "secret \(UserText.quoted(name)) is missing: \(detail) in store \(UserText.quoted(store.name))")
        case .stored:
            throw Failure(function: fn, message: "the plugin answered a read with 'stored'")
        }
        if let path {
            do { value = try QueryExpression.parse(path).evaluate(value) } catch {
                throw Failure(function: fn, message: "secret \(UserText.quoted(name)): path \(UserText.quoted(path)): \(error)")
            }
        }
        return value
    }

    /// Splits at `|` outside quotes.
    static func pipeSegments(_ s: String, _ fn: String) throws -> [String] {
        var out: [String] = [], current = ""
        var quote: Character?
        for ch in s {
            if let q = quote { current.append(ch); if ch == q { quote = nil }; continue }
            if ch == "'" || ch == "\"" { quote = ch; current.append(ch); continue }
            if ch == "|" { out.append(current); current = ""; continue }
            current.append(ch)
        }
        if quote != nil { throw Failure(function: fn, message: "unclosed quote in \(UserText.quoted(s))") }
        out.append(current)
        return out
    }
}

/// Answers of provider functions for this process.
final class FunctionCache: Sendable {
    private let values = Mutex<[String: Value]>([:])
    func get(_ key: String) -> Value? { values.withLock { $0[key] } }
    func set(_ key: String, _ v: Value) { values.withLock { $0[key] = v } }
}

extension Array where Element == any FunctionServing {
    /// The first answer to `store`, asking each plugin in turn; nil when none serves the store's kind.
    public func store(_ request: StoreRequest) throws -> StoreResponse? {
        for plugin in self {
            if let answer = try plugin.store(request) { return answer }
        }
        return nil
    }
}
