import KitModel
/// What a pull-request summary shows of one component's plan: terraform's text (bounded, colour
/// codes removed, secrets masked) and the addresses it replaces or destroys.
public struct PlanText: Sendable, Equatable {
    /// The text, at most `limit` bytes (a note says how much was cut).
    public var text: String
    /// Addresses terraform says `must be replaced`.
    public var replacements: [String]
    /// Addresses terraform says `will be destroyed`.
    public var destroys: [String]

    public init(text: String, replacements: [String] = [], destroys: [String] = []) {
        self.text = text
        self.replacements = replacements
        self.destroys = destroys
    }

    /// The most bytes of plan text kept per component (a pull-request comment holds 65,536 characters).
    public static let limit = 24 * 1024

    /// Collects lines as they come: the first `limit` bytes are kept, the rest counted.
    public struct Collector: Sendable {
        var kept: [UInt8] = []
        var droppedLines = 0
        var replacements: [String] = []
        var destroys: [String] = []

        public init() {}

        public mutating func take(_ rawLine: [UInt8]) {
            let line = TerraformOutputScanner.stripANSI(rawLine)
            if let text = String(validating: line, as: UTF8.self) {
                let t = text.drop { $0 == " " }
                if t.hasPrefix("# ") {
                    if t.hasSuffix(" must be replaced") {
                        replacements.append(String(t.dropFirst(2).dropLast(" must be replaced".count)))
                    } else if t.hasSuffix(" will be destroyed") {
                        destroys.append(String(t.dropFirst(2).dropLast(" will be destroyed".count)))
                    }
                }
            }
            if kept.count + line.count + 1 <= PlanText.limit { kept += line + [10] } else { droppedLines += 1 }
        }

        /// The plan text with `secrets` replaced by `***`.
        public func result(masking secrets: [String]) -> PlanText {
            var text = String(decoding: kept, as: UTF8.self)
            if droppedLines > 0 { text += "… \(droppedLines) more line(s) not shown (kit keeps \(PlanText.limit / 1024) KiB per component)\n" }
            return PlanText(text: PlanText.mask(text, secrets), replacements: replacements, destroys: destroys)
        }
    }

    /// `text` with every occurrence of each secret (4 characters or more) replaced by `***`.
    public static func mask(_ text: String, _ secrets: [String]) -> String {
        var out = text
        for s in secrets.filter({ $0.count >= 4 }).sorted(by: { $0.count > $1.count }) { out = out.replacingAll(s, with: "***") }
        return out
    }

    /// The values to mask for a component: what `describe` masks (`SecretMask`) — variables its root
    /// module declares `sensitive = true`, vars and env entries with secret-looking names, and values
    /// of `!env` on secret-looking names (seen in `raw`, the component before its functions ran).
    public static func secrets(of c: ResolvedComponent, raw: ResolvedComponent? = nil, sensitiveNames: Set<String>) -> [String] {
        SecretMask(c, raw: raw, sensitiveNames: sensitiveNames).hidden
    }

    static func strings(_ v: Value) -> [String] {
        switch v {
        case .string(let s): return [s]
        case .int, .double: return [v.interpolated]
        case .list(let l): return l.flatMap(strings)
        case .map(let m): return m.values.flatMap(strings)
        case .tagged(_, let inner): return strings(inner)
        default: return []
        }
    }
}
