import KitModel
/// Which of Go's encoders printed an atmos document. They differ, and atmos's output shows it:
///
/// - `json` (`encoding/json`): json tags; `omitempty` drops `false`, `0`, `""`, empty or nil slices
///   and maps and nil pointers, never a struct; a nil slice or map prints `null`.
/// - `yaml` (`yaml.v3`): yaml tags; `omitempty` also drops a struct whose fields are all zero; a nil
///   slice prints `[]` and a nil map `{}`.
public enum AtmosEncoding: Sendable {
    case json, yaml
}

/// A value of one of atmos's Go structs before an encoder prints it (what `AtmosConfigurationSchema`
/// declares and `AtmosConfigurationDocument` fills in).
indirect enum GoValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    /// A slice; nil is Go's nil slice.
    case slice([Value]?)
    /// A `map[string]any`; nil is Go's nil map.
    case map([String: Value]?)
    /// A pointer to a value of the pointee's type; `set: false` is the nil pointer.
    case pointer(GoValue, set: Bool)
    /// A struct: its fields in declaration order.
    case object([GoField])
    /// An `interface{}` holding plain data (nil is `.null`).
    case any(Value)
    /// A `map[string]*Struct` (or of structs); nil is Go's nil map.
    case structs([String: GoValue]?)
    /// A slice of structs; nil is Go's nil slice.
    case structList([GoValue]?)
    /// A named integer type with a `MarshalJSON` method (terraform-config-inspect's resource mode and
    /// diagnostic severity): `json` is what `encoding/json` prints; `yaml.v3`, which does not call
    /// it, prints the integer.
    case jsonMarshaled(json: Value, integer: Int)

    /// The value as `encoding` prints it.
    func encoded(_ encoding: AtmosEncoding) -> Value {
        switch self {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .slice(let l): return l.map(Value.list) ?? (encoding == .json ? .null : .list([]))
        case .map(let m): return m.map(Value.map) ?? (encoding == .json ? .null : .emptyMap)
        case .pointer(let v, let set): return set ? v.encoded(encoding) : .null
        case .object(let fields): return .map(GoField.encode(fields, encoding))
        case .any(let v): return v
        case .structs(let m): return m.map { .map($0.mapValues { $0.encoded(encoding) }) } ?? (encoding == .json ? .null : .emptyMap)
        case .structList(let l): return l.map { .list($0.map { $0.encoded(encoding) }) } ?? (encoding == .json ? .null : .list([]))
        case .jsonMarshaled(let json, let integer): return encoding == .json ? json : .int(integer)
        }
    }

    /// Whether `omitempty` drops the value in `encoding` (`encoding/json`'s empty, `yaml.v3`'s zero).
    func omitted(_ encoding: AtmosEncoding) -> Bool {
        switch self {
        case .string(let s): return s.isEmpty
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .slice(let l): return l?.isEmpty ?? true
        case .map(let m): return m?.isEmpty ?? true
        case .pointer(_, let set): return !set
        case .object(let fields): return encoding == .yaml && fields.allSatisfy { $0.value.omitted(.yaml) }
        case .any(let v): return v.isNull
        case .structs(let m): return m?.isEmpty ?? true
        case .structList(let l): return l?.isEmpty ?? true
        case .jsonMarshaled(_, let integer): return integer == 0
        }
    }

    /// The value with what atmos.yaml sets for it (`raw`, the value at the field's key), read as atmos's
    /// decoder reads it: a scalar of the field's type (text for a string field), a list for a slice, a
    /// map for a map or a struct. A value of another type, or none, leaves the value as it is.
    func decoding(_ raw: Value?) -> GoValue {
        guard let raw, !raw.isNull else { return self }
        switch self {
        case .string:
            switch raw {
            case .string, .int, .double, .bool: return .string(raw.interpolated)
            default: return self
            }
        case .bool:
            if case .bool(let b) = raw { return .bool(b) }
            if case .string(let s) = raw, let b = Bool(s.lowercased()) { return .bool(b) }
            return self
        case .int:
            if case .int(let i) = raw { return .int(i) }
            if case .string(let s) = raw, let i = Int(s) { return .int(i) }
            return self
        case .slice:
            if let l = raw.listValue { return .slice(l) }
            return self
        case .map:
            if let m = raw.mapValue { return .map(m) }
            return self
        case .pointer(let v, _):
            return .pointer(v.decoding(raw), set: true)
        case .object(let fields):
            guard let m = raw.mapValue else { return self }
            let known = Set(fields.map(\.key))
            return .object(fields.map { f in
                var f = f
                if f.yamlInline {
                    let rest = m.filter { !known.contains($0.key) }
                    if !rest.isEmpty { f.value = .map(rest) }
                } else {
                    f.value = f.value.decoding(m[f.key])
                }
                return f
            })
        case .any, .structs, .structList, .jsonMarshaled:
            return self
        }
    }

    /// The value with the field at `path` (atmos.yaml keys) replaced; a path that names no field
    /// leaves it as it is.
    func setting(_ path: ArraySlice<String>, to value: GoValue) -> GoValue {
        guard let key = path.first else { return value }
        switch self {
        case .object(let fields):
            return .object(fields.map { f in
                guard f.key == key else { return f }
                var f = f
                f.value = f.value.setting(path.dropFirst(), to: value)
                return f
            })
        case .pointer(let v, _):
            return .pointer(v.setting(path, to: value), set: true)
        default:
            return self
        }
    }

    /// The field at `path`, if the value has one.
    func value(at path: ArraySlice<String>) -> GoValue? {
        guard let key = path.first else { return self }
        switch self {
        case .object(let fields): return fields.first { $0.key == key }?.value.value(at: path.dropFirst())
        case .pointer(let v, _): return v.value(at: path)
        default: return nil
        }
    }
}

