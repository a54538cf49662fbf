import KitModel
/// The document `kit describe config` prints: atmos's configuration document for kit's configuration
/// (`AtmosConfigurationDocument`: atmos's keys and defaults, `base_path` as written, the
/// `*AbsolutePath` keys absolute), in the shape `encoding` gives it, plus kit's own keys:
/// `config_file` (the file read, relative to the base path) and `plugins` (the raw `plugins:` section).
public enum ConfigDocument {
    /// The effective configuration as a value.
    public static func document(_ config: KitConfig, encoding: AtmosEncoding) -> Value {
        var doc = AtmosConfigurationDocument.document(config, encoding: encoding)
        doc["config_file"] = config.configFile.map { .string(ShellText.relativePath(from: config.basePath, to: $0)) } ?? .null
        doc["plugins"] = config.plugins
        return .map(doc)
    }
}
