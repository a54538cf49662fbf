import KitModel
/// Reads kit.yaml's `plugins:` section into `PluginSettings`.
public enum PluginConfiguration {
    /// `plugins: {paths: [...], pins: {name: "sha256"}, isolated: auto|true|false, timeout: seconds,
    /// spin_us: microseconds}`. `KIT_PLUGIN_ISOLATED=1|0|auto`, `KIT_PLUGIN_TIMEOUT=seconds` and
    /// `KIT_PLUGIN_SPIN_US=microseconds` override the file.
    ///
    /// Throws `PluginConfigurationError` for a pin that is not a quoted 64-digit hex string (a pin of
    /// digits only reads as a YAML number and would otherwise be lost), an unknown `isolated` value or
    /// a timeout that is not a positive number, or a `spin_us` that is not a whole number from 0 to
    /// 10000.
    public static func settings(from section: Value, environment: [String: String] = [:]) throws -> PluginSettings {
        var settings = PluginSettings()
        settings.paths = section["paths"]?.listValue?.compactMap(\.stringValue) ?? []
        for (name, value) in section["pins"]?.mapValue ?? [:] {
            guard case .string(let text) = value.untagged else {
                throw PluginConfigurationError.pinNotString(name: name, found: Self.shown(value))
            }
            let pin = text.lowercased()
            guard pin.count == 64, pin.allSatisfy({ $0.isHexDigit }) else {
                throw PluginConfigurationError.pinMalformed(name: name, found: text)
            }
            settings.pins[name] = pin
        }
        if let value = section["isolated"] {
            settings.isolation = try isolation(Self.shown(value), source: "plugins.isolated")
        }
        if let e = environment["KIT_PLUGIN_ISOLATED"], !e.isEmpty {
            settings.isolation = try isolation(e, source: "KIT_PLUGIN_ISOLATED")
        }
        if let value = section["timeout"] {
            settings.timeout = try timeout(value.untagged.numberValue, shown: Self.shown(value), source: "plugins.timeout")
        }
        if let e = environment["KIT_PLUGIN_TIMEOUT"], !e.isEmpty {
            settings.timeout = try timeout(Double(e), shown: e, source: "KIT_PLUGIN_TIMEOUT")
        }
        if let value = section["spin_us"] {
            settings.spinMicroseconds = try spin(value.untagged.numberValue, shown: Self.shown(value), source: "plugins.spin_us")
        }
        if let e = environment["KIT_PLUGIN_SPIN_US"], !e.isEmpty {
            settings.spinMicroseconds = try spin(Double(e), shown: e, source: "KIT_PLUGIN_SPIN_US")
        }
        return settings
    }

    static func spin(_ value: Double?, shown: String, source: String) throws -> Int {
        guard let value, value >= 0, value <= Double(PluginSettings.maximumSpinMicroseconds), value == value.rounded() else {
            throw PluginConfigurationError.badSpin(source: source, found: shown)
        }
        return Int(value)
    }

    static func isolation(_ text: String, source: String) throws -> PluginIsolation {
        switch text.lowercased() {
        case "auto": return .auto
        case "true", "1", "yes": return .always
        case "false", "0", "no": return .never
        default: throw PluginConfigurationError.badIsolation(source: source, found: text)
        }
    }

    static func timeout(_ value: Double?, shown: String, source: String) throws -> Double {
        guard let value, value > 0, value.isFinite else { throw PluginConfigurationError.badTimeout(source: source, found: shown) }
        return value
    }

    static func shown(_ value: Value) -> String {
        switch value.untagged {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .list: return "a list"
        case .map: return "a map"
        case .tagged: return "?"
        }
    }
}

/// A `plugins:` setting in kit.yaml that kit cannot use.
public enum PluginConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `plugins.pins.<name>` is a number, bool or collection instead of a string.
    case pinNotString(name: String, found: String)
    /// `plugins.pins.<name>` is a string but not 64 hex digits.
    case pinMalformed(name: String, found: String)
    /// `plugins.isolated` (or `KIT_PLUGIN_ISOLATED`) is not auto, true or false.
    case badIsolation(source: String, found: String)
    /// `plugins.timeout` (or `KIT_PLUGIN_TIMEOUT`) is not a positive number of seconds.
    case badTimeout(source: String, found: String)
    /// `plugins.spin_us` (or `KIT_PLUGIN_SPIN_US`) is not a whole number of microseconds from 0 to 10000.
    case badSpin(source: String, found: String)

    /// Lowercase, values in single quotes, with what to do.
    public var description: String {
        switch self {
        case .pinNotString(let name, let found):
            return "'plugins.pins.\(name)' is not a string (YAML read '\(found)') — pins are sha256 strings; quote it: \(name): \"<64 hex digits>\""
        case .pinMalformed(let name, let found):
            return "'plugins.pins.\(name)' is '\(found)', not a sha256 (64 hex digits) — run 'sha256sum' on the plugin file and quote the result"
        case .badIsolation(let source, let found):
            return "'\(source)' is '\(found)'; use 'auto', 'true' or 'false'"
        case .badTimeout(let source, let found):
            return "'\(source)' is '\(found)', not a positive number of seconds"
        case .badSpin(let source, let found):
            return "'\(source)' is '\(found)', not a whole number of microseconds from 0 to \(PluginSettings.maximumSpinMicroseconds) (0 turns polling off)"
        }
    }
}

extension Value {
    /// The value inside a YAML tag (itself when untagged).
    var untagged: Value {
        if case .tagged(_, let inner) = self { return inner.untagged }
        return self
    }

    /// An int or float as a Double, or nil.
    var numberValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
