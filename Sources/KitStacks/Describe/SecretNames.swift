import KitModel
/// Which variable and environment names hold secrets, by name alone (docs/runs.md, "Masking").
///
/// A name is split into words at `_`, `-`, `.`, and lower→upper case changes (`dbPassword` →
/// `DB PASSWORD`). It looks secret when a word is one of `secretWords` or contains PASSWORD, PASSWD
/// or PASSPHRASE (`PGPASSWORD`), or two neighbouring words are
/// one of `secretPairs` (`API KEY`, `PRIVATE KEY`, …) — unless its last word says the value only
/// names or describes a secret (`ID`, `ARN`, `NAME`, `PATH`, `FILE`, `LENGTH`, `TTL`, …):
/// `DB_PASSWD` and `TF_VAR_db_password` are secret; `AWS_ACCESS_KEY_ID`, `DB_PASSWORD_SECRET_ARN`,
/// `TOKENIZER_MODE` and `KEY_NAME` are not.
public enum SecretNames {
    static let secretWords: Set<String> = ["PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS",
                                           "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "CREDS", "APIKEY", "PRIVATEKEY"]
    static let secretInfixes = ["PASSWORD", "PASSWD", "PASSPHRASE"]
    static let secretPairs: Set<String> = ["API KEY", "PRIVATE KEY", "ACCESS KEY", "SIGNING KEY", "ENCRYPTION KEY",
                                           "MASTER KEY", "CLIENT KEY", "ACCOUNT KEY", "CONNECTION STRING", "SAS KEY"]
    static let describingLastWords: Set<String> = ["ID", "IDS", "ARN", "ARNS", "NAME", "NAMES", "PATH", "FILE", "LENGTH",
                                                   "TTL", "POLICY", "ENABLED", "TYPE", "VERSION", "COUNT", "ROTATION"]

    /// True when `name` looks like it holds a secret.
    public static func looksSecret(_ name: String) -> Bool {
        // Most names (every key of every map `describe` masks) are ASCII and hold none of the
        // fragments a secret word or pair needs: answer those without splitting them into words.
        if let ascii = asciiFragments(name), !ascii { return false }
        return looksSecretByWords(name)
    }

    /// The rule itself, on `name`'s words (what `looksSecret` answers, without its shortcut).
    static func looksSecretByWords(_ name: String) -> Bool {
        let words = self.words(name)
        guard let last = words.last, !describingLastWords.contains(last) else { return false }
        if words.contains(where: secretWords.contains) { return true }
        // Glued spellings such as PGPASSWORD: these three are never part of an innocent word.
        if words.contains(where: { w in secretInfixes.contains { w.contains($0) } }) { return true }
        return zip(words, words.dropFirst()).contains { secretPairs.contains("\($0) \($1)") }
    }

    /// Every entry of `secretWords`, `secretInfixes` and `secretPairs` contains one of these.
    static let fragments: [[UInt8]] = ["PASS", "SECRET", "TOKEN", "CRED", "KEY", "STRING"].map { Array($0.utf8) }

    /// For an ASCII name: whether it contains one of `fragments`, ignoring case (a name without one
    /// cannot look secret). nil for other names, whose upper-casing may produce ASCII letters (`ſ` → `S`).
    /// This runs for every key of every map `describe` masks: one pass over the bytes, a `switch` on
    /// the letters that start a fragment (`& 0xDF` upper-cases an ASCII letter and maps no other byte
    /// onto one), no tables (a table of arrays cost ~560 instructions a name in reference counting).
    static func asciiFragments(_ name: String) -> Bool? {
        // The view's storage, not `withUTF8` on a copy (a retain and release a name).
        guard let answer = name.utf8.withContiguousStorageIfAvailable({ asciiFragments(bytes: $0) }) else {
            var copy = name
            return copy.withUTF8 { asciiFragments(bytes: $0) }
        }
        return answer
    }

    static func asciiFragments(bytes b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var found = false
        for i in 0 ..< b.count {
            let c = b[i]
            if c >= 0x80 { return nil }
            if found { continue }
            switch c & 0xDF {
            case 0x50: found = follows(b, i, "ASS")                                  // PASS
            case 0x53: found = follows(b, i, "ECRET") || follows(b, i, "TRING")      // SECRET, STRING
            case 0x54: found = follows(b, i, "OKEN")                                 // TOKEN
            case 0x43: found = follows(b, i, "RED")                                  // CRED
            case 0x4B: found = follows(b, i, "EY")                                   // KEY
            default: break
            }
        }
        return found
    }

    /// Whether the bytes after position `i` spell `tail` (upper-case ASCII), ignoring case.
    @inline(__always) static func follows(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ tail: StaticString) -> Bool {
        let n = tail.utf8CodeUnitCount
        guard i + n < b.count else { return false }
        let t = tail.utf8Start
        for k in 0 ..< n where b[i + 1 + k] & 0xDF != t[k] { return false }
        return true
    }

    /// `name`'s words, upper-cased.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for ch in name {
            if ch == "_" || ch == "-" || ch == "." || ch == " " || ch == "/" {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
                continue
            }
            if ch.isUppercase && previousLower && !current.isEmpty {
                words.append(current)
                current = ""
            }
            current += ch.uppercased()
            previousLower = ch.isLowercase || ch.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

/// What `describe` and run summaries hide for one component, and the masked sections.
///
/// A value is secret when it is (1) a variable its root module declares `sensitive = true`, (2) a
/// variable or environment entry — at any depth — whose key looks secret (`SecretNames`), or (3) the
/// result of `!env NAME` where `NAME` looks secret, wherever it was used, or (4) the result of `!secret`.
public struct SecretMask: Sendable {
    /// The component's vars with secrets replaced by `"***"`.
    public var vars: [String: Value]
    /// The component's env with secrets replaced by `"***"`.
    public var env: [String: Value]
    /// Dotted paths that were masked (`vars.db.password`, `env.TOKEN`).
    public var paths: Set<String>
    /// Every string hidden (for masking terraform's plan text).
    public var hidden: [String]

    /// `evaluated` is the component with its YAML functions evaluated; `raw` the same component before
    /// (where `!env DB_PASSWORD` is still visible), when known.
    public init(_ evaluated: ResolvedComponent, raw: ResolvedComponent?, sensitiveNames: Set<String>) {
        var walk = Walk(secretPaths: evaluated.secretPaths)
        var vars = evaluated.vars
        // One path array for the whole walk (a new one per variable was most of the walk's allocations).
        walk.keys = [.name("vars")]
        for (k, v) in evaluated.vars {
            walk.keys.append(.name(k))
            let secret = (!sensitiveNames.isEmpty && sensitiveNames.contains(k)) || SecretNames.looksSecret(k)
            if let masked = walk.mask(v, raw?.vars[k], secret: secret) { vars[k] = masked }
            walk.keys.removeLast()
        }
        var env = evaluated.env
        walk.keys = [.name("env")]
        for (k, v) in evaluated.env {
            walk.keys.append(.name(k))
            if let masked = walk.mask(v, raw?.env[k], secret: SecretNames.looksSecret(k)) { env[k] = masked }
            walk.keys.removeLast()
        }
        self.vars = vars
        self.env = env
        self.paths = walk.paths
        self.hidden = walk.hidden
    }

    /// `init`'s rule for a component with no secret paths and no raw values, as a mask the JSON
    /// writer applies while writing `vars` and `env` (`sensitiveNames` only at the top of `vars`).
    public static func keyMask(sensitiveNames: Set<String>) -> JSONWriter.KeyMask {
        JSONWriter.KeyMask(sections: [("vars", sensitiveNames), ("env", [])], isSecret: SecretNames.looksSecret,
                           replacement: SecretMasking.mask, subtreeMode: 1)
    }

    /// One walk over a component's values. Most values hold no secret: a walk copies nothing and
    /// builds no path string unless it masks something.
    struct Walk {
        let secretPaths: Set<String>
        /// The path walked to, as keys and list positions (a position becomes text only when a
        /// path is needed: formatting every list item's index cost ~3% of `describe stacks`).
        var keys: [PathKey] = []
        var paths: Set<String> = []
        var hidden: [String] = []

        enum PathKey {
            case name(String)
            case index(Int)
        }

        var path: String {
            keys.map { key in
                switch key {
                case .name(let n): return n
                case .index(let i): return String(i)
                }
            }.joined(separator: ".")
        }

        /// The masked value, or nil when `v` holds nothing to mask.
        mutating func mask(_ v: Value, _ raw: Value?, secret: Bool) -> Value? {
            if secret || Self.isSecretEnv(raw) || (!secretPaths.isEmpty && secretPaths.contains(path)) {
                if case .null = v { return nil }
                paths.insert(path)
                hidden += PlanText.strings(v)
                return SecretMasking.mask
            }
            switch v {
            case .map(let m):
                var out: [String: Value]?
                let rawMap = raw?.mapValue
                for (k, x) in m {
                    keys.append(.name(k))
                    let masked = mask(x, rawMap?[k], secret: SecretNames.looksSecret(k))
                    keys.removeLast()
                    if let masked {
                        if out == nil { out = m }
                        out![k] = masked
                    }
                }
                return out.map(Value.map)
            case .list(let l):
                var out: [Value]?
                let rawList = raw?.listValue
                for (i, x) in l.enumerated() {
                    keys.append(.index(i))
                    let masked = mask(x, rawList.flatMap { i < $0.count ? $0[i] : nil }, secret: false)
                    keys.removeLast()
                    if let masked {
                        if out == nil { out = l }
                        out![i] = masked
                    }
                }
                return out.map(Value.list)
            default:
                return nil
            }
        }

        /// `!env NAME` before evaluation, where NAME looks secret.
        static func isSecretEnv(_ raw: Value?) -> Bool {
            guard case .string(let s)? = raw, s.utf8.starts(with: "!env ".utf8) || s.utf8.starts(with: "!env\t".utf8) else { return false }
            let name = s.dropFirst(5).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map {
                String($0).trimmingCharacters(in: ["\"", "'"])
            }
            return name.map(SecretNames.looksSecret) ?? false
        }
    }

    /// atmos's `sources` (`ConfigSources`) with what is masked here hidden: for a masked `vars`/`env`
    /// entry, its `final_value` becomes the masked value and every `variable_value` is masked at the
    /// same paths (the whole value for a masked name, the masked keys inside it otherwise).
    public func sources(_ doc: Value) -> Value {
        guard !paths.isEmpty, case .map(var sections) = doc else { return doc }
        for (section, masked) in [("vars", vars), ("env", env)] {
            guard case .map(var items)? = sections[section] else { continue }
            for (name, item) in items {
                let prefix = section + "." + name
                let inner = paths.compactMap { p -> [String]? in
                    if p == prefix { return [] }
                    guard p.hasPrefix(prefix + ".") else { return nil }
                    return p.dropFirst(prefix.count + 1).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                }
                guard !inner.isEmpty, case .map(var e) = item else { continue }
                e["final_value"] = masked[name] ?? SecretMasking.mask
                if let list = e["stack_dependencies"]?.listValue {
                    e["stack_dependencies"] = .list(list.map { dependency in
                        guard case .map(var d) = dependency, let v = d["variable_value"] else { return dependency }
                        d["variable_value"] = inner.reduce(v) { Self.masking($0, at: $1[...]) }
                        return .map(d)
                    })
                }
                items[name] = .map(e)
            }
            sections[section] = .map(items)
        }
        return .map(sections)
    }

    /// `v` with the value at `path` (map keys, list indices) replaced by the mask, where it has one.
    static func masking(_ v: Value, at path: ArraySlice<String>) -> Value {
        guard let key = path.first else { return v.isNull ? v : SecretMasking.mask }
        switch v {
        case .map(var m):
            guard let inner = m[key] else { return v }
            m[key] = masking(inner, at: path.dropFirst())
            return .map(m)
        case .list(var l):
            guard let i = Int(key), l.indices.contains(i) else { return v }
            l[i] = masking(l[i], at: path.dropFirst())
            return .list(l)
        default:
            return v
        }
    }

    /// A provenance document with the values under masked paths hidden.
    public func provenance(_ doc: Value) -> Value {
        guard !paths.isEmpty, case .map(var entries) = doc else { return doc }
        for (key, entry) in entries {
            guard paths.contains(key) || paths.contains(where: { key.hasPrefix($0 + ".") }), case .map(var e) = entry else { continue }
            e["value"] = SecretMasking.mask
            if let overrode = e["overrode"]?.listValue {
                e["overrode"] = .list(overrode.map { item in
                    guard case .map(var m) = item else { return item }
                    m["value"] = SecretMasking.mask
                    return .map(m)
                })
            }
            entries[key] = .map(e)
        }
        return .map(entries)
    }
}
