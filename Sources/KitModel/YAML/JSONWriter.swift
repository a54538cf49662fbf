import KitPluginSDK

/// Writes `Value`s as JSON with sorted keys: pretty (2-space indent, trailing newline) or compact.
/// Output is built as UTF-8 bytes; `describe stacks` on large repositories spends most of its time here.
/// The text rules (escaping, numbers, indentation) are the SDK's `JSONText`, shared with the plugin
/// messages; only integral doubles differ on purpose: `1`, as atmos writes them, where a plugin
/// message keeps `1.0` so it parses back as a double.
public enum JSONWriter {
    /// Pretty JSON with 2-space indentation, sorted keys and a trailing newline.
    public static func pretty(_ value: Value) -> String {
        String(decoding: prettyBytes(value), as: UTF8.self)
    }

    /// Pretty JSON as bytes.
    public static func prettyBytes(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, indent: 0, pretty: true)
        out.append(10)
        return out
    }

    /// Compact JSON with sorted keys and no trailing newline.
    public static func compact(_ value: Value) -> String {
        var out: [UInt8] = []
        write(value, into: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON for `value` to `out`.
    public static func write(_ value: Value, into out: inout [UInt8], indent: Int, pretty: Bool) {
        var sink = ByteSink(capacity: 4096)
        defer { sink.free() }
        write(value, into: &sink, indent: indent, pretty: pretty)
        sink.withBytes { out.append(contentsOf: $0) }
    }

    /// Appends the JSON object of `entries`, which must be in key order (`String`'s `<`) with no key
    /// twice: what `write(.map(...))` writes for the same keys and values, without hashing or sorting.
    /// With `mask`, the entries it names are written masked (`KeyMask`). With `reuseStrings`, strings
    /// this thread wrote before are copied from its `JSONStringCache` (for `describe stacks`, which
    /// writes the same names in every component of every stack).
    public static func write(entries: [(key: String, value: Value)], into out: inout [UInt8], indent: Int, pretty: Bool,
                             mask: KeyMask? = nil, reuseStrings: Bool = false) {
        var sink = ByteSink(capacity: 8192)
        defer { sink.free() }
        if reuseStrings && JSONStringCache.available { sink.strings = Unmanaged.passUnretained(JSONStringCache.current) }
        if reuseStrings && JSONSubtreeCache.available { sink.subtrees = Unmanaged.passUnretained(JSONSubtreeCache.current) }
        if reuseStrings && JSONKeyOrderCache.available { sink.keyOrders = Unmanaged.passUnretained(JSONKeyOrderCache.current) }
        if entries.isEmpty {
            sink.append("{}")
        } else {
            sink.append(UInt8(ascii: "{"))
            var first = true
            // Looked up in the list itself: binding `mask` for each entry copied it (its list and closure).
            let maskedSections = mask?.sections ?? []
            for (key, item) in entries {
                sink.item(&first, indent: indent + 2, pretty: pretty)
                sink.key(key, pretty: pretty)
                if !maskedSections.isEmpty, let names = KeyMask.topLevelNames(of: key, in: maskedSections) {
                    writeMasked(item, into: &sink, indent: indent + 2, pretty: pretty, mask: mask!, topLevelNames: names)
                } else {
                    write(item, into: &sink, indent: indent + 2, pretty: pretty)
                }
            }
            sink.close("}", indent: indent, pretty: pretty)
        }
        sink.withBytes { out.append(contentsOf: $0) }
    }

    /// Secret values hidden while they are written, so that `describe stacks` does not walk every
    /// component's values twice (once to mask, once to write). In a section named in `sections`,
    /// the value under a key — at any depth of maps and lists, not inside tagged values — is written
    /// as `replacement` when `isSecret(key)` or, at the section's top level, the key is in the
    /// section's set; a null value stays null. This is `SecretMask`'s rule for a component with no
    /// secret paths and no raw values (`JSONMaskTests` compares the two).
    public struct KeyMask {
        /// The masked sections, each with its top-level secret names (a list: two entries, looked
        /// up for each of a document's thirty keys, compare faster than they hash).
        public var sections: [(name: String, topLevelNames: Set<String>)]
        public var isSecret: (String) -> Bool
        public var replacement: Value
        /// Set when `isSecret` and `replacement` are one fixed rule, the same for every mask with this
        /// mode (1...255): the JSON of a masked value below a section's top level then depends on the
        /// value alone, so a writer that reuses subtrees may copy it. Nil: never reused.
        public var subtreeMode: UInt?

        public init(sections: [(name: String, topLevelNames: Set<String>)], isSecret: @escaping (String) -> Bool, replacement: Value,
                    subtreeMode: UInt? = nil) {
            precondition(subtreeMode.map { (1 ... 255).contains($0) } ?? true, "a subtree mode is 1...255")
            self.sections = sections
            self.isSecret = isSecret
            self.replacement = replacement
            self.subtreeMode = subtreeMode
        }

        /// The top-level names of the section `key` in `sections`, or nil when `key` is not masked.
        static func topLevelNames(of key: String, in sections: [(name: String, topLevelNames: Set<String>)]) -> Set<String>? {
            for section in sections where section.name == key { return section.topLevelNames }
            return nil
        }
    }

    static func writeMasked(_ value: Value, into out: inout ByteSink, indent: Int, pretty: Bool, mask: KeyMask, topLevelNames: Set<String>) {
        switch value {
        case .map, .list:
            // Below a section's top level the masked JSON depends on the value alone (and the mask's mode).
            guard topLevelNames.isEmpty, let mode = mask.subtreeMode, let cache = out.subtrees,
                  let identity = JSONSubtreeCache.identity(of: value) else {
                return writeMaskedContainer(value, into: &out, indent: indent, pretty: pretty, mask: mask, topLevelNames: topLevelNames)
            }
            reusing(value, identity: identity, cache: cache, indent: indent, pretty: pretty, mode: mode, into: &out) { out in
                writeMaskedContainer(value, into: &out, indent: indent, pretty: pretty, mask: mask, topLevelNames: [])
            }
        default:
            write(value, into: &out, indent: indent, pretty: pretty)
        }
    }

    static func writeMaskedContainer(_ value: Value, into out: inout ByteSink, indent: Int, pretty: Bool, mask: KeyMask, topLevelNames: Set<String>) {
        switch value {
        case .map(let m):
            if m.isEmpty { out.append("{}"); return }
            out.append(UInt8(ascii: "{"))
            var first = true
            for position in sortedPositions(m, orders: out.keyOrders) {
                let (key, item) = m[position]
                out.item(&first, indent: indent + 2, pretty: pretty)
                out.key(key, pretty: pretty)
                let secret = (!topLevelNames.isEmpty && topLevelNames.contains(key)) || out.isSecret(key, mask)
                if secret, !item.isNull {
                    write(mask.replacement, into: &out, indent: indent + 2, pretty: pretty)
                } else {
                    writeMasked(item, into: &out, indent: indent + 2, pretty: pretty, mask: mask, topLevelNames: [])
                }
            }
            out.close("}", indent: indent, pretty: pretty)
        case .list(let items):
            if items.isEmpty { out.append("[]"); return }
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                out.item(&first, indent: indent + 2, pretty: pretty)
                writeMasked(item, into: &out, indent: indent + 2, pretty: pretty, mask: mask, topLevelNames: [])
            }
            out.close("]", indent: indent, pretty: pretty)
        default:
            write(value, into: &out, indent: indent, pretty: pretty)
        }
    }

    static func write(_ value: Value, into out: inout ByteSink, indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(int: i)
        case .double(let d): out.append(string: format(double: d))
        case .string(let s): out.appendJSONString(s)
        case .tagged(_, let inner): write(inner, into: &out, indent: indent, pretty: pretty)
        case .list, .map:
            guard let cache = out.subtrees, let identity = JSONSubtreeCache.identity(of: value) else {
                return writeContainer(value, into: &out, indent: indent, pretty: pretty)
            }
            reusing(value, identity: identity, cache: cache, indent: indent, pretty: pretty, mode: 0, into: &out) { out in
                writeContainer(value, into: &out, indent: indent, pretty: pretty)
            }
        }
    }

    /// `value` (a non-empty map or list whose storage is `identity`) through the thread's subtree cache:
    /// copied when written before at this indentation in this mode; otherwise written by `body`, and
    /// kept at its second sight (`JSONSubtreeCache`).
    @inline(__always)
    static func reusing(_ value: Value, identity: UInt, cache: Unmanaged<JSONSubtreeCache>, indent: Int, pretty: Bool, mode: UInt,
                        into out: inout ByteSink, _ body: (inout ByteSink) -> Void) {
        let key = JSONSubtreeCache.Key(identity: identity, indent: indent, pretty: pretty, mode: mode)
        switch cache._withUnsafeGuaranteedRef({ $0.lookUp(key) }) {
        case .bytes(let json):
            out.append(json)
        case .new:
            body(&out)
        case .secondSight(let slot):
            let start = out.written
            body(&out)
            out.withBytes(from: start) { json in cache._withUnsafeGuaranteedRef { $0.keep(value, json: json, key: key, in: slot) } }
        }
    }

    static func writeContainer(_ value: Value, into out: inout ByteSink, indent: Int, pretty: Bool) {
        switch value {
        case .list(let items):
            if items.isEmpty { out.append("[]"); return }
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                out.item(&first, indent: indent + 2, pretty: pretty)
                write(item, into: &out, indent: indent + 2, pretty: pretty)
            }
            out.close("]", indent: indent, pretty: pretty)
        case .map(let m):
            if m.isEmpty { out.append("{}"); return }
            out.append(UInt8(ascii: "{"))
            var first = true
            for position in sortedPositions(m, orders: out.keyOrders) {
                let (key, item) = m[position]
                out.item(&first, indent: indent + 2, pretty: pretty)
                out.key(key, pretty: pretty)
                write(item, into: &out, indent: indent + 2, pretty: pretty)
            }
            out.close("}", indent: indent, pretty: pretty)
        default:
            write(value, into: &out, indent: indent, pretty: pretty)
        }
    }

    /// The writer's output buffer: bytes appended with one capacity check each and no uniqueness
    /// check (an `[UInt8]` append checks both, ~100 instructions a call; `describe stacks` appends
    /// some thirty million times). Owned by one `write` call, freed by it.
    struct ByteSink {
        private var base: UnsafeMutablePointer<UInt8>
        private var count = 0
        private var capacity: Int
        /// Quoted strings this thread wrote before, when the caller asked to reuse them (unretained:
        /// the thread's cache outlives the sink; a retain and release per string cost 40 instructions).
        var strings: Unmanaged<JSONStringCache>?
        /// Maps and lists this thread wrote before, when the caller asked to reuse them (unretained, as `strings`).
        var subtrees: Unmanaged<JSONSubtreeCache>?
        /// Key orders of maps this thread wrote before (unretained, as `strings`).
        var keyOrders: Unmanaged<JSONKeyOrderCache>?

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            base = .allocate(capacity: self.capacity)
        }

        func free() { base.deallocate() }

        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(UnsafeBufferPointer(start: base, count: count)) }

        /// How many bytes are written so far.
        var written: Int { count }

        /// The bytes written since `start` (a former `written`).
        func withBytes<R>(from start: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            body(UnsafeBufferPointer(start: base + start, count: count - start))
        }

        @inline(__always) private mutating func reserve(_ n: Int) {
            guard count + n > capacity else { return }
            var grown = capacity * 2
            while count + n > grown { grown *= 2 }
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            moved.initialize(from: base, count: count)
            base.deallocate()
            base = moved
            capacity = grown
        }

        @inline(__always) mutating func append(_ byte: UInt8) {
            reserve(1)
            base[count] = byte
            count += 1
        }

        @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
            reserve(bytes.count)
            (base + count).initialize(from: from, count: bytes.count)
            count += bytes.count
        }

        @inline(__always) mutating func append(_ text: StaticString) {
            append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        /// `String(i)`'s digits, written in place (a `String` for each integer cost ~100 instructions).
        @inline(__always) mutating func append(int i: Int) {
            reserve(20)
            var v = i.magnitude
            if i < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
            if v < 10 { base[count] = 0x30 &+ UInt8(truncatingIfNeeded: v); count += 1; return }
            var digits = 0
            var w = v
            while w > 0 { digits += 1; w /= 10 }
            var at = count + digits - 1
            while v > 0 {
                base[at] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
                at -= 1
            }
            count += digits
        }

        /// A `String`'s bytes (a separate name: with one name, string literals chose this overload over
        /// the `StaticString` one, and paid a retain and release each).
        mutating func append(string text: String) {
            var text = text
            text.withUTF8 { append($0) }
        }

        /// The separator before an item of an object or array (a comma after the first, then the
        /// item's line in pretty output): the punctuation every writer loop shares.
        @inline(__always) mutating func item(_ first: inout Bool, indent: Int, pretty: Bool) {
            if !first { append(UInt8(ascii: ",")) }
            first = false
            if pretty { newline(indent: indent) }
        }

        /// An object member's key and its colon.
        @inline(__always) mutating func key(_ key: String, pretty: Bool) {
            appendJSONString(key)
            if pretty { append(": ") } else { append(UInt8(ascii: ":")) }
        }

        /// `mask.isSecret(key)`, answered from the string cache when the mask's rule is fixed (the key
        /// was just written, so the cache holds it unless it is long).
        @inline(__always) func isSecret(_ key: String, _ mask: KeyMask) -> Bool {
            guard let strings, let mode = mask.subtreeMode else { return mask.isSecret(key) }
            return strings._withUnsafeGuaranteedRef { $0.isSecret(key, mode: mode, mask.isSecret) }
        }

        /// The closing bracket of a non-empty object or array, on its own line in pretty output.
        @inline(__always) mutating func close(_ bracket: StaticString, indent: Int, pretty: Bool) {
            if pretty { newline(indent: indent) }
            append(bracket)
        }

        /// A newline and `indent` spaces.
        @inline(__always) mutating func newline(indent: Int) {
            reserve(1 + indent)
            base[count] = 0x0A
            (base + count + 1).initialize(repeating: 0x20, count: indent)
            count += 1 + indent
        }

        /// `s` as a JSON string literal, by `JSONText`'s rules: a string that needs no escape (nearly
        /// all) is copied whole between its quotes; others go through `JSONText.appendString`.
        mutating func appendJSONString(_ s: String) {
            guard let strings else { return appendJSONStringBytes(s) }
            let (slot, quoted) = strings._withUnsafeGuaranteedRef { $0.lookUp(s) }
            if let quoted { return append(quoted) }
            let start = count
            appendJSONStringBytes(s)
            let written = UnsafeBufferPointer(start: base + start, count: count - start)
            strings._withUnsafeGuaranteedRef { $0.store(s, quoted: written, in: slot) }
        }

        mutating func appendJSONStringBytes(_ s: String) {
            // The view's storage where it has one (native and small strings): `withUTF8` on a copy
            // costs a retain and a release a string.
            let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                reserve(bytes.count + 2)
                let start = base + count
                start[0] = 0x22
                if bytes.count <= 32 {
                    // Short strings (nearly all keys and values): test and copy in one pass; a byte
                    // that needs an escape abandons what was copied (`count` has not moved).
                    for i in 0 ..< bytes.count {
                        let b = bytes[i]
                        if b < 0x20 || b == 0x22 || b == 0x5C { return false }
                        start[1 + i] = b
                    }
                } else {
                    guard JSONText.isPlain(bytes) else { return false }
                    if let from = bytes.baseAddress { (start + 1).initialize(from: from, count: bytes.count) }
                }
                start[1 + bytes.count] = 0x22
                count += bytes.count + 2
                return true
            } ?? false
            if plain { return }
            var escaped: [UInt8] = []
            JSONText.appendString(s, to: &escaped)
            escaped.withUnsafeBufferPointer { append($0) }
        }
    }

    /// `sortedPositions(m)`, or the order `orders` kept for the same keys (a map of a few keys is
    /// sorted directly).
    static func sortedPositions(_ m: [String: Value], orders: Unmanaged<JSONKeyOrderCache>?) -> [Dictionary<String, Value>.Index] {
        guard let orders, m.count >= JSONKeyOrderCache.minKeys else { return sortedPositions(m) }
        let setHash = JSONKeyOrderCache.setHash(m)
        if let known = orders._withUnsafeGuaranteedRef({ $0.positions(m, setHash: setHash) }) { return known }
        let sorted = sortedPositions(m)
        orders._withUnsafeGuaranteedRef { $0.keep(m, setHash: setHash, positions: sorted) }
        return sorted
    }

    /// A map's positions in key order (`String`'s `<`), ASCII keys, nearly all of them, by
    /// their first 24 bytes as three integers, compared as strings only on a tie (keys such as
    /// `network_1_default_0`…`_7` share sixteen) (for ASCII, byte
    /// order is `<`'s order); a map with any other key is sorted with `<` itself. Positions, not
    /// entries: keys and values are not copied (no reference counting while sorting).
    static func sortedPositions(_ m: [String: Value]) -> [Dictionary<String, Value>.Index] {
        typealias Keyed = (hi: UInt64, mid: UInt64, lo: UInt64, position: Dictionary<String, Value>.Index)
        var keyed: [Keyed] = []
        keyed.reserveCapacity(m.count)
        var position = m.startIndex
        while position != m.endIndex {
            guard let (hi, mid, lo) = asciiPrefix(m.keys[position]) else { return m.indices.sorted { m.keys[$0] < m.keys[$1] } }
            keyed.append((hi, mid, lo, position))
            position = m.index(after: position)
        }
        @inline(__always) func less(_ a: Keyed, _ b: Keyed) -> Bool {
            a.hi != b.hi ? a.hi < b.hi : a.mid != b.mid ? a.mid < b.mid : a.lo != b.lo ? a.lo < b.lo : m.keys[a.position] < m.keys[b.position]
        }
        if keyed.count > 256 {
            keyed.sort(by: less)
        } else if keyed.count > 24 {
            // A component's `vars` (fifty keys): a binary insertion sort, again without closure calls
            // (the generic sort's were ~30% of writing `describe stacks`' maps).
            keyed.withUnsafeMutableBufferPointer { k in
                for i in 1 ..< k.count {
                    let x = k[i]
                    var low = 0, high = i
                    while low < high {
                        let mid = (low + high) >> 1
                        if less(x, k[mid]) { high = mid } else { low = mid + 1 }
                    }
                    var j = i
                    while j > low { k[j] = k[j - 1]; j -= 1 }
                    k[low] = x
                }
            }
        } else if keyed.count > 1 {
            // Most maps are small: an insertion sort without the generic sort's closure calls (keys
            // are unique, so stability does not matter).
            for i in 1 ..< keyed.count {
                let x = keyed[i]
                var j = i
                while j > 0 && less(x, keyed[j - 1]) { keyed[j] = keyed[j - 1]; j -= 1 }
                keyed[j] = x
            }
        }
        return keyed.map(\.position)
    }

    /// The first 24 bytes of an ASCII key as three big-endian integers (zero-padded), or nil
    /// when the key is not ASCII. Eight bytes at a time: this runs for every key of every map written.
    @inline(__always) static func asciiPrefix(_ key: String) -> (UInt64, UInt64, UInt64)? {
        guard let prefix = key.utf8.withContiguousStorageIfAvailable({ asciiPrefix(bytes: $0) }) else {
            var copy = key
            return copy.withUTF8 { asciiPrefix(bytes: $0) }
        }
        return prefix
    }

    @inline(__always) static func asciiPrefix(bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64)? {
        guard let base = bytes.baseAddress else { return (0, 0, 0) }
        let n = bytes.count
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= n {
            high |= UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n { high |= UInt64(base[i]); i += 1 }
        if high & 0x8080_8080_8080_8080 != 0 { return nil }
        return (word(base, n, from: 0), word(base, n, from: 8), word(base, n, from: 16))
    }

    /// Bytes `from..<from+8` of `base[0..<n]` as a big-endian integer, zero-padded past `n`.
    @inline(__always) static func word(_ base: UnsafePointer<UInt8>, _ n: Int, from: Int) -> UInt64 {
        if from + 8 <= n { return UInt64(bigEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: from, as: UInt64.self)) }
        var w: UInt64 = 0
        var i = from
        while i < from + 8 {
            w = w << 8 | (i < n ? UInt64(base[i]) : 0)
            i += 1
        }
        return w
    }

    /// A double as JSON: integral values keep no fraction when they fit, non-finite become null.
    public static func format(double d: Double) -> String { JSONText.double(d, integral: .asInteger) }

    /// Appends `s` as a JSON string literal.
    public static func writeString(_ s: String, into out: inout [UInt8]) { JSONText.appendString(s, to: &out) }

    /// Appends `s` as a JSON string literal to a String.
    public static func writeString(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        writeString(s, into: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }
}
