/// `read_state` (ABI 1.1): read a component's terraform state document straight from its backend,
/// without terraform.
///
/// Wire form: `{"op": "read_state", "backend_type": "s3", "backend": {…}, "workspace": "…", "env": {…}}`.
/// kit sends it for `!terraform.state` only to plugins built for ABI minor 1 or later whose
/// `backend_types` include the component's backend type.
public struct ReadStateRequest: Equatable, Sendable {
    /// The backend type, e.g. `s3`.
    public var backendType: String
    /// The complete backend map, as the plugin's `adapt` returned it for the component (the body of
    /// `terraform { backend "<type>" { … } }`).
    public var backend: JSONValue
    /// The terraform workspace whose state to read (`default` or empty: the default workspace).
    public var workspace: String
    /// The environment terraform would run with: kit's process environment, then the component's
    /// `env`, then the plugin's `adapt` environment (credentials, region, endpoints).
    public var env: [String: String]

    /// Creates a request.
    public init(backendType: String, backend: JSONValue, workspace: String, env: [String: String]) {
        self.backendType = backendType
        self.backend = backend
        self.workspace = workspace
        self.env = env
    }
}

/// The answer to `read_state`.
///
/// Wire form: `{"ok": true, "state": <the state document>}` when the state exists, or
/// `{"ok": true, "missing": true}` when the backend holds no state for the workspace (kit then treats
/// the component as not yet applied). Failures are ordinary error responses.
public enum ReadStateResponse: Equatable, Sendable {
    /// The state document as terraform stores it (`{"version": 4, "outputs": {…}, …}`).
    case state(JSONValue)
    /// No state object exists for this workspace. `detail` says where the plugin looked (shown to the user).
    case missing(detail: String)
}

extension PluginError {
    /// The error code for an op the plugin does not implement, or a backend it cannot read:
    /// `unsupported_op`. kit treats it as "ask someone else" (for `read_state`: run terraform).
    public static let unsupportedOpCode = "unsupported_op"

    /// An `unsupported_op` error for `op`, with `reason` as the message's detail.
    public static func unsupportedOp(_ op: String, reason: String) -> PluginError {
        PluginError(code: unsupportedOpCode, message: "'\(op)' is not supported: \(reason)",
                    hint: "kit falls back to its own way of doing this")
    }
}

extension ReadStateRequest {
    /// Decodes `{"op": "read_state", "backend_type", "backend", "workspace"?, "env"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "read_state request")
        let env = try decodeEnvironment(f, context: "read_state request")
        let backend = try f.value("backend")
        guard case .object = backend else {
            throw MessageDecodingError.wrongType(field: "backend", expected: "an object", context: "read_state request")
        }
        self.init(backendType: try f.string("backend_type"), backend: backend,
                  workspace: try f.optionalString("workspace") ?? "", env: env)
    }

    /// The wire form, including `"op": "read_state"`.
    public var json: JSONValue {
        .object(["op": .string("read_state"), "backend_type": .string(backendType), "backend": backend,
                 "workspace": .string(workspace), "env": .object(env.mapValues { .string($0) })])
    }
}

extension ReadStateResponse {
    /// Decodes `{"ok": true, "state": {…}}` or `{"ok": true, "missing": true, "detail"?}`; a response
    /// with neither is an error.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "read_state response")
        if try f.bool("missing", default: false) {
            self = .missing(detail: try f.optionalString("detail") ?? "")
            return
        }
        guard let state = f.optionalValue("state") else { throw MessageDecodingError.missingField("state", context: "read_state response") }
        guard case .object = state else {
            throw MessageDecodingError.wrongType(field: "state", expected: "an object", context: "read_state response")
        }
        self = .state(state)
    }

    /// The response body: `{"ok": true, "state": …}` or `{"ok": true, "missing": true, "detail": "…"}`.
    public var json: JSONValue {
        switch self {
        case .state(let document): return .object(["ok": .bool(true), "state": document])
        case .missing(let detail): return .object(["ok": .bool(true), "missing": .bool(true), "detail": .string(detail)])
        }
    }
}
