import Foundation
import KitModel
import KitStacks

/// One place where an instance does not match its schema.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where in the instance, as a dotted path (`vars.region`, `vars.subnets.0`); empty for the root.
    public var instancePath: String
    /// What is wrong, lowercase.
    public var message: String
    public var description: String { instancePath.isEmpty ? message : "\(instancePath): \(message)" }
}

/// A JSON Schema validator for the drafts atmos uses (draft-04, -06, -07, 2019-09, 2020-12) over kit's
/// `Value`, covering the keywords real component schemas use:
/// `type`, `properties`, `patternProperties`, `additionalProperties`, `required`, `items`
/// (a schema or, before 2020-12, a list), `prefixItems`, `enum`, `const`, `pattern`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum` (number or draft-04 bool), `multipleOf`, `minLength`, `maxLength`,
/// `minItems`, `maxItems`, `uniqueItems`, `minProperties`, `maxProperties`, `propertyNames`,
/// `dependentRequired`, `anyOf`, `allOf`, `oneOf`, `not`, `if`/`then`/`else`, and `$ref` to local
/// definitions (`#`, `#/definitions/…`, `#/$defs/…`, any JSON pointer inside the document).
/// Annotations (`title`, `description`, `default`, `format`, …) are accepted and not checked.
/// Any other keyword is reported in `unknownKeywords` — never silently ignored.
public struct JSONSchemaValidator {
    /// The whole schema document (for `$ref`).
    public let root: Value

    /// Keywords that are annotations or structure only.
    static let annotations: Set<String> = [
        "$schema", "$id", "id", "$comment", "$anchor", "$vocabulary", "title", "description", "default", "examples",
        "definitions", "$defs", "readOnly", "writeOnly", "deprecated", "format", "contentMediaType", "contentEncoding",
        "contentSchema", "then", "else",
    ]
    /// Keywords the validator checks.
    static let assertions: Set<String> = [
        "type", "properties", "patternProperties", "additionalProperties", "required", "items", "prefixItems",
        "additionalItems", "enum", "const", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
        "propertyNames", "dependentRequired", "anyOf", "allOf", "oneOf", "not", "if", "$ref", "contains",
    ]

    public init(schema: Value) { root = schema }

