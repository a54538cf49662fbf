// Wire forms of the plugin messages (see docs/plugins.md). Field names are snake_case.

extension Finding {
    /// Decodes `{"severity", "policy", "message", "path"?, "hint"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "finding")
        self.init(severity: try f.severity("severity"), policy: try f.string("policy"),
                  message: try f.string("message"), path: try f.optionalString("path"),
                  hint: try f.optionalString("hint"))
    }

    /// The wire form; `path` and `hint` are left out when nil.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["severity": .string(severity.rawValue), "policy": .string(policy),
                                      "message": .string(message)]
        if let path { o["path"] = .string(path) }
        if let hint { o["hint"] = .string(hint) }
        return .object(o)
    }

    /// Decodes the `findings` array of a response (missing or null means none).
    static func list(from fields: JSONFields) throws -> [Finding] {
        try fields.array("findings").map { try Finding(json: $0) }
    }
}

extension PolicyInfo {
    /// Decodes `{"id", "summary", "default_severity"}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "policy")
        self.init(id: try f.string("id"), summary: try f.string("summary"),
                  defaultSeverity: try f.severity("default_severity"))
    }

    /// The wire form.
    public var json: JSONValue {
        .object(["id": .string(id), "summary": .string(summary), "default_severity": .string(defaultSeverity.rawValue)])
    }
}

extension PluginDescription {
    /// Decodes a `describe` response (the `ok` and version fields are ignored here).
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "describe response")
        self.init(name: try f.string("name"), version: try f.string("version"),
                  backendTypes: try f.strings("backend_types"), providers: try f.strings("providers"),
                  policies: try f.array("policies").map { try PolicyInfo(json: $0) },
                  settingsSchema: f.optionalValue("settings_schema") ?? .object([:]))
    }

    /// The `describe` response body: `{"ok": true, "name", "version", "sdk_version", "swift_version",
    /// "backend_types", "providers", "policies", "settings_schema"}`.
    public var json: JSONValue {
        .object([
            "ok": .bool(true),
            "name": .string(name),
            "version": .string(version),
            "sdk_version": .string(KitPluginSDKInfo.version),
            "swift_version": .string(SwiftToolchain.version),
            "backend_types": .array(backendTypes.map { .string($0) }),
            "providers": .array(providers.map { .string($0) }),
            "policies": .array(policies.map(\.json)),
            "settings_schema": settingsSchema,
        ])
    }
}

extension EnvVar {
    /// Decodes `{"name", "value", "secret"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "env entry")
        self.init(name: try f.string("name"), value: try f.string("value"), secret: try f.bool("secret", default: false))
    }

    /// The wire form.
    public var json: JSONValue {
        .object(["name": .string(name), "value": .string(value), "secret": .bool(secret)])
    }
}

extension AdaptRequest {
    /// Decodes `{"op": .string("adapt"), "operation", "component", "stack", "workspace", "ci"}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "adapt request")
        self.init(operation: try f.string("operation"), component: try f.value("component"),
                  stack: try f.optionalString("stack") ?? "", workspace: try f.optionalString("workspace") ?? "",
                  ci: try f.bool("ci", default: false))
    }

    /// The wire form, including `"op": .string("adapt")`.
    public var json: JSONValue {
        .object(["op": .string("adapt"), "operation": .string(operation), "component": component,
                 "stack": .string(stack), "workspace": .string(workspace), "ci": .bool(ci)])
    }
}

extension AdaptResponse {
    /// Decodes `{"ok": true, "backend"?, "env"?, "providers_override"?, "args"?, "findings"?}`.
    ///
    /// `env` may be an array of `{"name", "value", "secret"}` or, for hand-written plugins, an object
    /// of name → string value (not secret).
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "adapt response")
        var env: [EnvVar] = []
        switch f.optionalValue("env") {
        case .none: break
        case .array(let items)?: env = try items.map { try EnvVar(json: $0) }
        case .object(let members)?:
            env = try members.keys.sorted().map { key in
                guard case .string(let v) = members[key]! else {
                    throw MessageDecodingError.wrongType(field: "env", expected: "an object of strings", context: "adapt response")
                }
                return EnvVar(name: key, value: v)
            }
        default:
            throw MessageDecodingError.wrongType(field: "env", expected: "an array or an object", context: "adapt response")
        }
        self.init(backend: f.optionalValue("backend"), env: env,
                  providersOverride: f.optionalValue("providers_override"),
                  args: try f.strings("args"), findings: try Finding.list(from: f))
    }

    /// The response body: `{"ok": true, "backend", "env", "providers_override", "args", "findings"}`
    /// (`backend` and `providers_override` are null when absent).
    public var json: JSONValue {
        .object([
            "ok": .bool(true),
            "backend": backend ?? .null,
            "env": .array(env.map(\.json)),
            "providers_override": providersOverride ?? .null,
            "args": .array(args.map { .string($0) }),
            "findings": .array(findings.map(\.json)),
        ])
    }
}

extension ReviewRequest {
    /// Decodes `{"op": .string("review"), "operation", "component", "plan"}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "review request")
        self.init(operation: try f.string("operation"), component: try f.value("component"), plan: try f.value("plan"))
    }

    /// The wire form, including `"op": .string("review")`.
    public var json: JSONValue {
        .object(["op": .string("review"), "operation": .string(operation), "component": component, "plan": plan])
    }
}

extension ValidateRequest {
    /// Decodes `{"op": .string("validate"), "component"}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "validate request")
        self.init(component: try f.value("component"))
    }

    /// The wire form, including `"op": .string("validate")`.
    public var json: JSONValue { .object(["op": .string("validate"), "component": component]) }
}

extension AfterRequest {
    /// Decodes `{"op": .string("after"), "operation", "exit_code", "plan_summary"}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "after request")
        self.init(operation: try f.string("operation"), exitCode: try f.int("exit_code"),
                  planSummary: f.optionalValue("plan_summary") ?? .null)
    }

    /// The wire form, including `"op": .string("after")`.
    public var json: JSONValue {
        .object(["op": .string("after"), "operation": .string(operation), "exit_code": .int(exitCode), "plan_summary": planSummary])
    }
}

extension PluginError {
    /// Decodes the `error` object `{"code", "message", "hint"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "error")
        self.init(code: try f.string("code"), message: try f.string("message"), hint: try f.optionalString("hint"))
    }

    /// The full error response: `{"ok": false, "error": {"code", "message", "hint"}}` (hint null when absent).
    public var responseJSON: JSONValue {
        .object(["ok": .bool(false),
                 "error": .object(["code": .string(code), "message": .string(message), "hint": hint.map { .string($0) } ?? .null])])
    }
}

extension Finding {
    /// A findings-only response body: `{"ok": true, "findings": [...]}` (review, validate, after).
    public static func responseJSON(_ findings: [Finding]) -> JSONValue {
        .object(["ok": .bool(true), "findings": .array(findings.map(\.json))])
    }

    /// Decodes a findings-only response body (a missing or null `findings` means none).
    public static func decodeResponse(_ json: JSONValue) throws -> [Finding] {
        try list(from: JSONFields(json, context: "response"))
    }
}
