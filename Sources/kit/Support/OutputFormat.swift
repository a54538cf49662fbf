import ArgumentParser
import KitCore

/// `--format yaml|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json

    /// The value rendered in this format, ending with a newline.
    func render(_ value: Value) -> [UInt8] {
        switch self {
        case .yaml: return YAMLWriter.documentBytes(value)
        case .json: return JSONWriter.prettyBytes(value)
        }
    }

    /// How atmos prints its configuration in this format (`describe config`, `atmos_cli_config`).
    var atmosEncoding: AtmosEncoding { self == .json ? .json : .yaml }
}

/// `--query '<expression>'` on describe and list commands (the jq-like language of docs/query.md).
enum QueryOption {
    /// The parsed expression; a syntax error is a usage error (exit 64) quoting the expression.
    static func parse(_ text: String?, _ diagnostics: Diagnostics) throws -> QueryExpression? {
        guard let text else { return nil }
        do { return try QueryExpression.parse(text) } catch {
            diagnostics.error(error)
            throw ExitCode(64)
        }
    }
}
