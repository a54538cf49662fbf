import CLibJQ
import KitModel

/// `Value` ↔ libjq's `jv`. jq numbers are doubles: ints within ±2^53 and every double convert
/// exactly; an integral result within ±2^53 comes back as `.int`, any other number as `.double`.
/// Tags (`!append`) are dropped. Maps go to jq with their keys in code point order, so that
/// order-sensitive filters (`to_entries`, `keys_unsorted`, `.[]` over a map) are deterministic.
enum JQValues {
    /// The largest magnitude below which every integer is an exact double.
    static let exactIntegerLimit = 9_007_199_254_740_992.0  // 2^53

    /// A new `jv` (owned by the caller). `inexact` counts ints that did not fit in a double exactly.
    static func jv(_ value: Value, inexact: inout Int) -> CLibJQ.jv {
        switch value {
        case .null: return jv_null()
        case .bool(let b): return b ? jv_true() : jv_false()
        case .int(let i):
            let d = Double(i)
            if abs(d) >= exactIntegerLimit, Int(exactly: d) != i { inexact += 1 }
            return jv_number(d)
        case .double(let d): return jv_number(d)
        case .string(let s): return string(s)
        case .list(let items):
            var a = jv_array_sized(Int32(clamping: items.count))
            for item in items { a = jv_array_append(a, jv(item, inexact: &inexact)) }
            return a
        case .map(let m):
            var o = jv_object()
            // Sorted keys: jq keeps insertion order, which `to_entries`, `keys_unsorted` and `.[]` show.
            for k in m.keys.sorted(by: QueryNames.precedes) { o = jv_object_set(o, string(k), jv(m[k]!, inexact: &inexact)) }
            return o
        case .tagged(_, let inner): return jv(inner, inexact: &inexact)
        }
    }

    static func string(_ s: String) -> CLibJQ.jv {
        var s = s
        return s.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress, !chars.isEmpty else { return jv_string("") }
                return jv_string_sized(base, Int32(clamping: chars.count))
            }
        }
    }

    /// The Swift string of a jv string (not consumed).
    static func swiftString(_ v: CLibJQ.jv) -> String {
        let count = Int(jv_string_length_bytes(jv_copy(v)))
        guard let p = jv_string_value(v) else { return "" }
        return p.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// The value of `v`, which is consumed. `large` is set when a number at or beyond ±2^53 appears.
    static func value(_ v: CLibJQ.jv, large: inout Bool) -> Value {
        defer { jv_free(v) }
        switch jv_get_kind(v) {
        case JV_KIND_NULL, JV_KIND_INVALID: return .null
        case JV_KIND_FALSE: return .bool(false)
        case JV_KIND_TRUE: return .bool(true)
        case JV_KIND_NUMBER:
            let d = jv_number_value(v)
            if d.isNaN { return .null }  // jq prints NaN as null
            if d.isInfinite { return .double(d > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude) }
            if abs(d) >= exactIntegerLimit { large = true; return .double(d) }
            if d == d.rounded(.towardZero) { return .int(Int(d)) }
            return .double(d)
        case JV_KIND_STRING: return .string(swiftString(v))
        case JV_KIND_ARRAY:
            let n = Int(jv_array_length(jv_copy(v)))
            var items: [Value] = []
            items.reserveCapacity(n)
            for i in 0..<n { items.append(value(jv_array_get(jv_copy(v), Int32(i)), large: &large)) }
            return .list(items)
        case JV_KIND_OBJECT:
            var m: [String: Value] = [:]
            var i = jv_object_iter(v)
            while jv_object_iter_valid(v, i) != 0 {
                let k = jv_object_iter_key(v, i)
                m[swiftString(k)] = value(jv_object_iter_value(v, i), large: &large)
                jv_free(k)
                i = jv_object_iter_next(v, i)
            }
            return .map(m)
        default: return .null
        }
    }

    /// Compact JSON of `v` (not consumed), as jq prints it.
    static func json(_ v: CLibJQ.jv) -> String {
        let dumped = jv_dump_string(jv_copy(v), 0)
        defer { jv_free(dumped) }
        return swiftString(dumped)
    }
}
