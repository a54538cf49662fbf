import KitPluginSDK
import KitPluginSupport

/// AWS Signature Version 4 for one HTTP request (header-based, `AWS4-HMAC-SHA256`).
///
/// `sign` returns the headers to send: the given ones plus `x-amz-date`, `x-amz-content-sha256`,
/// `x-amz-security-token` (with a session token) and `Authorization`. Every header passed in (and
/// `host`) is signed. The path must already be URI-encoded the way it goes on the wire (S3 encodes
/// each key segment once; see `SigV4.encodePath`).
struct SigV4 {
    /// Static credentials.
    struct Credentials: Equatable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
    }

    var credentials: Credentials
    var region: String
    var service: String

    /// The SHA-256 of an empty payload, as S3 wants it in `x-amz-content-sha256` for a GET.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The signed headers for `method host path?query` at `amzDate` (`yyyyMMddTHHmmssZ`).
    func sign(method: String, host: String, path: String, query: [(String, String)] = [], headers: [String: String] = [:],
              payloadHash: String = emptyPayloadHash, amzDate: String) -> [String: String] {
        var all: [String: String] = [:]
        for (k, v) in headers { all[k.lowercased()] = v }
        all["host"] = host
        all["x-amz-date"] = amzDate
        all["x-amz-content-sha256"] = payloadHash
        if let token = credentials.sessionToken, !token.isEmpty { all["x-amz-security-token"] = token }
        let names = all.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(Self.trim(all[$0]!))\n" }.joined()
        let encodedQuery: [(name: String, value: String)] = query.map { (Self.encode($0.0), Self.encode($0.1)) }
        let sortedQuery = encodedQuery.sorted { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
        let canonicalQuery = sortedQuery.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let canonicalRequest = [method, path.isEmpty ? "/" : path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256.hexDigest(of: Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        let signature = SHA256.hex(HMACSHA256.authenticationCode(for: Array(stringToSign.utf8), key: signingKey(day: day)))
        var out = all
        out["host"] = nil
        out["authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return out
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    func signingKey(day: String) -> [UInt8] {
        let date = HMACSHA256.authenticationCode(for: Array(day.utf8), key: Array(("AWS4" + credentials.secretAccessKey).utf8))
        let region = HMACSHA256.authenticationCode(for: Array(self.region.utf8), key: date)
        let service = HMACSHA256.authenticationCode(for: Array(self.service.utf8), key: region)
        return HMACSHA256.authenticationCode(for: Array("aws4_request".utf8), key: service)
    }

    /// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay,
    /// every other byte becomes `%XX` (uppercase hex).
    static func encode(_ s: String, keepSlash: Bool = false) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 0xf, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// An S3 object path: `/` then the key (and, path-style, the bucket first), each byte encoded once
    /// except `/`.
    static func encodePath(_ segments: [String]) -> String {
        "/" + segments.map { encode($0, keepSlash: true) }.joined(separator: "/")
    }

    /// `x-amz-date` for a moment given as seconds since 1970 (UTC): `yyyyMMddTHHmmssZ`.
    static func amzDate(secondsSince1970 t: Int) -> String {
        let c = CivilTime(secondsSince1970: t), two = CivilTime.twoDigits
        return "\(c.year)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    private static func trim(_ s: String) -> String {
        var t = Substring(s)
        while t.first == " " || t.first == "\t" { t = t.dropFirst() }
        while t.last == " " || t.last == "\t" { t = t.dropLast() }
        // Sequential spaces collapse to one.
        var out = ""
        var lastSpace = false
        for ch in t {
            if ch == " " { if !lastSpace { out.append(ch) }; lastSpace = true } else { out.append(ch); lastSpace = false }
        }
        return out
    }
}
