/// Reads kit.yaml's `plugins:` section into `PluginSettings`.
public enum PluginConfiguration {
    /// `plugins: {paths: [...], pins: {name: sha256}, isolated: bool}`; `KIT_PLUGIN_ISOLATED=1` forces isolation.
    public static func settings(from section: Value, environment: [String: String] = [:]) -> PluginSettings {
        let paths = section["paths"]?.listValue?.compactMap(\.stringValue) ?? []
        var pins: [String: String] = [:]
        for (k, v) in section["pins"]?.mapValue ?? [:] { if let s = v.stringValue { pins[k] = s.lowercased() } }
        var isolated = section["isolated"]?.boolValue ?? false
        if let e = environment["KIT_PLUGIN_ISOLATED"] { isolated = e == "1" || e == "true" }
        return PluginSettings(paths: paths, pins: pins, isolated: isolated)
    }
}