    /// Keywords in the schema that this validator does not know, as `path: keyword` (sorted).
    public var unknownKeywords: [String] {
        var out: Set<String> = []
        func walk(_ s: Value, _ path: String) {
            guard case .map(let m) = s else { return }
            for (k, v) in m {
                let here = path.isEmpty ? k : path + "/" + k
                if !Self.annotations.contains(k) && !Self.assertions.contains(k) { out.insert("\(path.isEmpty ? "#" : "#/" + path): '\(k)'"); continue }
                switch k {
                case "properties", "patternProperties", "definitions", "$defs", "dependentSchemas":
                    if case .map(let sub) = v { for (name, schema) in sub { walk(schema, here + "/" + name) } }
                case "items", "prefixItems", "anyOf", "allOf", "oneOf":
                    if case .list(let l) = v { for (i, schema) in l.enumerated() { walk(schema, here + "/\(i)") } } else { walk(v, here) }
                case "additionalProperties", "additionalItems", "not", "if", "then", "else", "propertyNames", "contains":
                    walk(v, here)
                default: break
                }
            }
        }
        walk(root, "")
        return out.sorted()
    }

    /// Every violation of the schema by `instance`.
    public func validate(_ instance: Value) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        check(instance, root, [], &out, depth: 0)
        return out
    }

    func check(_ v: Value, _ schema: Value, _ path: [String], _ out: inout [SchemaViolation], depth: Int) {
        func fail(_ message: String) { out.append(SchemaViolation(instancePath: path.joined(separator: "."), message: message)) }
        if case .bool(let b) = schema { if !b { fail("no value is allowed here") }; return }
        guard case .map(let s) = schema, depth < 64 else { return }
        let v = Self.untagged(v)

        if case .string(let ref)? = s["$ref"] {
            if let target = resolve(ref) { check(v, target, path, &out, depth: depth + 1) } else { fail("schema reference '\(ref)' not found in the schema") }
        }
        if let t = s["type"] {
            let types = t.listValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""]
            if !types.contains(where: { Self.matches(v, type: $0) }) {
                fail("must be \(types.count == 1 ? Self.article(types[0]) : "one of the types \(types.joined(separator: ", "))"), found \(Self.typeName(v))")
                return
            }
        }
        if case .list(let options)? = s["enum"], !options.contains(where: { Self.equal($0, v) }) {
            fail("must be one of \(options.map { JSONWriter.compact($0) }.joined(separator: ", ")), found \(JSONWriter.compact(v))")
        }
        if let c = s["const"], !Self.equal(c, v) { fail("must be \(JSONWriter.compact(c)), found \(JSONWriter.compact(v))") }

        switch v {
        case .string(let str):
            let length = str.count
            if let n = s["minLength"].flatMap(Self.number), Double(length) < n { fail("must be at least \(Int(n)) characters long") }
            if let n = s["maxLength"].flatMap(Self.number), Double(length) > n { fail("must be at most \(Int(n)) characters long") }
            if case .string(let p)? = s["pattern"] {
                if let re = try? NSRegularExpression(pattern: p) {
                    if re.firstMatch(in: str, range: NSRange(str.startIndex..., in: str)) == nil { fail("must match the pattern '\(p)'") }
                } else {
                    fail("the schema's pattern '\(p)' is not a valid regular expression")
                }
            }
        case .int, .double:
            let x = Self.number(v)!
            if let n = s["minimum"].flatMap(Self.number) {
                if s["exclusiveMinimum"]?.boolValue == true ? x <= n : x < n { fail("must be \(s["exclusiveMinimum"]?.boolValue == true ? ">" : ">=") \(Self.show(n))") }
            }
            if let n = s["maximum"].flatMap(Self.number) {
                if s["exclusiveMaximum"]?.boolValue == true ? x >= n : x > n { fail("must be \(s["exclusiveMaximum"]?.boolValue == true ? "<" : "<=") \(Self.show(n))") }
            }
            if let n = s["exclusiveMinimum"].flatMap(Self.number), x <= n { fail("must be > \(Self.show(n))") }
            if let n = s["exclusiveMaximum"].flatMap(Self.number), x >= n { fail("must be < \(Self.show(n))") }
            if let n = s["multipleOf"].flatMap(Self.number), n > 0 {
                let q = x / n
                if abs(q - q.rounded()) > 1e-9 { fail("must be a multiple of \(Self.show(n))") }
            }
        case .list(let items):
            if let n = s["minItems"].flatMap(Self.number), Double(items.count) < n { fail("must have at least \(Int(n)) items") }
            if let n = s["maxItems"].flatMap(Self.number), Double(items.count) > n { fail("must have at most \(Int(n)) items") }
            if s["uniqueItems"]?.boolValue == true {
                for i in items.indices { for j in items.indices where j > i && Self.equal(items[i], items[j]) { fail("items \(i) and \(j) must be unique"); break } }
            }
            var tupleCount = 0
            if case .list(let prefix)? = s["prefixItems"] {
                tupleCount = prefix.count
                for (i, sub) in prefix.enumerated() where i < items.count { check(items[i], sub, path + [String(i)], &out, depth: depth + 1) }
            }
            if let itemSchema = s["items"] {
                if case .list(let tuple) = itemSchema {
                    tupleCount = tuple.count
                    for (i, sub) in tuple.enumerated() where i < items.count { check(items[i], sub, path + [String(i)], &out, depth: depth + 1) }
                    if let extra = s["additionalItems"] {
                        for i in items.indices where i >= tuple.count { check(items[i], extra, path + [String(i)], &out, depth: depth + 1) }
                    }
                } else {
                    for i in items.indices where i >= tupleCount { check(items[i], itemSchema, path + [String(i)], &out, depth: depth + 1) }
                }
            }
            if let contains = s["contains"], !items.contains(where: { conforms($0, contains, depth) }) { fail("must contain an item that matches the 'contains' schema") }
        case .map(let m):
            if let n = s["minProperties"].flatMap(Self.number), Double(m.count) < n { fail("must have at least \(Int(n)) keys") }
            if let n = s["maxProperties"].flatMap(Self.number), Double(m.count) > n { fail("must have at most \(Int(n)) keys") }
            if case .list(let req)? = s["required"] {
                for case .string(let k) in req where m[k] == nil { fail("the key '\(k)' is required") }
            }
            if case .map(let deps)? = s["dependentRequired"] {
                for (k, needed) in deps where m[k] != nil {
                    for case .string(let n) in needed.listValue ?? [] where m[n] == nil { fail("the key '\(n)' is required when '\(k)' is set") }
                }
            }
            let props = s["properties"]?.mapValue ?? [:]
            var patterns: [(NSRegularExpression, Value)] = []
            if case .map(let pp)? = s["patternProperties"] {
                for (p, sub) in pp.sorted(by: { $0.key < $1.key }) { if let re = try? NSRegularExpression(pattern: p) { patterns.append((re, sub)) } }
            }
            for k in m.keys.sorted() {
                let value = m[k]!
                var matched = false
                if let sub = props[k] { matched = true; check(value, sub, path + [k], &out, depth: depth + 1) }
                for (re, sub) in patterns where re.firstMatch(in: k, range: NSRange(k.startIndex..., in: k)) != nil {
                    matched = true
                    check(value, sub, path + [k], &out, depth: depth + 1)
                }
                if !matched, let extra = s["additionalProperties"] {
                    if case .bool(false) = extra { fail("the key '\(k)' is not allowed (additionalProperties is false)") } else {
                        check(value, extra, path + [k], &out, depth: depth + 1)
                    }
                }
                if let names = s["propertyNames"], !conforms(.string(k), names, depth) { fail("the key '\(k)' does not match 'propertyNames'") }
            }
        default: break
        }

        if case .list(let all)? = s["allOf"] { for sub in all { check(v, sub, path, &out, depth: depth + 1) } }
        if case .list(let any)? = s["anyOf"], !any.contains(where: { conforms(v, $0, depth) }) {
            fail("must match at least one of the 'anyOf' schemas")
        }
        if case .list(let one)? = s["oneOf"] {
            let n = one.filter { conforms(v, $0, depth) }.count
            if n != 1 { fail("must match exactly one of the 'oneOf' schemas (matches \(n))") }
        }
        if let not = s["not"], conforms(v, not, depth) { fail("must not match the 'not' schema") }
        if let cond = s["if"] {
            if conforms(v, cond, depth) { if let then = s["then"] { check(v, then, path, &out, depth: depth + 1) } } else if let els = s["else"] {
                check(v, els, path, &out, depth: depth + 1)
            }
        }
    }

