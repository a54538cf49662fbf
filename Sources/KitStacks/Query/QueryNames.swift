import KitModel
/// Small helpers for query and terraform-output messages.
enum QueryNames {
    /// Unicode code point order (jq's order of strings), for listing names deterministically.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// `a string`, `an int`, `a bool`, …
    static func article(_ v: Value) -> String {
        let name = v.typeName
        return (name.first.map { "aeiou".contains($0) } ?? false) ? "an \(name)" : "a \(name)"
    }
}
