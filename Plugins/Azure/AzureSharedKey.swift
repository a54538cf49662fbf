import Foundation
import KitPluginSDK
import KitPluginSupport

/// Azure Storage **Shared Key** authorization for one Blob service request (service version
/// 2015-02-21 or later), as Microsoft's "Authorize with Shared Key" specifies it:
///
/// ```
/// StringToSign = VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n
///                Content-Type \n Date \n If-Modified-Since \n If-Match \n If-None-Match \n
///                If-Unmodified-Since \n Range \n CanonicalizedHeaders CanonicalizedResource
/// Authorization = "SharedKey <account>:" + Base64(HMAC-SHA256(Base64Decode(key), UTF8(StringToSign)))
/// ```
///
/// - Content-Length is empty when zero (2015-02-21+); `Date` is empty because `x-ms-date` is sent.
/// - CanonicalizedHeaders: every `x-ms-*` header, name lowercased, sorted by name, value trimmed with
///   runs of spaces folded to one, as `name:value\n`.
/// - CanonicalizedResource: `/<account><path>` with the path exactly as sent (already URI-encoded;
///   for a path-style emulator endpoint it starts with `/<account>` again), then for each query
///   parameter, sorted by lowercased name, `\n<name>:<decoded values, sorted, comma-separated>`.
struct AzureSharedKey {
    /// The storage account name.
    var account: String
    /// The decoded account key (the portal shows it base64-encoded).
    var key: [UInt8]

    /// Decodes a base64 account key; nil when it is not valid base64 (the key is never shown).
    init?(account: String, base64Key: String) {
        guard let decoded = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)), !decoded.isEmpty else {
            return nil
        }
        self.account = account
        key = [UInt8](decoded)
    }

    /// The standard headers in the order they appear in the string to sign.
    static let standardHeaders = ["content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
                                  "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"]

    /// The string to sign for `method path?query` with `headers` (names in any case).
    func stringToSign(method: String, path: String, query: [(String, String)] = [], headers: [String: String]) -> String {
        var lower: [String: String] = [:]
        for (k, v) in headers { lower[k.lowercased()] = v }
        if lower["content-length"] == "0" { lower["content-length"] = nil }
        var out = method.uppercased() + "\n"
        for name in Self.standardHeaders { out += (lower[name] ?? "") + "\n" }
        for name in lower.keys.filter({ $0.hasPrefix("x-ms-") }).sorted() {
            out += name + ":" + Self.fold(lower[name]!) + "\n"
        }
        out += "/" + account + (path.isEmpty ? "/" : path)
        var grouped: [String: [String]] = [:]
        for (name, value) in query { grouped[name.lowercased(), default: []].append(value) }
        for name in grouped.keys.sorted() {
            out += "\n" + name + ":" + grouped[name]!.sorted().joined(separator: ",")
        }
        return out
    }

    /// The `Authorization` header value for a string to sign.
    func authorization(for stringToSign: String) -> String {
        let mac = HMACSHA256.authenticationCode(for: Array(stringToSign.utf8), key: key)
        return "SharedKey \(account):" + Data(mac).base64EncodedString()
    }

    /// The headers to send for a GET of `path` at `date` (an RFC 1123 date): `x-ms-date`,
    /// `x-ms-version` and `Authorization`.
    func signedGetHeaders(path: String, date: String, version: String) -> [String: String] {
        let headers = ["x-ms-date": date, "x-ms-version": version]
        var out = headers
        out["Authorization"] = authorization(for: stringToSign(method: "GET", path: path, headers: headers))
        return out
    }

    /// The HTTP date for a moment given as seconds since 1970 (UTC): `Mon, 30 Nov 2026 02:52:24 GMT`.
    static func httpDate(secondsSince1970 t: Int) -> String {
        let c = CivilTime(secondsSince1970: t), two = CivilTime.twoDigits
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[c.weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }

    /// A path for a blob URL: `/` + each segment percent-encoded (RFC 3986 unreserved characters and
    /// `/` stay), the way the Azure SDKs encode blob names.
    static func encodePath(_ segments: [String]) -> String {
        var out = ""
        for segment in segments {
            out += "/"
            for b in segment.utf8 {
                switch b {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                    out.unicodeScalars.append(Unicode.Scalar(b))
                default:
                    out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 0xf, radix: 16, uppercase: true)
                }
            }
        }
        return out
    }

    private static func fold(_ value: String) -> String {
        var out = ""
        var lastSpace = false
        for ch in value.trimmingCharacters(in: .whitespaces) {
            if ch == " " || ch == "\t" || ch == "\r" || ch == "\n" {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.append(ch)
                lastSpace = false
            }
        }
        return out
    }
}
