import CKitHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One synchronous HTTP GET, for the plugins' state readers (plugin calls are synchronous).
///
/// It goes through libcurl, loaded on the first GET (`kit_http.c`): linking FoundationNetworking
/// instead made every kit run that loads a first-party plugin load libcurl and some thirty other
/// libraries, whether or not it read any state.
public enum BlockingHTTP {
    /// What the server answered.
    public struct Response: Sendable {
        public var status: Int
        /// Header names lowercased (of the last response, after any interim `100 Continue`).
        public var headers: [String: String]
        public var body: [UInt8]
    }

    /// Why there is no answer. Messages never include the URL (a query can hold a token).
    public enum Failure: Error, Equatable {
        case invalidURL
        case timedOut(seconds: Int)
        case unreachable(String)
    }

    /// GETs `url` with `headers`, waiting at most `timeout` seconds.
    public static func get(_ url: String, headers: [String: String], timeout: Double) throws(Failure) -> Response {
        try request("GET", url, headers: headers, body: [], timeout: timeout)
    }

    /// Sends `method` to `url` with `headers` and `body` (not sent for GET), waiting at most `timeout` seconds.
    public static func request(_ method: String, _ url: String, headers: [String: String], body requestBody: [UInt8],
                               timeout: Double) throws(Failure) -> Response {
        guard let scheme = url.split(separator: ":", maxSplits: 1).first?.lowercased(), scheme == "http" || scheme == "https",
              url.hasPrefix(scheme + "://"), !url.utf8.contains(where: { $0 <= 0x20 }) else { throw .invalidURL }
        // Header values are signatures, dates and tokens kit made; a line break would split the request.
        let lines = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        guard !lines.contains(where: { $0.utf8.contains(0x0A) || $0.utf8.contains(0x0D) }) else {
            throw .unreachable("a request header contains a line break")
        }
        var response = kit_http_response()
        defer { kit_http_response_free(&response) }
        let code = withCStrings(lines) { pointers in
            requestBody.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    kit_http_request(method, url, pointers, Int32(lines.count), chars.baseAddress, chars.count,
                                     max(1, Int(timeout * 1000)), &response)
                }
            }
        }
        switch code {
        case 0: break
        case 2: throw .timedOut(seconds: Int(timeout))
        default: throw .unreachable(withUnsafeBytes(of: response.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        let body = response.body.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: response.body_len)) } ?? []
        let head = response.headers.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: response.headers_len), as: UTF8.self) } ?? ""
        return Response(status: response.status, headers: parseHeaders(head), body: body)
    }

    /// Header fields of the last response in `raw` (each status line starts a new set).
    static func parseHeaders(_ raw: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in raw.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if line.hasPrefix("HTTP/") { fields = [:]; continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            fields[name] = String(value)
        }
        return fields
    }

    /// Calls `body` with NUL-terminated copies of `strings`.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
