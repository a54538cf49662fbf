import Foundation
import Testing
import KitPluginSupport
#if canImport(Glibc)
import Glibc
#endif

/// The plugins' GET through libcurl loaded at first use, against loopback sockets this test opens.
@Suite("blocking HTTP GET (libcurl loaded on first use)")
struct BlockingHTTPTests {
    /// A loopback listener on a free port; `answer` (if any) is written to the first connection after
    /// its request headers arrive.
    final class Listener {
        let port: Int
        let fd: Int32

        init(answer: String?) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            guard bound == 0, listen(fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            port = Int(UInt16(bigEndian: address.sin_port))
            guard let answer else { return }
            Thread.detachNewThread {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var request: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 4096)
                while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                    let n = read(client, &chunk, chunk.count)
                    if n <= 0 { break }
                    request += chunk[0..<n]
                }
                let bytes = Array(answer.utf8)
                _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                close(client)
            }
        }

        deinit { close(fd) }
    }

    @Test("status, lowercased headers of the last response, and the body")
    func answers() throws {
        let listener = try Listener(answer: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nX-Ms-Error-Code: BlobNotFound\r\nContent-Length: 5\r\n\r\nnope!")
        let response = try BlockingHTTP.get("http://127.0.0.1:\(listener.port)/c/k", headers: ["x-ms-version": "2021-08-06"], timeout: 10)
        #expect(response.status == 404)
        #expect(response.headers["x-ms-error-code"] == "BlobNotFound")
        #expect(response.headers["content-length"] == "5")
        #expect(String(decoding: response.body, as: UTF8.self) == "nope!")
    }

    @Test("a listener that never answers is a timeout; a closed port is unreachable; a bad URL is refused")
    func failures() throws {
        let silent = try Listener(answer: nil)
        #expect(throws: BlockingHTTP.Failure.timedOut(seconds: 1)) {
            try BlockingHTTP.get("http://127.0.0.1:\(silent.port)/", headers: [:], timeout: 1)
        }
        let closed = try Listener(answer: nil)
        let port = closed.port
        close(closed.fd)
        #expect {
            try BlockingHTTP.get("http://127.0.0.1:\(port)/", headers: [:], timeout: 5)
        } throws: { error in
            guard case BlockingHTTP.Failure.unreachable(let reason) = error else { return false }
            return !reason.isEmpty
        }
        #expect(throws: BlockingHTTP.Failure.invalidURL) { try BlockingHTTP.get("file:///etc/passwd", headers: [:], timeout: 1) }
        #expect(throws: BlockingHTTP.Failure.invalidURL) { try BlockingHTTP.get("http://a b/", headers: [:], timeout: 1) }
        #expect(throws: BlockingHTTP.Failure.unreachable("a request header contains a line break")) {
            try BlockingHTTP.get("http://127.0.0.1:1/", headers: ["x": "a\r\nInjected: 1"], timeout: 1)
        }
    }
}
