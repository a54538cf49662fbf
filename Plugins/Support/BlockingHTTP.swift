import Synchronization
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One synchronous HTTP GET, for the plugins' state readers (plugin calls are synchronous).
public enum BlockingHTTP {
    /// What the server answered.
    public struct Response: Sendable {
        public var status: Int
        /// Header names lowercased.
        public var headers: [String: String]
        public var body: [UInt8]
    }

    /// Why there is no answer. Messages name `shownURL`, never the full URL (a query can hold a token).
    public enum Failure: Error, Equatable {
        case invalidURL
        case timedOut(seconds: Int)
        case unreachable(String)
    }

    /// GETs `url` with `headers`, waiting at most `timeout` seconds.
    public static func get(_ url: String, headers: [String: String], timeout: Double) throws(Failure) -> Response {
        guard let u = URL(string: url) else { throw .invalidURL }
        var request = URLRequest(url: u, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let exchange = Exchange()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request) { data, response, error in
            let http = response as? HTTPURLResponse
            var lowered: [String: String] = [:]
            for (k, v) in http?.allHeaderFields ?? [:] {
                if let name = k as? String, let value = v as? String { lowered[name.lowercased()] = value }
            }
            exchange.finish(Result(data: data.map { [UInt8]($0) } ?? [], status: http?.statusCode, headers: lowered,
                                   failed: error?.localizedDescription))
        }
        task.resume()
        guard exchange.done.wait(timeout: .now() + timeout + 5) == .success else {
            task.cancel()
            throw .timedOut(seconds: Int(timeout))
        }
        let result = exchange.result
        if let failed = result.failed { throw .unreachable(failed) }
        return Response(status: result.status ?? 0, headers: result.headers, body: result.data)
    }

    struct Result: Sendable {
        var data: [UInt8] = []
        var status: Int?
        var headers: [String: String] = [:]
        var failed: String?
    }

    /// The result of one URLSession task, handed from its completion handler to the waiting caller.
    final class Exchange: Sendable {
        let done = DispatchSemaphore(value: 0)
        private let stored = Mutex(Result())
        var result: Result { stored.withLock { $0 } }

        /// Called once by the completion handler; the caller reads `result` after `done` is signalled.
        func finish(_ result: Result) {
            stored.withLock { $0 = result }
            done.signal()
        }
    }
}
