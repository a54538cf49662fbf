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
}
