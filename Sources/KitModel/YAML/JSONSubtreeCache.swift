/// The JSON of maps and lists one thread has written, found again by the identity of their storage.
///
/// In `describe stacks` most nested values are not copied: a base component's `allowed_cidrs` list
/// or `logging` map reaches every component that inherits it, in every stack that imports it, as the
/// same storage (merges keep a value that only one layer sets). Its JSON is the same each time it is
/// written at the same indentation in the same mode, so the second time it is copied, not rewritten.
///
/// Exact, not approximate: an entry holds the value it was written from, so the storage stays alive
/// and shared — never freed, never reused at that address, never mutated in place (a dictionary or an
/// array is changed in place only when uniquely referenced). Equal storage address therefore means the
/// same contents. A value is kept only when it is seen a second time (`candidates` remembers addresses
/// seen once, holding nothing: a reused address there only makes a value kept early), so the maps
/// built afresh for every component (a component's `vars`) do not evict the shared ones.
/// Direct-mapped; memory is bounded (`slots` entries of at most `maxBytes` each).
final class JSONSubtreeCache {
    /// What a subtree's JSON depends on besides its contents: indentation, pretty or compact, and
    /// the masking mode (0: plain).
    struct Key: Equatable {
        var identity: UInt
        var layout: UInt

        init(identity: UInt, indent: Int, pretty: Bool, mode: UInt) {
            self.identity = identity
            layout = UInt(truncatingIfNeeded: indent) << 9 | (pretty ? 1 << 8 : 0) | (mode & 0xFF)
        }

        var slotHash: UInt { (identity >> 4) &* 0x9E37_79B9_7F4A_7C15 ^ layout &* 0xC2B2_AE3D_27D4_EB4F }
    }

    enum Found {
        /// Written before: copy these bytes.
        case bytes(UnsafeBufferPointer<UInt8>)
        /// Seen once before: write it, then `keep` it in this slot.
        case secondSight(Int)
        /// Not seen (now remembered as seen once): write it.
        case new
    }

    /// Longest JSON kept for one value.
    static let maxBytes = 8192
    let slots: Int
    private let keys: UnsafeMutablePointer<Key?>
    private let held: UnsafeMutablePointer<Value?>
    private let written: UnsafeMutablePointer<UnsafeMutableBufferPointer<UInt8>>
    private let candidates: UnsafeMutablePointer<Key?>
    /// Values found (tests).
    private(set) var hits = 0

    /// Whether storage identity can be read here (a dictionary and an array are one reference).
    static let available = MemoryLayout<[String: Value]>.size == MemoryLayout<UInt>.size
        && MemoryLayout<[Value]>.size == MemoryLayout<UInt>.size

    init(slots: Int = 2048) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        self.slots = slots
        keys = .allocate(capacity: slots)
        keys.initialize(repeating: nil, count: slots)
        held = .allocate(capacity: slots)
        held.initialize(repeating: nil, count: slots)
        written = .allocate(capacity: slots)
        written.initialize(repeating: UnsafeMutableBufferPointer(start: nil, count: 0), count: slots)
        candidates = .allocate(capacity: slots)
        candidates.initialize(repeating: nil, count: slots)
    }

    deinit {
        for i in 0 ..< slots { written[i].deallocate() }
        held.deinitialize(count: slots)
        for p in [keys, candidates] { p.deinitialize(count: slots); p.deallocate() }
        held.deallocate()
        written.deallocate()
    }

    /// The storage identity of a non-empty map or list (nil for anything else).
    @inline(__always) static func identity(of value: Value) -> UInt? {
        switch value {
        case .map(let m): return m.isEmpty ? nil : unsafeBitCast(m, to: UInt.self)
        case .list(let l): return l.isEmpty ? nil : unsafeBitCast(l, to: UInt.self)
        default: return nil
        }
    }

    @inline(__always) func lookUp(_ key: Key) -> Found {
        let slot = Int(truncatingIfNeeded: key.slotHash >> 40) & (slots - 1)
        if keys[slot] == key {
            hits += 1
            return .bytes(UnsafeBufferPointer(written[slot]))
        }
        if candidates[slot] == key { return .secondSight(slot) }
        candidates[slot] = key
        return .new
    }

    /// Keeps `json` as what `value` (whose identity is in `key`) writes, in `slot` from `lookUp`.
    func keep(_ value: Value, json: UnsafeBufferPointer<UInt8>, key: Key, in slot: Int) {
        guard json.count <= Self.maxBytes else { return }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: json.count)
        _ = copy.initialize(from: json)
        written[slot].deallocate()
        written[slot] = copy
        keys[slot] = key
        held[slot] = value
        candidates[slot] = nil
    }

    /// This thread's cache (created on first use, released when the thread ends).
    static var current: JSONSubtreeCache { perThread.current }

    private static let perThread = PerThread { JSONSubtreeCache() }
}
