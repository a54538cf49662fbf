/// One decoded request to a plugin, by `op`.
public enum PluginRequest: Sendable {
    /// `{"op": "describe"}`.
    case describe
    /// `{"op": "adapt", ...}`.
    case adapt(AdaptRequest)
    /// `{"op": "review", ...}`.
    case review(ReviewRequest)
    /// `{"op": "validate", ...}`.
    case validate(ValidateRequest)
    /// `{"op": "after", ...}`.
    case after(AfterRequest)
    /// `{"op": "read_state", ...}` (ABI 1.1).
    case readState(ReadStateRequest)
    /// `{"op": "fetch_source", ...}` (optional, ABI 1.1).
    case fetchSource(FetchSourceRequest)
    /// `{"op": "store", ...}` (optional, ABI 1.1).
    case store(StoreRequest)
    /// `{"op": "function", ...}` (optional, ABI 1.1).
    case function(FunctionRequest)

    /// Decodes a request object; throws `MessageDecodingError` for an unknown op or a bad field.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "request")
        let op = try f.string("op")
        switch op {
        case "describe": self = .describe
        case "adapt": self = .adapt(try AdaptRequest(json: json))
        case "review": self = .review(try ReviewRequest(json: json))
        case "validate": self = .validate(try ValidateRequest(json: json))
        case "after": self = .after(try AfterRequest(json: json))
        case "read_state": self = .readState(try ReadStateRequest(json: json))
        case "fetch_source": self = .fetchSource(try FetchSourceRequest(json: json))
        case "store": self = .store(try StoreRequest(json: json))
        case "function": self = .function(try FunctionRequest(json: json))
        default: throw MessageDecodingError.unknownOp(op)
        }
    }

    /// The op name: `describe`, `adapt`, `review`, `validate`, `after`, `read_state`, `fetch_source`, `store` or `function`.
    public var op: String {
        switch self {
        case .describe: return "describe"
        case .adapt: return "adapt"
        case .review: return "review"
        case .validate: return "validate"
        case .after: return "after"
        case .readState: return "read_state"
        case .fetchSource: return "fetch_source"
        case .store: return "store"
        case .function: return "function"
        }
    }

    /// The wire form.
    public var json: JSONValue {
        switch self {
        case .describe: return .object(["op": .string("describe")])
        case .adapt(let r): return r.json
        case .review(let r): return r.json
        case .validate(let r): return r.json
        case .after(let r): return r.json
        case .readState(let r): return r.json
        case .fetchSource(let r): return r.json
        case .store(let r): return r.json
        case .function(let r): return r.json
        }
    }
}
