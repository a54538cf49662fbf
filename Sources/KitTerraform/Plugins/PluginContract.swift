import KitPluginSDK
import KitModel
import KitStacks

/// What kit enforces on every plugin, whatever the plugin itself does: its declared settings schema
/// is checked before it is asked anything, and `settings.kit.policies` severities are applied to
/// its findings (a plugin may apply them too with the SDK's `PolicySeverities`; applying twice is
/// harmless).
public enum PluginContract {
    /// Error findings (policy `kit.settings`) for a `settings.kit.<plugin>` block that does not match
    /// the schema the plugin declared in `describe`; [] when it matches or the block is absent.
    public static func settingsFindings(plugin: LoadedPlugin, component: JSONValue) -> [Finding] {
        guard let block = component.value(at: ["settings", "kit", plugin.name]), !isEmptySchema(plugin.description.settingsSchema) else { return [] }
        var problems: [(path: String, message: String)] = []
        SettingsSchema.check(block, against: plugin.description.settingsSchema, path: "settings.kit.\(plugin.name)", problems: &problems)
        return problems.map {
            Finding(severity: .error, policy: "kit.settings", message: $0.message, path: $0.path,
                    hint: "see 'kit plugin info \(plugin.name)' for the settings the '\(plugin.name)' plugin accepts")
        }
    }

    /// The plugin's findings with `settings.kit.policies` applied: a policy the plugin offers that is
    /// set to `off` is dropped, one set to `error`/`warning`/`info` gets that severity. With
    /// `settingsWarnings`, unknown ids in the plugin's namespace (`<name>.`) and values that are not
    /// severities add `kit.settings` warnings (once: ones the plugin already reported are not repeated).
    public static func applyPolicies(_ findings: [Finding], plugin: LoadedPlugin, component: JSONValue,
                                     settingsWarnings: Bool) -> [Finding] {
        guard case .object(let configured)? = component.value(at: ["settings", "kit", "policies"]) else { return findings }
        let offered = plugin.description.policies.map(\.id)
        let own = configured.filter { offered.contains($0.key) }
        var result = PolicySeverities(settings: own, plugin: plugin.name, namespace: "", known: offered).apply(to: findings)
        if settingsWarnings {
            let namespaced = PolicySeverities(settings: configured, plugin: plugin.name, namespace: plugin.name + ".", known: offered)
            for warning in namespaced.findings where !result.contains(warning) { result.append(warning) }
        }
        return result
    }

    static func isEmptySchema(_ schema: JSONValue) -> Bool {
        if case .object(let o) = schema { return o.isEmpty }
        return true
    }
}

/// A small JSON Schema checker for plugin settings: `type` (one name or a list), `properties`,
/// `required`, `additionalProperties` (false or a schema), `enum`, `items`. Other keywords are ignored.
enum SettingsSchema {
    static func check(_ value: JSONValue, against schema: JSONValue, path: String, problems: inout [(path: String, message: String)]) {
        guard case .object(let s) = schema else { return }
        if let type = s["type"] {
            let allowed: [String] = type.stringValue.map { [$0] } ?? (type.arrayValue ?? []).compactMap(\.stringValue)
            if !allowed.isEmpty && !allowed.contains(where: { matches(value, $0) }) {
                let wanted = allowed.map { article($0) }.joined(separator: " or ")
                problems.append((path, "'\(path)' is \(shown(value)) (\(article(typeName(value)))), but the plugin's settings schema wants \(wanted)"))
                return
            }
        }
        if case .array(let options)? = s["enum"], !options.contains(value) {
            problems.append((path, "'\(path)' is \(shown(value)), not one of \(options.map(shown).joined(separator: ", "))"))
        }
        if case .object(let members) = value {
            let properties: [String: JSONValue]
            if case .object(let p)? = s["properties"] { properties = p } else { properties = [:] }
            for name in (s["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
                problems.append(("\(path).\(name)", "'\(path)' lacks the required setting '\(name)'"))
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let sub = properties[name] {
                    check(member, against: sub, path: "\(path).\(name)", problems: &problems)
                } else if s["additionalProperties"]?.boolValue == false {
                    let known = properties.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                    problems.append(("\(path).\(name)", "'\(path).\(name)' is not a setting the plugin knows; it accepts \(known)"))
                } else if let extra = s["additionalProperties"], case .object = extra {
                    check(member, against: extra, path: "\(path).\(name)", problems: &problems)
                }
            }
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() { check(item, against: itemSchema, path: "\(path)[\(i)]", problems: &problems) }
        }
    }

    static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null): return true
        case ("integer", .int): return true
        case ("integer", .double(let d)): return d == d.rounded()
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .string: return "string"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .object: return "object"
        case .array: return "array"
        case .null: return "null"
        }
    }

    static func article(_ type: String) -> String {
        ["integer", "object", "array"].contains(type) ? "an \(type)" : "a \(type)"
    }

    static func shown(_ value: JSONValue) -> String {
        if case .string(let s) = value { return "'\(s)'" }
        return value.serialized()
    }
}