/// One field of a Go struct with its tags.
struct GoField: Sendable, Equatable {
    /// The key atmos.yaml spells it with (its `mapstructure` tag).
    var key: String
    /// The name `encoding/json` prints; nil for `json:"-"`.
    var json: String?
    /// The name `yaml.v3` prints; nil for `yaml:"-"` (and for an inline map).
    var yaml: String?
    var jsonOmitEmpty: Bool
    var yamlOmitEmpty: Bool
    /// `yaml:",inline"` on a map: YAML prints its entries among the struct's own fields (the keys of
    /// atmos.yaml's section that no other field reads); JSON prints the map under `json`.
    var yamlInline = false
    var value: GoValue

    /// A field printed under `key` by both encoders, with `omitempty` in both or in neither.
    init(_ key: String, _ value: GoValue, omitEmpty: Bool) {
        self.init(key, json: key, yaml: key, jsonOmitEmpty: omitEmpty, yamlOmitEmpty: omitEmpty, value)
    }

    init(_ key: String, json: String?, yaml: String?, jsonOmitEmpty: Bool, yamlOmitEmpty: Bool, yamlInline: Bool = false, _ value: GoValue) {
        self.key = key
        self.json = json
        self.yaml = yaml
        self.jsonOmitEmpty = jsonOmitEmpty
        self.yamlOmitEmpty = yamlOmitEmpty
        self.yamlInline = yamlInline
        self.value = value
    }

    /// The name `encoding` prints the field under (nil: never printed).
    func name(_ encoding: AtmosEncoding) -> String? { encoding == .json ? json : yaml }

    /// A struct's fields as `encoding` prints them.
    static func encode(_ fields: [GoField], _ encoding: AtmosEncoding) -> [String: Value] {
        var out: [String: Value] = [:]
        for f in fields {
            if encoding == .yaml, f.yamlInline {
                if case .map(let m?) = f.value { for (k, v) in m where out[k] == nil { out[k] = v } }
                continue
            }
            guard let name = f.name(encoding) else { continue }
            let omitEmpty = encoding == .json ? f.jsonOmitEmpty : f.yamlOmitEmpty
            if omitEmpty, f.value.omitted(encoding) { continue }
            out[name] = f.value.encoded(encoding)
        }
        return out
    }
}
