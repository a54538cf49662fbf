import Synchronization
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KitPluginSDK

/// The real HTTP transport of `AzureBlobStateReader`: one synchronous URLSession GET.
enum AzureBlobTransport {
    /// GETs `url` with `headers`, waiting at most `timeout` seconds. Error messages name the URL
    /// without its query (a SAS token lives there).
    static let urlSession: AzureBlobStateReader.Transport = { url, headers, timeout in
        let shown = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let u = URL(string: url) else {
            throw AzureBlobStateReader.failure("'\(shown)' is not a valid url", hint: "check settings.kit.azure.blob_endpoint and the backend's names")
        }
        var request = URLRequest(url: u, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let exchange = BlobExchange()
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
            exchange.finish(data: data, status: http?.statusCode, headers: lowered, failed: error != nil ? error!.localizedDescription : nil)
        }
        task.resume()
        guard exchange.done.wait(timeout: .now() + timeout + 5) == .success else {
            task.cancel()
            throw AzureBlobStateReader.failure("no answer from '\(shown)' within \(Int(timeout)) s",
                                               hint: "check the storage account name, settings.kit.azure.blob_endpoint and the network")
        }
        let result = exchange.result
        if let failed = result.failed {
            throw AzureBlobStateReader.failure("cannot reach '\(shown)': \(failed)",
                                               hint: "check the storage account name, settings.kit.azure.blob_endpoint and the network")
        }
        return (result.status ?? 0, result.headers, result.data)
    }
}

/// The result of one URLSession task, handed from its completion handler to the waiting caller.
final class BlobExchange: Sendable {
    struct Result: Sendable {
        var data: [UInt8] = []
        var status: Int?
        var headers: [String: String] = [:]
        var failed: String?
    }

    let done = DispatchSemaphore(value: 0)
    private let stored = Mutex(Result())
    var result: Result { stored.withLock { $0 } }

    /// Called once by the completion handler; the caller reads `result` after `done` is signalled.
    func finish(data: Data?, status: Int?, headers: [String: String], failed: String?) {
        let bytes = data.map { [UInt8]($0) } ?? []
        stored.withLock { $0 = Result(data: bytes, status: status, headers: headers, failed: failed) }
        done.signal()
    }
}