    func conforms(_ v: Value, _ schema: Value, _ depth: Int) -> Bool {
        var out: [SchemaViolation] = []
        check(v, schema, [], &out, depth: depth + 1)
        return out.isEmpty
    }

    /// A local reference: `#`, `#/definitions/x`, `#/$defs/x`, or any JSON pointer into the document.
    func resolve(_ ref: String) -> Value? {
        guard ref.hasPrefix("#") else { return nil }
        var current = root
        for raw in ref.dropFirst().split(separator: "/") {
            let key = String(raw).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                .removingPercentEncoding ?? String(raw)
            switch current {
            case .map(let m): guard let next = m[key] else { return nil }; current = next
            case .list(let l): guard let i = Int(key), l.indices.contains(i) else { return nil }; current = l[i]
            default: return nil
            }
        }
        return current
    }

    static func untagged(_ v: Value) -> Value {
        if case .tagged(_, let inner) = v { return untagged(inner) }
        return v
    }

    static func matches(_ v: Value, type: String) -> Bool {
        switch (type, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .list), ("object", .map): return true
        case ("number", .int), ("number", .double), ("integer", .int): return true
        case ("integer", .double(let d)): return d.rounded() == d
        default: return false
        }
    }

    static func article(_ type: String) -> String {
        switch type {
        case "integer": return "an integer"
        case "array": return "an array"
        case "object": return "an object"
        case "null": return "null"
        default: return "a \(type)"
        }
    }

    static func typeName(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .list: return "an array"
        case .map: return "an object"
        case .tagged(let t, _): return t
        }
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    static func show(_ d: Double) -> String { d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// JSON equality: 1 equals 1.0; maps and lists compared deeply.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (untagged(a), untagged(b)) {
        case (.int, .double), (.double, .int), (.int, .int), (.double, .double): return number(a) == number(b)
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.map(let x), .map(let y)): return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        case (let x, let y): return x == y
        }
    }
}
