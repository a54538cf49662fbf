import KitModel
/// Whether text could spell a YAML function (`!env`, `!exec`, `!terraform.output`, …) once parsed,
/// merged and rendered: the proof that lets the function phase skip walking a component whose every
/// source is free of them (`StackCatalog.evaluate`). Conservative by construction: a function string
/// starts with `!`, which the text either holds as itself, or writes as an escape (`"\x21env"`, which
/// needs `\`), or computes in a template (`{{ printf "%c" 33 }}`, which needs `{{`).
enum FunctionText {
    /// True when the bytes hold `!`, `\` or `{{`.
    static func mayHold(_ bytes: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for b in bytes {
            if b == UInt8(ascii: "!") || b == UInt8(ascii: "\\") || (b == UInt8(ascii: "{") && previous == UInt8(ascii: "{")) { return true }
            previous = b
        }
        return false
    }

    /// `mayHold` for a string.
    static func mayHold(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { mayHold(Array($0)) }
    }

    /// `mayHold` for any string or map key in a value; a tagged value may be a function.
    static func mayHold(_ value: Value) -> Bool {
        switch value {
        case .string(let s): return mayHold(s)
        case .map(let m): return m.contains { mayHold($0.key) || mayHold($0.value) }
        case .list(let l): return l.contains(where: mayHold)
        case .tagged: return true
        default: return false
        }
    }

    /// True when the configuration can feed a function string into a component: its raw document, its
    /// `env`, and the stack name template and pattern (rendered into names that reach sections).
    static func mayHold(_ config: KitConfig) -> Bool {
        mayHold(config.rawConfiguration) || mayHold(.map(config.env)) || mayHold(config.nameTemplate) || mayHold(config.namePattern)
    }
}
