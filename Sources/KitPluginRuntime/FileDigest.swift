import Crypto

/// SHA-256 from swift-crypto (BoringSSL's implementation on Linux): what plugin pins, `plugins.lock`
/// and vendored files are checked with (issue 20: a vetted hash, not the SDK's hand-written one).
public struct FileDigest {
    private var hasher = Crypto.SHA256()

    public init() {}

    /// Adds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// The lowercase hex digest.
    public func finalizeHex() -> String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in hasher.finalize() {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lowercase hex SHA-256 of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var d = FileDigest()
        bytes.withUnsafeBytes { d.update($0) }
        return d.finalizeHex()
    }
}
