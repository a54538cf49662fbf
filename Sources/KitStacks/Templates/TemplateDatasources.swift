import Foundation
import Synchronization
import KitModel

/// One Gomplate datasource: `templates.settings.gomplate.datasources.<alias>.url` in atmos.yaml or in
/// a component's `settings.templates.settings.gomplate.datasources`.
public struct DatasourceDefinition: Sendable, Hashable {
    /// The name templates use: `datasource "<alias>"`.
    public var alias: String
    /// The URL as written (`./config/net.json`, `file:///srv/net.yaml`, `https://…`).
    public var url: String
    /// Where it was defined, for messages (`atmos.yaml`, or `settings of component 'vpc'`).
    public var definedIn: String

    /// A definition.
    public init(alias: String, url: String, definedIn: String) {
        self.alias = alias
        self.url = url
        self.definedIn = definedIn
    }

    /// The definitions under a `datasources` map (`{ip: {url: …}, …}`); entries without a string
    /// `url` are skipped here and reported when a template uses them.
    public static func definitions(in section: Value?, definedIn: String) -> [String: DatasourceDefinition] {
        guard case .map(let m)? = section else { return [:] }
        var out: [String: DatasourceDefinition] = [:]
        for (alias, entry) in m {
            let url = entry.mapValue?["url"]?.stringValue ?? ""
            out[alias] = DatasourceDefinition(alias: alias, url: url, definedIn: definedIn)
        }
        return out
    }
}

/// The local datasources a render may read, as Gomplate (v3, which atmos uses) reads them: a path
/// without a scheme is relative to the working directory (not the repository); `file:///abs` is
/// absolute; the type comes from `?type=` or the extension (`.json`, `.yaml`/`.yml`, `.csv`; anything
/// else is text). Every other scheme (`https`, `s3`, `vault`, `aws+smp`, `env`, `stdin`, …) is an
/// error: kit reads only local datasources. Files are read through the injected file system, each
/// once per run.
public final class TemplateDatasources: Sendable {
    let fileSystem: any FileSystem
    let workingDirectory: String
    let definitions: [String: DatasourceDefinition]
    /// Untrusted mode: the folder every datasource must lie in (the repository); nil: anywhere.
    let confinedTo: String?
    private let cache: Mutex<[String: Value]>

    /// Datasources over `fileSystem`, relative paths resolved against `workingDirectory`; with
    /// `confinedTo` (untrusted mode), a datasource outside that folder is refused.
    public init(fileSystem: any FileSystem, workingDirectory: String, definitions: [String: DatasourceDefinition],
                confinedTo: String? = nil) {
        self.fileSystem = fileSystem
        self.workingDirectory = workingDirectory
        self.definitions = definitions
        self.confinedTo = confinedTo
        self.cache = Mutex([:])
    }

    /// True when `alias` is defined (Gomplate `datasourceExists`).
    func exists(_ alias: String) -> Bool { definitions[alias] != nil }

    /// The parsed content of `alias` (Gomplate `datasource`/`ds`).
    func value(_ alias: String) throws -> Value {
        guard let def = definitions[alias] else {
            let known = definitions.keys.sorted().map { UserText.quoted($0) }.joined(separator: ", ")
            throw TemplateFunctionFailure(message: "undefined datasource \(UserText.quoted(alias))"
                + (known.isEmpty ? " — define it in templates.settings.gomplate.datasources" : " (defined: \(known))"))
        }
        let (path, type) = try Self.locate(def, workingDirectory: workingDirectory)
        if let root = confinedTo { try Self.checkConfined(path, root: root, def: def) }
        let key = type + "\u{0}" + path
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readRegularFile(path, limit: InputLimits.standard.maxManifestBytes)
        } catch {
            throw TemplateFunctionFailure(message: "datasource \(UserText.quoted(alias)): cannot read \(UserText.quoted(path)) (url \(UserText.quoted(def.url)) in \(def.definedIn)): \(error)")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let value = try Self.parse(text, type: type, alias: alias)
        cache.withLock { $0[key] = value }
        return value
    }

