import Foundation
import Synchronization
import KitModel

/// The variables a root module declares `sensitive = true`, read from its `*.tf` files (top level of
/// the folder) without a full HCL parser: `variable "name" { … sensitive = true … }` blocks.
public final class SensitiveVariables: Sendable {
    let fileSystem: FileSystem
    private let cache = Mutex<[String: Set<String>]>([:])

    public init(fileSystem: FileSystem = LocalFileSystem()) { self.fileSystem = fileSystem }

    /// The sensitive variable names of the module in `folder` (scanned once per folder per run).
    public func names(in folder: String) -> Set<String> {
        if let hit = cache.withLock({ $0[folder] }) { return hit }
        var found: Set<String> = []
        if fileSystem.isDirectory(folder) {
            for name in fileSystem.walk(folder) where !name.contains("/") && name.hasSuffix(".tf") {
                guard let bytes = try? fileSystem.readRegularFile(folder + "/" + name, limit: InputLimits.standard.maxManifestBytes) else { continue }
                found.formUnion(Self.scan(String(decoding: bytes, as: UTF8.self)))
            }
        }
        cache.withLock { $0[folder] = found }
        return found
    }

    /// The sensitive variables declared in one file's text.
    public static func scan(_ text: String) -> Set<String> {
        var found: Set<String> = []
        var current: String?
        var depth = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = stripComment(String(raw)).trimmingSpaces()
            if line.isEmpty { continue }
            var body = Substring(line)
            if depth == 0, line.hasPrefix("variable") {
                let rest = line.dropFirst("variable".count).drop { $0 == " " || $0 == "\t" }
                if rest.first == "\"" {
                    let name = rest.dropFirst().prefix { $0 != "\"" }
                    current = String(name)
                    body = rest.dropFirst(name.count + 2)
                }
            }
            if let name = current, depth <= 1, isSensitiveTrue(body) { found.insert(name) }
            for ch in line where ch == "{" || ch == "}" { depth += ch == "{" ? 1 : -1 }
            if depth <= 0 { depth = 0; current = nil }
        }
        return found
    }

    /// True when `text` holds `sensitive = true` as an attribute.
    static func isSensitiveTrue(_ text: Substring) -> Bool {
        var rest = text
        while let r = rest.range(of: "sensitive") {
            let before = rest[..<r.lowerBound].last
            var after = rest[r.upperBound...].drop { $0 == " " || $0 == "\t" }
            if before == nil || before == " " || before == "{" || before == "\t" || before == ";" || before == "," {
                if after.first == "=" {
                    after = after.dropFirst().drop { $0 == " " || $0 == "\t" }
                    if after.hasPrefix("true") {
                        let next = after.dropFirst(4).first
                        if next == nil || next == " " || next == "}" || next == "," || next == "\t" { return true }
                    }
                }
            }
            rest = rest[r.upperBound...]
        }
        return false
    }

    static func stripComment(_ line: String) -> String {
        var inString = false, prev: Character = " "
        var out = ""
        for ch in line {
            if ch == "\"" && prev != "\\" { inString.toggle() }
            if !inString && (ch == "#" || (ch == "/" && prev == "/")) {
                if ch == "/" { out.removeLast() }
                break
            }
            out.append(ch); prev = ch
        }
        return out
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
