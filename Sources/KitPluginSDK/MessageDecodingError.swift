/// A plugin message that does not have the shape the ABI documents.
public enum MessageDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message (or a nested part of it) is not a JSON object.
    case notAnObject(context: String)
    /// A required field is missing.
    case missingField(String, context: String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String, context: String)
    /// A field has a value outside the documented set.
    case invalidValue(field: String, value: String, allowed: [String], context: String)
    /// The request's `op` is not one this SDK knows.
    case unknownOp(String)

    /// Lowercase, user values in single quotes.
    public var description: String {
        switch self {
        case .notAnObject(let context):
            return "\(context) is not a json object"
        case .missingField(let field, let context):
            return "\(context) has no '\(field)' field"
        case .wrongType(let field, let expected, let context):
            return "\(context) field '\(field)' must be \(expected)"
        case .invalidValue(let field, let value, let allowed, let context):
            return "\(context) field '\(field)' is '\(value)'; expected one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
        case .unknownOp(let op):
            return "unknown op '\(op)'; expected one of 'describe', 'adapt', 'review', 'validate', 'after', 'read_state', 'fetch_source', 'store', 'function'"
        }
    }
}

/// Typed access to the fields of one JSON object, with errors naming the message.
struct JSONFields {
    let members: [String: JSONValue]
    let context: String

    init(_ value: JSONValue, context: String) throws {
        guard case .object(let members) = value else { throw MessageDecodingError.notAnObject(context: context) }
        self.members = members
        self.context = context
    }

    func string(_ key: String) throws -> String {
        guard let v = members[key] else { throw MessageDecodingError.missingField(key, context: context) }
        guard case .string(let s) = v else { throw MessageDecodingError.wrongType(field: key, expected: "a string", context: context) }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = members[key], !v.isNull else { return nil }
        guard case .string(let s) = v else { throw MessageDecodingError.wrongType(field: key, expected: "a string", context: context) }
        return s
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = members[key], !v.isNull else { return fallback }
        guard case .bool(let b) = v else { throw MessageDecodingError.wrongType(field: key, expected: "true or false", context: context) }
        return b
    }

    func int(_ key: String) throws -> Int {
        guard let v = members[key] else { throw MessageDecodingError.missingField(key, context: context) }
        guard let i = v.intValue else { throw MessageDecodingError.wrongType(field: key, expected: "an integer", context: context) }
        return i
    }

    func value(_ key: String) throws -> JSONValue {
        guard let v = members[key] else { throw MessageDecodingError.missingField(key, context: context) }
        return v
    }

    func optionalValue(_ key: String) -> JSONValue? {
        guard let v = members[key], !v.isNull else { return nil }
        return v
    }

    func array(_ key: String, required: Bool = false) throws -> [JSONValue] {
        guard let v = members[key], !v.isNull else {
            if required { throw MessageDecodingError.missingField(key, context: context) }
            return []
        }
        guard case .array(let a) = v else { throw MessageDecodingError.wrongType(field: key, expected: "an array", context: context) }
        return a
    }

    func strings(_ key: String) throws -> [String] {
        try array(key).map {
            guard case .string(let s) = $0 else {
                throw MessageDecodingError.wrongType(field: key, expected: "an array of strings", context: context)
            }
            return s
        }
    }

    func severity(_ key: String) throws -> Severity {
        let raw = try string(key)
        guard let s = Severity(rawValue: raw) else {
            throw MessageDecodingError.invalidValue(field: key, value: raw, allowed: Severity.allCases.map(\.rawValue), context: context)
        }
        return s
    }
}

/// An optional `env` object of strings.
func decodeEnvironment(_ f: JSONFields, context: String) throws -> [String: String] {
    var env: [String: String] = [:]
    switch f.optionalValue("env") {
    case .none: break
    case .object(let members)?:
        for (k, v) in members {
            guard case .string(let s) = v else { throw MessageDecodingError.wrongType(field: "env", expected: "an object of strings", context: context) }
            env[k] = s
        }
    default:
        throw MessageDecodingError.wrongType(field: "env", expected: "an object of strings", context: context)
    }
    return env
}
