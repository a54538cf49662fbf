import KitPluginSDK
import Foundation
import KitModel

/// Sprig's encoding functions: JSON, YAML, base64 and SHA-256.
extension TemplateFunction {
    func callEncoding(_ args: TemplateArguments) throws -> TemplateValue {
        try args.expect(1)
        switch self {
        case .toJson:
            return .value(.string(GoJSON.encode(args.value(0), pretty: false)))
        case .toPrettyJson:
            return .value(.string(GoJSON.encode(args.value(0), pretty: true)))
        case .toYaml:
            return .value(.string(TemplateYAMLWriter.write(args.value(0))))
        case .fromJson:
            return .value(GoJSON.decode(try args.string(0)) ?? .null)
        case .b64enc:
            return .value(.string(Data(try args.string(0).utf8).base64EncodedString()))
        case .b64dec:
            let text = try args.string(0)
            guard let data = Data(base64Encoded: text) else {
                // Sprig returns the decoding error's text instead of failing.
                return .value(.string("illegal base64 data at input byte \(Self.firstBadBase64Byte(text))"))
            }
            return .value(.string(String(decoding: data, as: UTF8.self)))
        default: // .sha256sum
            return .value(.string(SHA256.hexDigest(of: Array(try args.string(0).utf8))))
        }
    }

    private static func firstBadBase64Byte(_ text: String) -> Int {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, b) in text.utf8.enumerated() where !alphabet.contains(b) && b != UInt8(ascii: "=") { return i }
        return text.utf8.count
    }
}
