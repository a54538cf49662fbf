/// The quoted JSON of short strings one thread has written, found again by the string's own bits.
///
/// `describe stacks` writes the same few thousand keys and values hundreds of thousands of times
/// (every component of every stack repeats its variables' names), and reaching a `String`'s bytes
/// costs more than copying them. A string's two words identify its contents: a small string holds
/// its bytes in them; a large one points at its storage, which the entry keeps alive (the entry
/// holds the string), so equal words mean the same storage and the same length — never a reused
/// address. Equal strings with other storage are only a miss. Direct-mapped, one fixed-size slot per
/// entry, so memory is bounded (`slots` × `slotBytes`, 256 KB a thread); a collision replaces the entry.
final class JSONStringCache {
    /// Quoted forms longer than this are not kept.
    static let slotBytes = 64
    /// The number of entries (a power of two).
    let slots: Int

    private let bits: UnsafeMutablePointer<(UInt64, UInt64)>
    private let strings: UnsafeMutablePointer<String?>
    private let lengths: UnsafeMutablePointer<Int>
    private let bytes: UnsafeMutablePointer<UInt8>
    /// A masking rule's answer for the slot's string: 0 when none is kept, else the rule's mode
    /// (`JSONWriter.KeyMask.subtreeMode`) shifted left by two, 2, and 1 when the string is secret.
    private let secretAnswers: UnsafeMutablePointer<UInt16>

    /// Whether strings can be recognised by their bits here (a `String` is two 64-bit words).
    static let available = MemoryLayout<String>.size == 16

    init(slots: Int = 4096) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        self.slots = slots
        bits = .allocate(capacity: slots)
        bits.initialize(repeating: (0, 0), count: slots)
        strings = .allocate(capacity: slots)
        strings.initialize(repeating: nil, count: slots)
        lengths = .allocate(capacity: slots)
        lengths.initialize(repeating: 0, count: slots)
        bytes = .allocate(capacity: slots * Self.slotBytes)
        secretAnswers = .allocate(capacity: slots)
        secretAnswers.initialize(repeating: 0, count: slots)
    }

    deinit {
        strings.deinitialize(count: slots)
        strings.deallocate()
        bits.deallocate()
        lengths.deallocate()
        bytes.deallocate()
        secretAnswers.deallocate()
    }

    /// The slot of `s`, and its quoted JSON when the slot holds `s`.
    @inline(__always) func lookUp(_ s: String) -> (slot: Int, quoted: UnsafeBufferPointer<UInt8>?) {
        let b = unsafeBitCast(s, to: (UInt64, UInt64).self)
        let slot = Int(truncatingIfNeeded: (b.0 &* 0x9E37_79B9_7F4A_7C15 ^ b.1 &* 0xC2B2_AE3D_27D4_EB4F) >> 40) & (slots - 1)
        // An empty slot's bits, (0, 0), are no string's: a large string's second word is never zero.
        if bits[slot] == b {
            return (slot, UnsafeBufferPointer(start: bytes + slot * Self.slotBytes, count: lengths[slot]))
        }
        return (slot, nil)
    }

    /// Keeps `quoted` as the JSON of `s` in `slot` (from `lookUp`) when it fits.
    func store(_ s: String, quoted: UnsafeBufferPointer<UInt8>, in slot: Int) {
        guard quoted.count <= Self.slotBytes, let from = quoted.baseAddress else { return }
        (bytes + slot * Self.slotBytes).initialize(from: from, count: quoted.count)
        lengths[slot] = quoted.count
        bits[slot] = unsafeBitCast(s, to: (UInt64, UInt64).self)
        strings[slot] = s
        secretAnswers[slot] = 0
    }

    /// `isSecret(s)`, kept beside `s`'s quoted form when the cache holds it: a masking rule with a
    /// fixed `mode` (1...255) always answers the same for the same string.
    @inline(__always) func isSecret(_ s: String, mode: UInt, _ isSecret: (String) -> Bool) -> Bool {
        let (slot, quoted) = lookUp(s)
        guard quoted != nil else { return isSecret(s) }
        let kept = secretAnswers[slot]
        if kept != 0 && UInt(kept >> 2) == mode { return kept & 1 == 1 }
        let answer = isSecret(s)
        secretAnswers[slot] = UInt16(truncatingIfNeeded: mode << 2) | 2 | (answer ? 1 : 0)
        return answer
    }

    /// This thread's cache (created on first use, released when the thread ends).
    static var current: JSONStringCache { perThread.current }

    private static let perThread = PerThread { JSONStringCache() }
}
