import KitPluginSDK
import KitPluginSupport

/// The real HTTP transport of `AzureBlobStateReader`: one synchronous GET.
enum AzureBlobTransport {
    /// GETs `url` with `headers`, waiting at most `timeout` seconds. Error messages name the URL
    /// without its query (a SAS token lives there).
    static let blockingHTTP: AzureBlobStateReader.Transport = { url, headers, timeout in
        let shown = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let hint = "check the storage account name, settings.kit.azure.blob_endpoint and the network"
        do throws(BlockingHTTP.Failure) {
            let response = try BlockingHTTP.get(url, headers: headers, timeout: timeout)
            return (response.status, response.headers, response.body)
        } catch .invalidURL {
            throw AzureBlobStateReader.failure("'\(shown)' is not a valid url", hint: "check settings.kit.azure.blob_endpoint and the backend's names")
        } catch .timedOut(let seconds) {
            throw AzureBlobStateReader.failure("no answer from '\(shown)' within \(seconds) s", hint: hint)
        } catch .unreachable(let reason) {
            throw AzureBlobStateReader.failure("cannot reach '\(shown)': \(reason)", hint: hint)
        }
    }
}
