import Foundation
import KitModel

/// Masterminds/semver v3 (what Sprig's `semver` and `semverCompare` use): versions and constraints.
struct SemanticVersion: Sendable, Equatable, TemplateObject {
    var major = 0, minor = 0, patch = 0
    var prerelease = "", metadata = "", original = ""

    /// `semver.NewVersion`: `v1.2.3-pre+meta`, also `1`, `1.2` (missing parts are 0).
    init?(_ text: String) {
        var s = Substring(text)
        original = text
        if s.hasPrefix("v") { s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+") {
            metadata = String(s[s.index(after: plus)...])
            s = s[..<plus]
            guard Self.validIdentifiers(metadata) else { return nil }
        }
        if let dash = s.firstIndex(of: "-") {
            prerelease = String(s[s.index(after: dash)...])
            s = s[..<dash]
            guard Self.validIdentifiers(prerelease) else { return nil }
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        guard let a = Int(parts[0]) else { return nil }
        major = a
        minor = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        patch = parts.count > 2 ? Int(parts[2]) ?? 0 : 0
    }

    init(major: Int, minor: Int, patch: Int, prerelease: String) {
        (self.major, self.minor, self.patch, self.prerelease) = (major, minor, patch, prerelease)
    }

    private static func validIdentifiers(_ s: String) -> Bool {
        !s.isEmpty && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// `Version.String()`.
    var string: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease) + (metadata.isEmpty ? "" : "+" + metadata)
    }

    /// `Version.Compare`: -1, 0, 1 (metadata ignored).
    func compare(_ o: SemanticVersion) -> Int {
        for (a, b) in [(major, o.major), (minor, o.minor), (patch, o.patch)] where a != b { return a < b ? -1 : 1 }
        if prerelease == o.prerelease { return 0 }
        if prerelease.isEmpty { return 1 }
        if o.prerelease.isEmpty { return -1 }
        let a = prerelease.split(separator: "."), b = o.prerelease.split(separator: ".")
        for i in 0..<Swift.max(a.count, b.count) {
            guard i < a.count else { return -1 }
            guard i < b.count else { return 1 }
            if a[i] == b[i] { continue }
            switch (Int(a[i]), Int(b[i])) {
            case (let x?, let y?): return x < y ? -1 : 1
            case (.some, nil): return -1
            case (nil, .some): return 1
            default: return a[i] < b[i] ? -1 : 1
            }
        }
        return 0
    }

    var goTypeName: String { "*semver.Version" }
    var printed: String { string }
    func field(_ name: String) -> TemplateValue? {
        switch name {
        case "Major": return GoTyped.value(.int(major), type: "uint64")
        case "Minor": return GoTyped.value(.int(minor), type: "uint64")
        case "Patch": return GoTyped.value(.int(patch), type: "uint64")
        case "Prerelease": return .value(.string(prerelease))
        case "Metadata": return .value(.string(metadata))
        case "Original": return .value(.string(original))
        case "String": return .value(.string(string))
        default: return nil
        }
    }

    /// `semver.NewConstraint(c).Check(v)`; nil when the constraint does not parse.
    static func check(_ constraint: String, _ v: SemanticVersion) -> Bool? {
        let alternatives = constraint.components(separatedBy: "||")
        var any = false
        for alternative in alternatives {
            guard let all = parseAnd(rewriteRanges(alternative)) else { return nil }
            if all.allSatisfy({ $0.matches(v) }) { any = true }
        }
        return any
    }

    private static func rewriteRanges(_ s: String) -> String {
        // `1.2 - 1.4.5` → `>= 1.2, <= 1.4.5`
        guard let regex = try? NSRegularExpression(pattern: #"([0-9xX*.]+[^\s,]*)\s+-\s+([0-9xX*.]+[^\s,]*)"#) else { return s }
        return regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: ">= $1, <= $2")
    }

    private struct Constraint {
        let op: String
        let version: SemanticVersion
        let dirty: Bool, minorDirty: Bool, patchDirty: Bool

