import KitModel
/// Reads terraform's own summary lines from its output: `Plan: 1 to add, 0 to change, 2 to destroy.`,
/// `No changes.`, `Apply complete! Resources: 1 added, 0 changed, 0 destroyed.`,
/// `Destroy complete! Resources: 3 destroyed.` (colour codes ignored). The last one seen wins, so an
/// apply's result replaces its plan's.
public struct ChangeCounts: Equatable, Sendable, Codable {
    public var add: Int
    public var change: Int
    public var destroy: Int
    public init(add: Int, change: Int, destroy: Int) {
        self.add = add
        self.change = change
        self.destroy = destroy
    }
    /// True when anything would change.
    public var any: Bool { add + change + destroy > 0 }
}

public enum TerraformOutputScanner {
    /// The counts a line reports, if it is one of terraform's summary lines.
    public static func counts(in rawLine: [UInt8]) -> ChangeCounts? {
        let line = stripANSI(rawLine)
        guard let text = String(validating: line, as: UTF8.self)?.trimmingBlanks() else { return nil }
        if text.hasPrefix("No changes.") { return ChangeCounts(add: 0, change: 0, destroy: 0) }
        if text.hasPrefix("Plan: ") {
            let n = numbers(text)
            return n.count >= 3 ? ChangeCounts(add: n[0], change: n[1], destroy: n[2]) : nil
        }
        if text.hasPrefix("Apply complete! Resources:") {
            let n = numbers(text)
            if n.count >= 3 { return ChangeCounts(add: n[0], change: n[1], destroy: n[2]) }
            // `Resources: 0 added, 0 changed, 0 destroyed.` always has three; anything else is unknown.
            return nil
        }
        if text.hasPrefix("Destroy complete! Resources:") {
            let n = numbers(text)
            return n.count >= 1 ? ChangeCounts(add: 0, change: 0, destroy: n[0]) : nil
        }
        return nil
    }

    /// The bytes without ANSI escape sequences (`ESC [ … letter`).
    public static func stripANSI(_ line: [UInt8]) -> [UInt8] {
        guard line.contains(0x1B) else { return line }
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var i = 0
        while i < line.count {
            if line[i] == 0x1B {
                i += 1
                if i < line.count && line[i] == UInt8(ascii: "[") {
                    i += 1
                    while i < line.count && !(line[i] >= 0x40 && line[i] <= 0x7E) { i += 1 }
                }
                i += 1
                continue
            }
            out.append(line[i])
            i += 1
        }
        return out
    }

    static func numbers(_ text: String) -> [Int] {
        var out: [Int] = []
        var current: Int?
        for ch in text.utf8 {
            if ch >= 48 && ch <= 57 {
                current = (current ?? 0) * 10 + Int(ch - 48)
            } else if let c = current {
                out.append(c)
                current = nil
            }
        }
        if let c = current { out.append(c) }
        return out
    }
}