    /// The local path and media type of a definition, or an error for anything kit does not read.
    static func locate(_ def: DatasourceDefinition, workingDirectory: String) throws -> (path: String, type: String) {
        var url = def.url
        func refuse(_ why: String) -> TemplateFunctionFailure {
            TemplateFunctionFailure(message: "datasource \(UserText.quoted(def.alias)) is \(UserText.quoted(def.url)) (\(def.definedIn)): \(why)")
        }
        if url.isEmpty { throw refuse("it has no 'url'") }
        if url == "-" { throw refuse("kit reads only local datasources (files), not stdin") }
        var type = ""
        if let q = url.firstIndex(of: "?") {
            for pair in url[url.index(after: q)...].split(separator: "&") where pair.hasPrefix("type=") {
                type = String(pair.dropFirst(5)).removingPercentEncoding ?? String(pair.dropFirst(5))
            }
            url = String(url[..<q])
        }
        var path = url
        if let scheme = Self.scheme(of: url) {
            guard scheme == "file" else {
                throw refuse("kit reads only local datasources (a file path or a file:/// URL), not '\(scheme):' — put the data in a file in the repository")
            }
            let rest = url.dropFirst("file:".count)
            if rest.hasPrefix("///") {
                path = String(rest.dropFirst(2))
            } else if rest.hasPrefix("//localhost/") {
                path = String(rest.dropFirst("//localhost".count))
            } else if rest.hasPrefix("/"), !rest.hasPrefix("//") {
                path = String(rest)
            } else {
                throw refuse("a file URL must be absolute ('file:///path'); write a relative path without 'file:'")
            }
        }
        path = path.removingPercentEncoding ?? path
        if path.hasSuffix("/") { throw refuse("kit does not read directory datasources") }
        let resolved = Paths.join(workingDirectory, path)
        if type.isEmpty {
            let base = Paths.basename(resolved)
            let ext = base.contains(".") ? String(base.split(separator: ".").last ?? "") : ""
            switch ext.lowercased() {
            case "json": type = "application/json"
            case "yaml", "yml": type = "application/yaml"
            case "csv": type = "text/csv"
            case "toml": type = "application/toml"
            default: type = "text/plain"
            }
        }
        type = type.split(separator: ";").first.map { String($0).trimmingWhitespace() } ?? type
        guard ["application/json", "application/array+json", "application/vnd.json-array", "application/yaml",
               "application/x-yaml", "application/vnd.yaml-array", "text/csv", "text/plain"].contains(type) else {
            throw refuse("kit reads JSON, YAML, CSV and text datasources, not \(UserText.quoted(type))")
        }
        return (resolved, type)
    }

    /// The URL scheme (`https`, `file`, `aws+smp`, …), or nil for a plain path.
    static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) else { return nil }
        return scheme.lowercased()
    }

    /// The content as Gomplate returns it for the media type.
    static func parse(_ text: String, type: String, alias: String) throws -> Value {
        switch type {
        case "application/json", "application/array+json", "application/vnd.json-array":
            guard let v = GoJSON.decode(text) else {
                throw TemplateFunctionFailure(message: "datasource \(UserText.quoted(alias)): the file is not valid JSON")
            }
            return v
        case "application/yaml", "application/x-yaml", "application/vnd.yaml-array":
            do { return try YAMLParser.parse(text).value } catch {
                throw TemplateFunctionFailure(message: "datasource \(UserText.quoted(alias)): the file is not valid YAML: \(error)")
            }
        case "text/csv":
            return .list(try CSVReader.rows(text, alias: alias).map { .list($0.map(Value.string)) })
        default:
            return .string(text)
        }
    }
}

/// RFC 4180 CSV as Go's `encoding/csv` reads it (Gomplate `data.CSV`): rows of strings, the header
/// row included; quoted fields may hold commas, newlines and doubled quotes.
enum CSVReader {
    static func rows(_ text: String, alias: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var atFieldStart = true
        var chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && atFieldStart {
                quoted = true
                atFieldStart = false
            } else if c == "," {
                row.append(field); field = ""; atFieldStart = true
            } else if c == "\n" {
                row.append(field); field = ""; atFieldStart = true
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
            } else if c == "\"" {
                throw TemplateFunctionFailure(message: "datasource \(UserText.quoted(alias)): bare \" in a non-quoted CSV field on row \(rows.count + 1)")
            } else {
                field.append(c); atFieldStart = false
            }
            i += 1
        }
        if quoted { throw TemplateFunctionFailure(message: "datasource \(UserText.quoted(alias)): unterminated quoted CSV field") }
        if let width = rows.first?.count, let bad = rows.firstIndex(where: { $0.count != width }) {
            throw TemplateFunctionFailure(message: "datasource \(UserText.quoted(alias)): CSV row \(bad + 1) has \(rows[bad].count) fields, the first has \(width)")
        }
        return rows
    }
}

extension TemplateFunction {
    /// Gomplate's `datasource`/`ds` and `datasourceExists` (only with gomplate enabled).
    func callDatasource(_ args: TemplateArguments, context: TemplateFunctionContext) throws -> TemplateValue {
        let sources = context.options.datasources
        switch self {
        case .datasourceExists:
            try args.expect(1)
            return .value(.bool(sources?.exists(try args.string(0)) ?? false))
        default:
            try args.expect(atLeast: 1)
            guard args.count == 1 else {
                throw TemplateFunctionFailure(message: "\(name) with a sub-path argument is not supported by kit — define one datasource per file")
            }
            let alias = try args.string(0)
            guard let sources else {
                throw TemplateFunctionFailure(message: "undefined datasource \(UserText.quoted(alias)) — datasources are available in component sections (the component template pass)")
            }
            return .value(try sources.value(alias))
        }
    }

    /// True for the Gomplate datasource functions (gated like the Gomplate namespaces).
    var isGomplateDatasource: Bool { self == .datasource || self == .ds || self == .datasourceExists }
}
