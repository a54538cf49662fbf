import KitModel
import KitStacks
import KitTerraform
/// The paths that differ between two refs (relative to the base path), sorted for prefix lookups:
/// "which changed file lies under this folder" is a binary search, not a scan.
struct ChangedPaths {
    let sorted: [String]
    let set: Set<String>

    init(_ paths: Set<String>) {
        set = paths
        sorted = paths.sorted()
    }

    func contains(_ path: String) -> Bool { set.contains(path) }

    /// `rel` itself when it changed, else the first changed path below it (sorted order), else nil.
    func first(under rel: String) -> String? {
        if set.contains(rel) { return rel }
        let lead = rel + "/"
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < lead { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo].hasPrefix(lead) ? sorted[lo] : nil
    }
}