        func matches(_ v: SemanticVersion) -> Bool {
            if op != "!=" && !v.prerelease.isEmpty && version.prerelease.isEmpty { return false }
            let c = version
            switch op {
            case "", "=": return dirty ? tilde(v) : v.compare(c) == 0
            case "!=":
                if !v.prerelease.isEmpty && c.prerelease.isEmpty { return false }
                return dirty ? !tilde(v) : v.compare(c) != 0
            case ">":
                if !dirty { return v.compare(c) > 0 }
                if v.major != c.major { return v.major > c.major }
                if minorDirty { return false }
                return v.minor > c.minor
            case "<": return v.compare(c) < 0
            case ">=", "=>": return v.compare(c) >= 0
            case "<=", "=<":
                if !dirty { return v.compare(c) <= 0 }
                if v.major != c.major { return v.major < c.major }
                if minorDirty { return true }
                return v.minor <= c.minor
            case "~", "~>": return tilde(v)
            default: return caret(v)
            }
        }

        func tilde(_ v: SemanticVersion) -> Bool {
            let c = version
            if v.compare(c) < 0 { return false }
            if c.major == 0 && c.minor == 0 && c.patch == 0 && !minorDirty && !patchDirty { return true }
            if v.major != c.major { return false }
            if v.minor != c.minor && !minorDirty { return false }
            return true
        }

        func caret(_ v: SemanticVersion) -> Bool {
            let c = version
            if v.compare(c) < 0 { return false }
            if c.major > 0 || minorDirty { return v.major == c.major }
            if v.major > 0 { return false }
            if c.minor > 0 || patchDirty { return v.minor == c.minor }
            if v.minor > 0 { return false }
            return v.patch == c.patch
        }
    }

    private static func parseAnd(_ s: String) -> [Constraint]? {
        let ops = ["!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^"]
        var constraints: [Constraint] = []
        // Terms are separated by commas or spaces; an operator may be followed by spaces.
        var tokens = s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        var i = 0
        while i < tokens.count {
            var term = tokens[i]
            if ops.contains(term), i + 1 < tokens.count { term += tokens[i + 1]; i += 1 }
            i += 1
            let op = ops.first { term.hasPrefix($0) } ?? ""
            var text = String(term.dropFirst(op.count))
            if text.hasPrefix("v") { text.removeFirst() }
            var core = text
            var pre = ""
            if let plus = core.firstIndex(of: "+") { core = String(core[..<plus]) }
            if let dash = core.firstIndex(of: "-") { pre = String(core[core.index(after: dash)...]); core = String(core[..<dash]) }
            let parts = core.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard (1...3).contains(parts.count) else { return nil }
            func isX(_ p: String) -> Bool { p == "x" || p == "X" || p == "*" }
            var numbers: [Int] = []
            var minorDirty = false, patchDirty = false, dirty = false
            for (k, p) in parts.enumerated() {
                if isX(p) {
                    dirty = true
                    if k == 0 { minorDirty = true; patchDirty = true }
                    if k == 1 { minorDirty = true; patchDirty = true }
                    if k == 2 { patchDirty = true }
                    numbers.append(0)
                } else if let n = Int(p), p.allSatisfy({ $0.isNumber }) {
                    numbers.append(dirty ? 0 : n)
                } else {
                    return nil
                }
            }
            if parts.count < 3 && !dirty {
                // `1.2` means `1.2.x`, `1` means `1.x` (the missing parts are wildcards).
                if parts.count == 1 { minorDirty = true }
                patchDirty = true
                dirty = true
            } else if parts.count < 3 {
                patchDirty = true
            }
            if isX(parts[0]) && op.isEmpty { constraints.append(Constraint(op: ">=", version: .init(major: 0, minor: 0, patch: 0, prerelease: ""), dirty: false, minorDirty: false, patchDirty: false)); continue }
            while numbers.count < 3 { numbers.append(0) }
            let version = SemanticVersion(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: pre)
            constraints.append(Constraint(op: op, version: version, dirty: dirty, minorDirty: minorDirty, patchDirty: patchDirty))
        }
        return constraints.isEmpty ? nil : constraints
    }
}
