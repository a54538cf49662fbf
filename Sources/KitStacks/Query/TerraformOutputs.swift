import KitPluginSDK
import KitModel

/// Reads a component's outputs (name → value) from terraform's own formats.
///
/// JSON integers that fit in `Int` become `.int`, other numbers `.double`. Sensitive outputs keep
/// their values: both formats carry them in clear.
public enum TerraformOutputs {
    /// The outputs of a terraform state file, format version 4 (terraform 0.12 and later):
    /// `{"version": 4, "outputs": {"<name>": {"value": …, "type": …, "sensitive": true?}}, …}`.
    ///
    /// A missing or null `outputs` gives an empty map. Throws `TerraformOutputsError` for text that
    /// is not JSON, or a document that is not a version 4 state.
    public static func fromState(_ bytes: [UInt8]) throws -> [String: Value] {
        let document = try parseObject(bytes, source: .state)
        guard let version = document["version"] else { throw TerraformOutputsError.notAState }
        guard case .int(4) = version else {
            throw TerraformOutputsError.unsupportedStateVersion(JSONWriter.compact(ValueJSON.convert(version)))
        }
        switch document["outputs"] {
        case nil, .null?: return [:]
        case .object(let outputs)?: return try values(outputs, source: .state)
        case let other?:
            throw TerraformOutputsError.malformed(source: .state, reason: "'outputs' is \(QueryNames.article(ValueJSON.convert(other))), not an object")
        }
    }

    /// The outputs printed by `terraform output -json`:
    /// `{"<name>": {"sensitive": false, "type": …, "value": …}}`.
    public static func fromOutputJSON(_ bytes: [UInt8]) throws -> [String: Value] {
        try values(try parseObject(bytes, source: .outputJSON), source: .outputJSON)
    }

    static func parseObject(_ bytes: [UInt8], source: TerraformOutputsError.Source) throws -> [String: JSONValue] {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw TerraformOutputsError.empty(source)
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes: bytes)
        } catch let error as JSONParseError {
            throw TerraformOutputsError.invalidJSON(source: source, reason: error.description)
        }
        guard case .object(let object) = document else {
            throw TerraformOutputsError.malformed(source: source, reason: "the document is \(QueryNames.article(ValueJSON.convert(document))), not an object")
        }
        return object
    }

    static func values(_ outputs: [String: JSONValue], source: TerraformOutputsError.Source) throws -> [String: Value] {
        var result: [String: Value] = [:]
        result.reserveCapacity(outputs.count)
        for (name, entry) in outputs {
            guard case .object(let fields) = entry, let value = fields["value"] else {
                throw TerraformOutputsError.malformed(source: source, reason: "output '\(MessageText.quoted(name, limit: 100))' has no 'value'")
            }
            result[name] = ValueJSON.convert(value)
        }
        return result
    }
}

/// Terraform output data that kit cannot read.
public enum TerraformOutputsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the bytes came from.
    public enum Source: String, Equatable, Sendable {
        /// A state file.
        case state = "terraform state"
        /// The output of `terraform output -json`.
        case outputJSON = "'terraform output -json'"
    }

    /// No bytes, or only whitespace.
    case empty(Source)
    /// Not JSON; `reason` is the parser's message with the byte offset.
    case invalidJSON(source: Source, reason: String)
    /// JSON, but not shaped as expected.
    case malformed(source: Source, reason: String)
    /// A JSON object without `version`: not a state file.
    case notAState
    /// A state file of another format version (the version as JSON).
    case unsupportedStateVersion(String)

    /// The message: lowercase, naming the source and what to expect.
    public var description: String {
        switch self {
        case .empty(let s):
            return "\(s.rawValue) is empty"
        case .invalidJSON(let s, let reason):
            return "\(s.rawValue) is not valid JSON: \(reason)"
        case .malformed(let s, let reason):
            return "\(s.rawValue) is malformed: \(reason)"
        case .notAState:
            return "not a terraform state file: it has no 'version' field"
        case .unsupportedStateVersion(let v):
            return "terraform state version \(MessageText.quoted(v, limit: 40)) is not supported — kit reads state format version 4 (terraform 0.12 and later)"
        }
    }
}
