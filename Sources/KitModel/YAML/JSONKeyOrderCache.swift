/// The key order of maps one thread has written, found again by their set of keys.
///
/// In `describe stacks` every component of a group merges the same fifty variable names into a new
/// `vars` map, stack after stack: the map is new each time (so `JSONSubtreeCache` cannot help), but
/// its keys are the same strings, and sorting them again is most of what writing the map costs.
///
/// Keys are recognised by their two words, as in `JSONStringCache` (an entry holds its keys, so a
/// large key's storage stays alive and equal words mean the same string). A map's keys are hashed
/// as a set (a sum of the words' mixes, in any order); an entry with that hash and that many keys
/// gives each key its rank through a small open-addressing table of the words. Exact: the order is
/// used only when every key of the map is found in the entry — the map's keys are distinct, so
/// their ranks are distinct, and with as many keys as the entry they are all of its ranks. Any other
/// map (a key with other words, another set with the same hash) is sorted as before and replaces
/// the entry. Direct-mapped, memory bounded (`slots` entries of at most `maxKeys` keys).
final class JSONKeyOrderCache {
    typealias Words = (UInt64, UInt64)

    /// Maps with fewer keys are sorted directly (an insertion sort of a few keys costs less).
    static let minKeys = 6
    /// Maps with more keys are not kept.
    static let maxKeys = 512

    final class Entry {
        let setHash: UInt64
        /// The keys' words in key order.
        let sorted: UnsafeMutablePointer<Words>
        let count: Int
        /// Open addressing over `sorted`: a rank, or -1.
        let table: UnsafeMutablePointer<Int32>
        let mask: Int
        /// Holds the keys' storage (see the type's comment).
        let keys: [String]

        init(setHash: UInt64, keysInOrder: [String]) {
            self.setHash = setHash
            count = keysInOrder.count
            keys = keysInOrder
            sorted = .allocate(capacity: count)
            var capacity = 8
            while capacity < count * 2 { capacity <<= 1 }
            mask = capacity - 1
            table = .allocate(capacity: capacity)
            table.initialize(repeating: -1, count: capacity)
            for (rank, key) in keysInOrder.enumerated() {
                let w = JSONKeyOrderCache.words(key)
                sorted[rank] = w
                var h = JSONKeyOrderCache.probe(w) & mask
                while table[h] >= 0 { h = (h + 1) & mask }
                table[h] = Int32(rank)
            }
        }

        deinit {
            sorted.deallocate()
            table.deallocate()
        }

        /// The rank of the key with words `w`, or nil.
        @inline(__always) func rank(_ w: Words) -> Int? {
            var h = JSONKeyOrderCache.probe(w) & mask
            while true {
                let r = Int(table[h])
                if r < 0 { return nil }
                if sorted[r] == w { return r }
                h = (h + 1) & mask
            }
        }
    }

    let slots: Int
    private let entries: UnsafeMutablePointer<Entry?>
    /// Orders found (tests).
    private(set) var hits = 0

    /// Whether a string's words can be read here.
    static let available = MemoryLayout<String>.size == 16

    init(slots: Int = 1024) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        self.slots = slots
        entries = .allocate(capacity: slots)
        entries.initialize(repeating: nil, count: slots)
    }

    deinit {
        entries.deinitialize(count: slots)
        entries.deallocate()
    }

    @inline(__always) static func words(_ s: String) -> Words { unsafeBitCast(s, to: Words.self) }

    @inline(__always) static func probe(_ w: Words) -> Int {
        Int(truncatingIfNeeded: (w.0 &* 0x9E37_79B9_7F4A_7C15 ^ w.1 &* 0xC2B2_AE3D_27D4_EB4F) >> 32)
    }

    /// The order-independent hash of `m`'s keys.
    @inline(__always) static func setHash(_ m: [String: Value]) -> UInt64 {
        var h: UInt64 = 0
        for key in m.keys {
            let w = words(key)
            var x = w.0 &* 0x9E37_79B9_7F4A_7C15 ^ w.1
            x ^= x >> 29
            x = x &* 0xBF58_476D_1CE4_E5B9
            x ^= x >> 32
            h = h &+ x
        }
        return h
    }

    @inline(__always) func slot(_ setHash: UInt64, count: Int) -> Int {
        Int(truncatingIfNeeded: (setHash ^ UInt64(count) &* 0x94D0_49BB_1331_11EB) >> 40) & (slots - 1)
    }

    /// `m`'s positions in key order when an entry holds exactly its keys; nil otherwise.
    func positions(_ m: [String: Value], setHash: UInt64) -> [Dictionary<String, Value>.Index]? {
        guard let entry = entries[slot(setHash, count: m.count)], entry.setHash == setHash, entry.count == m.count else { return nil }
        var found = 0
        let result = [Dictionary<String, Value>.Index](unsafeUninitializedCapacity: m.count) { buffer, initialized in
            var position = m.startIndex
            while position != m.endIndex {
                guard let r = entry.rank(Self.words(m.keys[position])) else { break }
                (buffer.baseAddress! + r).initialize(to: position)
                found += 1
                position = m.index(after: position)
            }
            // Every key found: each rank written once (the keys are distinct, so are their ranks).
            initialized = found == m.count ? m.count : 0
        }
        guard found == m.count else { return nil }
        hits += 1
        return result
    }

    /// Keeps the key order of `m` (`positions`, sorted) under `setHash`.
    func keep(_ m: [String: Value], setHash: UInt64, positions: [Dictionary<String, Value>.Index]) {
        guard m.count <= Self.maxKeys else { return }
        entries[slot(setHash, count: m.count)] = Entry(setHash: setHash, keysInOrder: positions.map { m.keys[$0] })
    }

    /// This thread's cache (created on first use, released when the thread ends).
    static var current: JSONKeyOrderCache { perThread.current }

    private static let perThread = PerThread { JSONKeyOrderCache() }
}
