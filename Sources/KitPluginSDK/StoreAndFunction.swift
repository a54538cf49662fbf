/// `store` (an optional ABI 1.1 op): read or write one value of a configured store — atmos's
/// `stores:` (`!store`, `!store.get`, the `store` hook after `terraform apply`).
///
/// Wire form: `{"op": "store", "action": "get"|"get_key"|"set", "kind": "aws/ssm", "name": "prod/ssm",
/// "options": {…}, "secret": false, "stack": "…", "component": "…", "key": "…", "value": …, "env": {…}}`.
/// `get` and `set` address a component's value (`stack`, `component`, `key`: the plugin builds the
/// provider's key, e.g. atmos's `/<prefix>/<stack split on stack_delimiter>/<component>/<key>` for SSM);
/// `get_key` reads `key` as written (`!store.get`). kit asks the loaded plugins in turn; `unsupported_op`
/// (or status 2 from a plugin that predates the op) means "not this plugin's kind of store".
public struct StoreRequest: Equatable, Sendable {
    /// What to do.
    public enum Action: String, Sendable {
        /// Read a component's value (`!store`): the plugin builds the key from stack, component and key.
        case get
        /// Read a key as written (`!store.get`).
        case getKey = "get_key"
        /// Write a component's value (the `store` hook).
        case set
    }

    /// What to do: read a component's value, read a key as written, or write.
    public var action: Action
    /// The store's kind, atmos's new selector (`aws/ssm`, `aws/asm`, `azure/keyvault`, …); kit maps
    /// the legacy `type:` names (`aws-ssm-parameter-store`, …) to it.
    public var kind: String
    /// The store's name in `stores:` (for messages).
    public var name: String
    /// The store's `options` block as configured.
    public var options: JSONValue
    /// True for a `secret: true` store (values kept encrypted at rest; kit masks them in output).
    public var secret: Bool
    /// The stack the value belongs to (`get`, `set`; empty for a global secret).
    public var stack: String
    /// The component the value belongs to (`get`, `set`; empty for a stack or global secret).
    public var component: String
    /// The key: the last part of a component's key, or the whole key for `get_key`.
    public var key: String
    /// The value to write (`set` only).
    public var value: JSONValue?
    /// kit's process environment (credentials, endpoints).
    public var env: [String: String]

    /// Creates a request.
    public init(action: Action, kind: String, name: String, options: JSONValue, secret: Bool, stack: String, component: String,
                key: String, value: JSONValue? = nil, env: [String: String]) {
        self.action = action
        self.kind = kind
        self.name = name
        self.options = options
        self.secret = secret
        self.stack = stack
        self.component = component
        self.key = key
        self.value = value
        self.env = env
    }
}

/// The answer to `store`.
///
/// Wire form: `{"ok": true, "value": …}` (get), `{"ok": true, "missing": true, "detail": "…"}` (no such
/// key), `{"ok": true, "stored": true}` (set).
public enum StoreResponse: Equatable, Sendable {
    /// The value read (decoded: JSON text in the store becomes data).
    case value(JSONValue)
    /// No such key; `detail` says where the plugin looked (shown to the user).
    case missing(detail: String)
    /// The value was written.
    case stored
}

/// `function` (an optional ABI 1.1 op): evaluate a provider's YAML function, e.g. `!aws.account_id`.
///
/// Wire form: `{"op": "function", "name": "!aws.account_id", "args": "", "env": {…}}` →
/// `{"ok": true, "value": …}`. kit asks the loaded plugins in turn and caches each answer for the
/// run; `unsupported_op` means "not mine".
public struct FunctionRequest: Equatable, Sendable {
    /// The function's tag, with its `!`.
    public var name: String
    /// The text after the tag (may be empty).
    public var args: String
    /// kit's process environment.
    public var env: [String: String]

    /// Creates a request.
    public init(name: String, args: String, env: [String: String]) {
        self.name = name
        self.args = args
        self.env = env
    }
}

extension StoreRequest {
    /// Decodes the wire form.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "store request")
        let actionName = try f.string("action")
        guard let action = Action(rawValue: actionName) else {
            throw MessageDecodingError.wrongType(field: "action", expected: "'get', 'get_key' or 'set'", context: "store request")
        }
        self.init(action: action, kind: try f.string("kind"), name: try f.optionalString("name") ?? "",
                  options: f.optionalValue("options") ?? .object([:]), secret: try f.bool("secret", default: false),
                  stack: try f.optionalString("stack") ?? "", component: try f.optionalString("component") ?? "",
                  key: try f.string("key"), value: f.optionalValue("value"), env: try decodeEnvironment(f, context: "store request"))
    }

    /// The wire form, including `"op": "store"`.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "op": .string("store"), "action": .string(action.rawValue), "kind": .string(kind), "name": .string(name),
            "options": options, "secret": .bool(secret), "stack": .string(stack), "component": .string(component),
            "key": .string(key), "env": .object(env.mapValues { .string($0) }),
        ]
        if let value { members["value"] = value }
        return .object(members)
    }
}

extension StoreResponse {
    /// Decodes `{"ok": true, "value": …}`, `{"ok": true, "missing": true, "detail"?}` or `{"ok": true, "stored": true}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "store response")
        if try f.bool("missing", default: false) { self = .missing(detail: try f.optionalString("detail") ?? ""); return }
        if try f.bool("stored", default: false) { self = .stored; return }
        guard let value = f.optionalValue("value") else { throw MessageDecodingError.missingField("value", context: "store response") }
        self = .value(value)
    }

    /// The response body.
    public var json: JSONValue {
        switch self {
        case .value(let v): return .object(["ok": .bool(true), "value": v])
        case .missing(let detail): return .object(["ok": .bool(true), "missing": .bool(true), "detail": .string(detail)])
        case .stored: return .object(["ok": .bool(true), "stored": .bool(true)])
        }
    }
}

extension FunctionRequest {
    /// Decodes `{"op": "function", "name", "args"?, "env"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "function request")
        self.init(name: try f.string("name"), args: try f.optionalString("args") ?? "", env: try decodeEnvironment(f, context: "function request"))
    }

    /// The wire form, including `"op": "function"`.
    public var json: JSONValue {
        .object(["op": .string("function"), "name": .string(name), "args": .string(args), "env": .object(env.mapValues { .string($0) })])
    }
}
