import KitModel

/// The variables a root module declares `sensitive = true` (any of their blocks, in any of its
/// configuration files), read through `TerraformModules`.
public final class SensitiveVariables: Sendable {
    let modules: TerraformModules

    public init(fileSystem: FileSystem = LocalFileSystem()) { modules = TerraformModules(fileSystem: fileSystem) }

    /// Sensitive names from modules already read (or read once) by `modules`.
    public init(modules: TerraformModules) { self.modules = modules }

    /// The sensitive variable names of the module in `folder` (read once per folder per run).
    public func names(in folder: String) -> Set<String> {
        modules.module(at: folder)?.sensitiveVariableNames ?? []
    }
}

/// Replaces the values of sensitive variables with `"***"` in describe output (unless `--show-secrets`).
public enum SecretMasking {
    /// The mask printed instead of a sensitive value.
    public static let mask = Value.string("***")

    /// `vars` with every key in `sensitive` masked.
    public static func vars(_ vars: [String: Value], sensitive: Set<String>) -> [String: Value] {
        guard !sensitive.isEmpty else { return vars }
        var out = vars
        for name in sensitive where out[name] != nil { out[name] = mask }
        return out
    }

    /// A provenance document with the values of `vars.<sensitive>…` entries masked.
    public static func provenance(_ doc: Value, sensitive: Set<String>) -> Value {
        guard !sensitive.isEmpty, case .map(var entries) = doc else { return doc }
        for (key, entry) in entries {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count >= 2, parts[0] == "vars", sensitive.contains(String(parts[1])), case .map(var e) = entry else { continue }
            e["value"] = mask
            if let overrode = e["overrode"]?.listValue {
                e["overrode"] = .list(overrode.map { item in
                    guard case .map(var m) = item else { return item }
                    m["value"] = mask
                    return .map(m)
                })
            }
            entries[key] = .map(e)
        }
        return .map(entries)
    }
}
