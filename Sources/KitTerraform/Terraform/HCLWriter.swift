import KitModel
import KitStacks
/// Writes backend values as an HCL attribute file for `terraform init -backend-config=<file>`.
public enum HCLWriter {
    /// `key = value` lines, keys sorted; nested maps become HCL object expressions.
    public static func attributes(_ values: [String: Value]) -> String {
        var out = ""
        for key in values.keys.sorted() {
            guard let v = values[key], !v.isNull else { continue }
            out += identifier(key) + " = " + expression(v) + "\n"
        }
        return out
    }

    static func identifier(_ key: String) -> String {
        let ok = key.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) }
        return ok && !key.isEmpty ? key : string(key)
    }

    /// A value as an HCL expression.
    public static func expression(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.format(double: d)
        case .string(let s): return string(s)
        case .tagged(_, let inner): return expression(inner)
        case .list(let l): return "[" + l.map(expression).joined(separator: ", ") + "]"
        case .map(let m):
            let body = m.keys.sorted().compactMap { k -> String? in
                guard let x = m[k] else { return nil }
                return string(k) + " = " + expression(x)
            }
            return "{ " + body.joined(separator: ", ") + " }"
        }
    }

    /// A quoted HCL string: JSON escapes plus `${` and `%{` escaped so nothing is interpolated.
    static func string(_ s: String) -> String {
        var out = ""
        JSONWriter.writeString(s, into: &out)
        return out.replacingAll("${", with: "$${").replacingAll("%{", with: "%%{")
    }
}
