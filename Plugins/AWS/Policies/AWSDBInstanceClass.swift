/// An RDS instance class such as `db.t3.medium`, ordered by size.
///
/// Sizes order as `nano < micro < small < medium < large < xlarge < 2xlarge < 4xlarge < … < metal`
/// (`Nxlarge` ranks by N). Burstable families (`t2`, `t3`, `t4g`, any family starting with `t`)
/// are at least `db.t3.medium` from size `medium` up; every other family (`m5`, `m6g`, `r5`, `r6g`,
/// `x2g`, …) and `db.serverless` counts as at least `db.t3.medium`.
struct AWSDBInstanceClass {
    /// The family, e.g. `t3`, `r6g`; `serverless` for Aurora Serverless v2.
    let family: String
    /// The size rank (see the type comment); nil for `db.serverless`.
    let sizeRank: Int?

    /// Parses `db.<family>.<size>`; nil when the text is not an instance class.
    init?(_ text: String) {
        let parts = text.lowercased().split(separator: ".").map(String.init)
        guard parts.count >= 2, parts[0] == "db" else { return nil }
        if parts.count == 2, parts[1] == "serverless" {
            family = "serverless"
            sizeRank = nil
            return
        }
        guard parts.count == 3, !parts[1].isEmpty, let rank = Self.rank(ofSize: parts[2]) else { return nil }
        family = parts[1]
        sizeRank = rank
    }

    /// The rank of a size word, or nil when it is not one.
    static func rank(ofSize size: String) -> Int? {
        let fixed = ["nano": 0, "micro": 1, "small": 2, "medium": 3, "large": 4, "xlarge": 5]
        if let rank = fixed[size] { return rank }
        if size == "metal" { return 10_000 }
        if size.hasSuffix("xlarge"), let multiple = Int(size.dropLast("xlarge".count)), multiple >= 2 {
            return 5 + multiple
        }
        return nil
    }

    /// True for burstable families (`t…`).
    var isBurstable: Bool { family.hasPrefix("t") }

    /// True when the class is at least `db.t3.medium` in the ordering above.
    var isAtLeastT3Medium: Bool {
        guard isBurstable, let rank = sizeRank else { return true }
        return rank >= Self.rank(ofSize: "medium")!
    }
}
