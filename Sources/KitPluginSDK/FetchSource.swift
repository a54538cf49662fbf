/// `fetch_source` (an optional ABI 1.1 op): bring a vendored source that lives in a provider's
/// storage (an S3 object or prefix, for example) onto kit's side, for `kit vendor pull|diff`.
///
/// Wire form: `{"op": "fetch_source", "url": "s3::https://…", "env": {…}, "max_bytes": N, "max_files": N}`.
/// kit asks every loaded plugin in turn; a plugin that does not serve the URL's scheme answers
/// `unsupported_op` (the SDK's default), and a plugin built before this op existed answers
/// `bad_request` — kit treats both as "ask the next plugin". kit writes the returned files itself,
/// inside the vendor target only, so a plugin never touches the repository.
public struct FetchSourceRequest: Equatable, Sendable {
    /// The source as written in `vendor.yaml` / `component.yaml`, after templates (`s3::…`, `s3://…`).
    public var url: String
    /// kit's process environment (credentials, region, endpoints).
    public var env: [String: String]
    /// The most bytes the answer may carry in total; a larger source is an error.
    public var maxBytes: Int
    /// The most files the answer may carry.
    public var maxFiles: Int

    /// Creates a request.
    public init(url: String, env: [String: String], maxBytes: Int, maxFiles: Int) {
        self.url = url
        self.env = env
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }
}

/// The answer to `fetch_source`: the source's files, with paths relative to the source root.
///
/// Wire form: `{"ok": true, "files": [{"path": "main.tf", "content_base64": "…"}], "resolved": "…"}`.
/// A single object (`…/module.tar.gz`) is one file named after the object's last path segment; kit
/// unpacks `.tar.gz`, `.tgz` and `.zip` files as it does for HTTP archives.
public struct FetchSourceResponse: Equatable, Sendable {
    /// One file of the source.
    public struct File: Equatable, Sendable {
        /// The path relative to the source root, `/`-separated; never absolute, never with `..`.
        public var path: String
        /// The file's bytes.
        public var content: [UInt8]

        /// Creates a file.
        public init(path: String, content: [UInt8]) {
            self.path = path
            self.content = content
        }
    }

    /// The files, in any order.
    public var files: [File]
    /// What the source resolved to (an S3 object's ETag or version, for example), recorded in the
    /// lock file; nil lets kit record the digest of the files.
    public var resolved: String?
    /// True when the URL named one object (a file), not a prefix (a folder).
    public var singleObject: Bool

    /// Creates a response.
    public init(files: [File], resolved: String? = nil, singleObject: Bool = false) {
        self.files = files
        self.resolved = resolved
        self.singleObject = singleObject
    }
}

extension FetchSourceRequest {
    /// Decodes `{"op": "fetch_source", "url", "env"?, "max_bytes"?, "max_files"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "fetch_source request")
        let env = try decodeEnvironment(f, context: "fetch_source request")
        self.init(url: try f.string("url"), env: env,
                  maxBytes: f.optionalValue("max_bytes")?.intValue ?? 512 << 20,
                  maxFiles: f.optionalValue("max_files")?.intValue ?? 10_000)
    }

    /// The wire form, including `"op": "fetch_source"`.
    public var json: JSONValue {
        .object(["op": .string("fetch_source"), "url": .string(url), "env": .object(env.mapValues { .string($0) }),
                 "max_bytes": .int(maxBytes), "max_files": .int(maxFiles)])
    }
}

extension FetchSourceResponse {
    /// Decodes `{"ok": true, "files": [{"path", "content_base64"}], "resolved"?, "single_object"?}`.
    public init(json: JSONValue) throws {
        let f = try JSONFields(json, context: "fetch_source response")
        var files: [File] = []
        for item in try f.array("files", required: true) {
            let g = try JSONFields(item, context: "fetch_source file")
            guard let bytes = Base64.decode(try g.string("content_base64")) else {
                throw MessageDecodingError.wrongType(field: "content_base64", expected: "base64 text", context: "fetch_source file")
            }
            files.append(File(path: try g.string("path"), content: bytes))
        }
        self.init(files: files, resolved: try f.optionalString("resolved"), singleObject: try f.bool("single_object", default: false))
    }

    /// The response body.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "ok": .bool(true), "single_object": .bool(singleObject),
            "files": .array(files.map { .object(["path": .string($0.path), "content_base64": .string(Base64.encode($0.content))]) }),
        ]
        if let resolved { members["resolved"] = .string(resolved) }
        return .object(members)
    }
}

/// Standard base64 (RFC 4648, with padding), without Foundation.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` as base64 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of base64 `text`, or nil when it is not base64 (padding optional).
    public static func decode(_ text: String) -> [UInt8]? {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        var out: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0, padding = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0 else { return nil }
            let v = table[Int(c)]
            guard v != 255 else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(buffer >> UInt32(bits) & 0xFF))
            }
        }
        guard padding <= 2, bits < 6 else { return nil }
        return out
    }
}
