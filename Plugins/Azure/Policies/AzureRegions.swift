/// The public Azure regions (programmatic names, as `az account list-locations` prints them).
enum AzureRegions {
    static let names: Set<String> = [
        "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
        "austriaeast", "belgiumcentral", "brazilsouth", "brazilsoutheast",
        "canadacentral", "canadaeast", "centralindia", "centralus", "chilecentral",
        "eastasia", "eastus", "eastus2", "francecentral", "francesouth",
        "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral", "italynorth",
        "japaneast", "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth",
        "malaysiawest", "mexicocentral", "newzealandnorth", "northcentralus", "northeurope",
        "norwayeast", "norwaywest", "polandcentral", "qatarcentral",
        "southafricanorth", "southafricawest", "southcentralus", "southeastasia", "southindia",
        "spaincentral", "swedencentral", "swedensouth", "switzerlandnorth", "switzerlandwest",
        "uaecentral", "uaenorth", "uksouth", "ukwest",
        "westcentralus", "westeurope", "westindia", "westus", "westus2", "westus3",
    ]

    /// `West Europe` → `westeurope`.
    static func normalized(_ location: String) -> String {
        String(location.lowercased().filter { $0 != " " })
    }

    /// True when the location names a public region.
    static func isKnown(_ location: String) -> Bool { names.contains(normalized(location)) }

    /// A known region within two edits of the location, or nil.
    static func suggestion(for location: String) -> String? {
        let wanted = Array(normalized(location))
        return names.sorted()
            .map { ($0, editDistance(wanted, Array($0))) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
