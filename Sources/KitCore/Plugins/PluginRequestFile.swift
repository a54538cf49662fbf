import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif

/// A request file for `kit plugin test`: requests to send a plugin and what to expect back.
///
/// ```json
/// {"cases": [
///   {"name": "validate flags a component without tags",
///    "request": {"op": "validate"},
///    "component_file": "components/no-tags.json",
///    "expect": {"ok": true, "finding_count": 1,
///               "findings": [{"policy": "gcp.tags.required", "severity": "warning"}]}},
///   {"name": "review of a plan", "request": {"op": "review", "operation": "apply"},
///    "component_file": "components/prod.json", "plan_file": "plans/create.json",
///    "expect": {"ok": true, "findings": [{"policy": "gcp.bucket.public", "message_contains": "public"}]}}
/// ]}
/// ```
/// A file may also be one case (an object with `request`) or one bare request (an object with `op`).
/// `component_file`/`plan_file` (relative to the request file) fill `component`/`plan`.
/// Expectations: `ok` (bool), `error_code` (the error's `code`), `finding_count`, and `findings`:
/// each expected finding must match one actual finding on every key it gives (`policy`,
/// `severity`, `path`, `message`, `message_contains`).
public struct PluginRequestFile {
    /// One case.
    public struct Case {
        /// Shown in the report.
        public var name: String
        /// The request sent.
        public var request: JSONValue
        /// The expectations (`.null`: none, the case only prints the response).
        public var expect: JSONValue
    }

    /// The cases, in file order.
    public var cases: [Case]

    /// Reads and parses `path`; component and plan files are read relative to it.
    public static func load(path: String) throws -> PluginRequestFile {
        let json = try readJSON(path)
        let base = PluginFileCheck.directory(of: path)
        let raw: [JSONValue]
        if let list = json["cases"]?.arrayValue { raw = list } else { raw = [json] }
        var cases: [Case] = []
        for (i, item) in raw.enumerated() {
            var request = item["request"] ?? item
            guard case .object(var members) = request, members["op"]?.stringValue != nil else {
                throw PluginLoadError.unreadable(path: path, reason: "case \(i + 1) has no request with an 'op'")
            }
            for (key, field) in [("component_file", "component"), ("plan_file", "plan")] {
                if let file = item[key]?.stringValue {
                    members[field] = try readJSON(file.hasPrefix("/") ? file : Paths.join(base, file))
                }
            }
            if members["op"]?.stringValue != "describe", members["component"] == nil { members["component"] = .object([:]) }
            request = .object(members)
            let op = members["op"]?.stringValue ?? "?"
            cases.append(Case(name: item["name"]?.stringValue ?? "\(op) #\(i + 1)", request: request, expect: item["expect"] ?? .null))
        }
        return PluginRequestFile(cases: cases)
    }

    /// The response shape a call produced: the plugin's `ok: true` body, or `{"ok": false, "error":
    /// {"code", "message"}}` for any failure (the code of a crash is `crashed`, of a timeout `timed_out`…).
    public static func respond(_ plugin: LoadedPlugin, _ request: JSONValue) -> JSONValue {
        do {
            return try plugin.send(request)
        } catch let error as PluginCallError {
            let code: String
            switch error {
            case .pluginError(_, _, let c, _, _): code = c
            case .badRequest: code = "bad_request"
            case .invalidResponse: code = "invalid_response"
            case .crashed: code = "crashed"
            case .exited: code = "exited"
            case .timedOut: code = "timed_out"
            case .interrupted: code = "interrupted"
            }
            return PluginResponse.failure(code: code, message: error.description)
        } catch {
            return PluginResponse.failure(code: "kit", message: "\(error)")
        }
    }

    /// What does not match in `response` (empty: the case passed).
    public static func check(_ response: JSONValue, against expect: JSONValue) -> [String] {
        guard case .object = expect else { return [] }
        var problems: [String] = []
        if let ok = expect["ok"]?.boolValue, response["ok"]?.boolValue != ok {
            problems.append("expected ok \(ok), got \(response["ok"]?.serialized() ?? "nothing")")
        }
        if let code = expect["error_code"]?.stringValue, response.value(at: ["error", "code"])?.stringValue != code {
            problems.append("expected error code '\(code)', got '\(response.value(at: ["error", "code"])?.stringValue ?? "none")'")
        }
        let actual = response["findings"]?.arrayValue ?? []
        if let count = expect["finding_count"]?.intValue, actual.count != count {
            problems.append("expected \(count) finding(s), got \(actual.count)")
        }
        for wanted in expect["findings"]?.arrayValue ?? [] {
            guard case .object(let keys) = wanted else { continue }
            let found = actual.contains { finding in
                keys.allSatisfy { key, value in
                    if key == "message_contains" {
                        return (finding["message"]?.stringValue ?? "").contains(value.stringValue ?? "\u{0}")
                    }
                    return finding[key] == value
                }
            }
            if !found { problems.append("no finding matches \(wanted.serialized())") }
        }
        return problems
    }

    static func readJSON(_ path: String) throws -> JSONValue {
        let bytes = try PluginLockFile.readFile(path)
        do { return try bytes.withUnsafeBytes { try JSONValue.parse(bytes: $0) } } catch {
            throw PluginLoadError.unreadable(path: path, reason: "not valid json: \(error)")
        }
    }
}
