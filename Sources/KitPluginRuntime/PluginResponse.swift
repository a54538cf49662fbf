import KitPluginSDK

/// Turns what `handle` returned into one response shape, and that shape into a result or a typed error.
///
/// The normalized form is always an object with `ok`: status 0 keeps the plugin's body; statuses 1–3
/// become `{"ok": false, "error": {"code", "message", "hint"}}` (status 2 has code `bad_request`,
/// status 3 code `internal`). `kit-plugin-host` writes exactly this form, one per line.
public enum PluginResponse {
    /// The normalized response for a status and the raw body bytes.
    public static func normalize(status: Int32, body: UnsafeRawBufferPointer) -> JSONValue {
        let parsed = body.isEmpty ? nil : (try? JSONValue.parse(bytes: body))
        switch status {
        case 0:
            guard let parsed, parsed["ok"]?.boolValue == true else {
                let text = String(decoding: body.prefix(200), as: UTF8.self)
                return failure(code: "invalid_response", message: "status 0 with a body that is not {\"ok\": true, …}: '\(text)'")
            }
            return parsed
        case 1:
            if let parsed, parsed["ok"]?.boolValue == false, let error = parsed["error"], (try? PluginError(json: error)) != nil {
                return parsed
            }
            return failure(code: "plugin_error", message: "status 1 without an error body")
        case 2:
            let message = parsed?.value(at: ["error", "message"])?.stringValue ?? "no detail"
            return failure(code: "bad_request", message: message)
        case 3:
            let message = parsed?.value(at: ["error", "message"])?.stringValue ?? "internal plugin failure"
            return failure(code: "internal", message: message)
        default:
            return failure(code: "invalid_response", message: "unknown status \(status)")
        }
    }

    /// The `{"ok": false, …}` body for a code and message.
    public static func failure(code: String, message: String, hint: String? = nil) -> JSONValue {
        PluginError(code: code, message: message, hint: hint).responseJSON
    }

    /// The body of an `ok: true` response, or the typed error a failure stands for.
    public static func unwrap(_ response: JSONValue, plugin: String, op: String) throws -> JSONValue {
        guard case .object = response, let ok = response["ok"]?.boolValue else {
            throw PluginCallError.invalidResponse(plugin: plugin, op: op, reason: "no 'ok' field")
        }
        if ok { return response }
        guard let errorJSON = response["error"], let error = try? PluginError(json: errorJSON) else {
            throw PluginCallError.invalidResponse(plugin: plugin, op: op, reason: "'ok' is false but there is no valid 'error' object")
        }
        switch error.code {
        case "bad_request": throw PluginCallError.badRequest(plugin: plugin, op: op, message: error.message)
        case "invalid_response": throw PluginCallError.invalidResponse(plugin: plugin, op: op, reason: error.message)
        default: throw PluginCallError.pluginError(plugin: plugin, op: op, code: error.code, message: error.message, hint: error.hint)
        }
    }
}
