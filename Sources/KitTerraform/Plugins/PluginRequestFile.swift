import KitPluginSDK
#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

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
/// Expectations: `ok` (bool), `error_code` (the error's `code`), `finding_count`, `findings`
/// (each expected finding must match one actual finding on every key it gives: `policy`,
/// `severity`, `path`, `message`, `message_contains`, `hint`), and for `adapt` the rest of the answer:
/// `env` (name → value, the whole environment), `secret_env` (the names marked secret, in any order),
/// `backend`, `providers_override` (JSON, compared whole; `null` for none) and `args` (in order).
/// A key kit does not know — in a case, its `expect` or an expected finding — is an error naming the
/// file and the case, so a misspelt expectation cannot pass unchecked.
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
            let label = item["name"]?.stringValue.map { "case '\($0)'" } ?? "case \(i + 1)"
            if item["request"] != nil { try checkKeys(item, known: caseKeys, what: label, path: path) }
            if let expect = item["expect"] {
                guard case .object = expect else {
                    throw PluginRequestFileError(path: path, reason: "\(label): 'expect' is not an object")
                }
                try checkKeys(expect, known: expectKeys, what: "\(label): expect", path: path)
                for wanted in expect["findings"]?.arrayValue ?? [] {
                    try checkKeys(wanted, known: findingKeys, what: "\(label): expect.findings", path: path)
                }
            }
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

    /// The keys of a case (when it has a `request`).
    public static let caseKeys = ["name", "request", "component_file", "plan_file", "expect"]
    /// The expectations `check` knows.
    public static let expectKeys = ["ok", "error_code", "finding_count", "findings", "env", "secret_env", "backend",
                                    "providers_override", "args"]
    /// The keys of an expected finding.
    public static let findingKeys = ["policy", "severity", "path", "message", "message_contains", "hint"]

    static func checkKeys(_ object: JSONValue, known: [String], what: String, path: String) throws {
        guard case .object(let members) = object else {
            throw PluginRequestFileError(path: path, reason: "\(what) is not an object")
        }
        for key in members.keys.sorted() where !known.contains(key) {
            let hint = Suggestions.closest(to: key, in: known).first.map { " — did you mean '\($0)'?" }
                ?? " — known keys: \(known.map { "'\($0)'" }.joined(separator: ", "))"
            throw PluginRequestFileError(path: path, reason: "\(what) has the unknown key '\(key)'\(hint)")
        }
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
        problems += checkAdaptAnswer(response, against: expect)
        let actual = response["findings"]?.arrayValue ?? []
        if let count = expect["finding_count"]?.intValue, actual.count != count {
            problems.append("expected \(count) finding(s), got \(actual.count)")
        }
        problems += checkAdaptAnswer(response, against: expect)
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

    /// `env`, `secret_env`, `backend`, `providers_override` and `args`, read from the answer as kit
    /// reads an `adapt` answer (`env` as a list of `{name, value, secret}` or a plain object).
    static func checkAdaptAnswer(_ response: JSONValue, against expect: JSONValue) -> [String] {
        var problems: [String] = []
        let wantsAdapt = ["env", "secret_env", "backend", "providers_override", "args"].contains { expect[$0] != nil }
        guard wantsAdapt else { return [] }
        guard response["ok"]?.boolValue == true, let answer = try? AdaptResponse(json: response) else {
            return ["expected an adapt answer, got \(response.serialized())"]
        }
        if let env = expect["env"] {
            var actual: [String: JSONValue] = [:]
            for e in answer.env { actual[e.name] = .string(e.value) }
            if env != .object(actual) {
                problems.append("expected env \(env.serialized()), got \(JSONValue.object(actual).serialized())")
            }
        }
        if let secret = expect["secret_env"] {
            let wanted = (secret.arrayValue ?? []).compactMap(\.stringValue).sorted()
            let actual = answer.env.filter(\.secret).map(\.name).sorted()
            if wanted != actual {
                problems.append("expected secret env \(JSONValue.array(wanted.map(JSONValue.string)).serialized()), got \(JSONValue.array(actual.map(JSONValue.string)).serialized())")
            }
        }
        for (key, actual) in [("backend", answer.backend ?? .null), ("providers_override", answer.providersOverride ?? .null)] {
            if let wanted = expect[key], wanted != actual {
                problems.append("expected \(key) \(wanted.serialized()), got \(actual.serialized())")
            }
        }
        if let args = expect["args"] {
            let actual = JSONValue.array(answer.args.map(JSONValue.string))
            if args != actual { problems.append("expected args \(args.serialized()), got \(actual.serialized())") }
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

/// A request file `kit plugin test` cannot use: `request file 'req.json': case 'x': expect has the
/// unknown key 'evn' — did you mean 'env'?`
public struct PluginRequestFileError: Error, Equatable, CustomStringConvertible {
    /// The request file as given.
    public var path: String
    /// What is wrong, naming the case.
    public var reason: String

    public var description: String { "request file '\(path)': \(reason)" }
}
