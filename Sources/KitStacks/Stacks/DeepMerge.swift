import KitModel
/// How two lists merge (`settings.list_merge_strategy`).
public enum ListMergeStrategy: String, Sendable, CaseIterable {
    /// The later list replaces the earlier (default).
    case replace
    /// The later list is appended to the earlier.
    case append
    /// Element-wise: maps at the same index deep-merge, other positions keep the earlier element,
    /// extra later elements are appended (atmos `merge`).
    case merge
}

/// atmos deep merge (reference §4): later layers win, maps merge recursively, `null` overwrites,
/// any type may replace any other, lists follow the strategy, `!append` lists always append.
public enum DeepMerge {
    /// Merges maps left to right; empty layers are skipped.
    public static func merge(_ layers: [[String: Value]], strategy: ListMergeStrategy = .replace) -> [String: Value] {
        var result: [String: Value] = [:]
        var first = true
        for layer in layers where !layer.isEmpty {
            if first { result = layer; first = false; continue }
            merge(into: &result, layer, strategy)
        }
        return result
    }

    /// `mergeMap`, built from whichever side is larger: merging a 40-key inherited `vars` over a
    /// 7-key stack-level one copies the 40 keys' table as it is and looks up 7, instead of growing
    /// the 7-key table (rehashing it several times) by 40 inserts. Same result as `mergeMap`.
    public static func merge(into dst: inout [String: Value], _ src: [String: Value], _ strategy: ListMergeStrategy) {
        if src.count > dst.count {
            dst = merged(dst, src, strategy)
        } else {
            mergeMap(&dst, src, strategy)
        }
    }

    /// `dst` with `src` merged over it (`mergeMap`'s result), starting from a copy of `src`.
    /// Each key is hashed once where it is in both: its value is replaced through its index.
    static func merged(_ dst: [String: Value], _ src: [String: Value], _ strategy: ListMergeStrategy) -> [String: Value] {
        var out = src
        for (key, dv) in dst {
            // `out` still holds `src`'s value here: each of `dst`'s keys is visited once.
            guard let i = out.index(forKey: key) else {
                out[key] = dv
                continue
            }
            let sv = out.values[i]
            if case .map(let dm) = dv, case .map(let sm) = sv {
                if !sm.isEmpty { out.values[i] = .map(dm.count > sm.count ? mergedInPlace(dm, sm, strategy) : merged(dm, sm, strategy)) }
                else { out.values[i] = dv }
                continue
            }
            var earlier = dv
            out.values[i] = mergeValue(&earlier, sv, strategy)
        }
        return out
    }

    private static func mergedInPlace(_ dst: [String: Value], _ src: [String: Value], _ strategy: ListMergeStrategy) -> [String: Value] {
        var out = dst
        mergeMap(&out, src, strategy)
        return out
    }

    /// Merges `src` into `dst` in place. A key in both is hashed once: its value is taken out
    /// through its index (so a map under it is uniquely referenced and merges without a copy) and
    /// put back there.
    public static func mergeMap(_ dst: inout [String: Value], _ src: [String: Value], _ strategy: ListMergeStrategy) {
        for (key, sv) in src {
            guard let i = dst.index(forKey: key) else {
                dst[key] = sv
                continue
            }
            var dv = Value.null
            swap(&dv, &dst.values[i])
            dst.values[i] = mergeValue(&dv, sv, strategy)
        }
    }

    @inline(__always)
    /// `sv` merged over `dv`; `dv` is left null when its map was merged into (so the map, taken out of
    /// its holder by the caller, is uniquely referenced and mutates without a copy).
    static func mergeValue(_ dv: inout Value, _ sv: Value, _ strategy: ListMergeStrategy) -> Value {
        switch (dv, sv) {
        case (.map(var dm), .map(let sm)):
            if sm.isEmpty { return dv }
            dv = .null  // drop the other reference so `dm` mutates without a copy
            mergeMap(&dm, sm, strategy)
            return .map(dm)
        case (_, .tagged("!append", let inner)):
            let add = inner.listValue ?? []
            if let existing = dv.listValue { return .list(existing + add) }
            return .list(add)
        case (.list(let dl), .list(let sl)):
            return mergeLists(dl, sl, strategy)
        case (.tagged("!append", let inner), .list(let sl)):
            return mergeLists(inner.listValue ?? [], sl, strategy)
        default:
            return sv
        }
    }

    /// Two plain lists under a strategy.
    public static func mergeLists(_ dst: [Value], _ src: [Value], _ strategy: ListMergeStrategy) -> Value {
        switch strategy {
        case .replace: return .list(src)
        case .append: return .list(dst + src)
        case .merge:
            var out = dst
            for (i, s) in src.enumerated() {
                if i < out.count {
                    if case .map(var dm) = out[i], case .map(let sm) = s {
                        mergeMap(&dm, sm, .merge)
                        out[i] = .map(dm)
                    }
                } else {
                    out.append(s)
                }
            }
            return .list(out)
        }
    }

    /// The final form of a merged value: `!append` tags dropped (their lists kept), keys whose value
    /// is `!unset` removed (list items too).
    public static func finalize(_ value: Value) -> Value {
        switch value {
        case .tagged(_, let inner): return finalize(inner)
        case .map(let m):
            var out = [String: Value](minimumCapacity: m.count)
            for (k, v) in m {
                if case .string(let s) = v, s == "!unset" { continue }
                out[k] = finalize(v)
            }
            return .map(out)
        case .list(let l):
            return .list(l.compactMap { item in
                if case .string(let s) = item, s == "!unset" { return nil }
                return finalize(item)
            })
        default: return value
        }
    }

    /// True when `value` holds a tag or `!unset` anywhere (so `finalize` has work to do).
    public static func needsFinalize(_ value: Value) -> Bool {
        switch value {
        case .tagged: return true
        case .string(let s): return s == "!unset"
        case .map(let m): return m.values.contains(where: needsFinalize)
        case .list(let l): return l.contains(where: needsFinalize)
        default: return false
        }
    }
}
