import Dispatch
import Synchronization
import Testing
@testable import KitPluginSDK
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// kit's two JSON writers (stack values for `describe`/`generate`, `JSONValue` for plugin messages)
/// share one set of text rules (`JSONText`); they differ on integral doubles only, on purpose.
@Suite struct JSONTextTests {
    static let awkward = "tab\tquote\" back\\ nl\n bell\u{07} bs\u{08} ff\u{0C} é ✓"

    @Test func bothWritersEscapeStringsAlike() {
        let kit = JSONWriter.compact(.map(["s": .string(Self.awkward)]))
        let sdk = JSONValue.object(["s": .string(Self.awkward)]).serialized()
        #expect(kit == sdk)
        #expect(kit == #"{"s":"tab\tquote\" back\\ nl\n bell\u0007 bs\b ff\f é ✓"}"#)
    }

    /// kit's writer (its own byte buffer, grown as it goes) writes random documents, large ones
    /// included, byte for byte as the SDK's writer does.
    @Test func largeRandomDocumentsAreWrittenAsTheSDKWritesThem() {
        var generator = SystemRandomNumberGenerator()
        let strings = ["", "plain", Self.awkward, "é✓", "\u{0}\u{1F}", String(repeating: "long-", count: 400), "q\"", "k_1", "k_10",
                       // Either side of the writer's 32-byte one-pass limit, the escape last.
                       String(repeating: "x", count: 31) + "\"", String(repeating: "y", count: 32) + "\\", String(repeating: "z", count: 31) + "\n"]
        func random(_ depth: Int) -> (Value, JSONValue) {
            switch Int.random(in: 0 ..< (depth > 3 ? 4 : 6), using: &generator) {
            case 0: return (.null, .null)
            case 1: let b = Bool.random(using: &generator); return (.bool(b), .bool(b))
            case 2: let i = Int.random(in: -1_000_000 ... 1_000_000, using: &generator); return (.int(i), .int(i))
            case 3: let t = strings.randomElement(using: &generator)!; return (.string(t), .string(t))
            case 4:
                let items = (0 ..< Int.random(in: 0 ... 6, using: &generator)).map { _ in random(depth + 1) }
                return (.list(items.map(\.0)), .array(items.map(\.1)))
            default:
                var kit: [String: Value] = [:], sdk: [String: JSONValue] = [:]
                for _ in 0 ..< Int.random(in: 0 ... 8, using: &generator) {
                    let key = strings.randomElement(using: &generator)! + String(Int.random(in: 0 ... 30, using: &generator))
                    let (k, v) = random(depth + 1)
                    kit[key] = k
                    sdk[key] = v
                }
                return (.map(kit), .object(sdk))
            }
        }
        var largest = 0
        for _ in 0 ..< 300 {
            let (kit, sdk) = random(0)
            let pretty = JSONWriter.pretty(kit)
            largest = max(largest, pretty.utf8.count)
            #expect(pretty == sdk.serialized(pretty: true))
            #expect(JSONWriter.compact(kit) == sdk.serialized())
        }
        #expect(largest > 8192, "no document outgrew the writer's first buffer")
    }

    @Test func integralDoublesAreIntegersForDescribeAndDoublesForPlugins() throws {
        #expect(JSONWriter.compact(.list([.double(1.0), .double(2.5), .double(1e20), .double(.nan)])) == "[1,2.5,1e+20,null]")
        #expect(JSONValue.array([.double(1.0), .double(2.5), .double(1e20), .double(.nan)]).serialized() == "[1.0,2.5,1e+20,null]")
        // A plugin message keeps a double a double across the ABI.
        #expect(try JSONValue.parse(JSONValue.double(1.0).serialized()) == .double(1.0))
    }

    @Test func prettyOutputIndentsByTwoSpacesInBoth() {
        let kit = JSONWriter.pretty(.map(["a": .list([.int(1)])]))
        let sdk = JSONValue.object(["a": .array([.int(1)])]).serialized(pretty: true)
        #expect(kit == "{\n  \"a\": [\n    1\n  ]\n}\n")
        #expect(sdk == kit)
    }

    /// The writer orders ASCII keys by a 24-byte integer prefix (`JSONWriter.sortedPositions`); the
    /// order must be exactly `String`'s `<`, for keys sharing long prefixes, keys that are prefixes of
    /// others, keys with NUL and control bytes, and maps holding a non-ASCII key (the fallback).
    @Test func keyOrderIsStringOrder() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "b", "_", "-", "0", "Z", "\u{0}", "\u{1F}", "~"]
        for round in 0..<400 {
            var keys: Set<String> = []
            // Up to 24 keys (linear insertion), 25-256 (binary insertion) and beyond (the generic sort).
            let count = Int.random(in: 0...(round % 10 == 0 ? 300 : 60), using: &generator)
            while keys.count < count {
                let stem = ["common_tag_", "namespace", "a", "", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy"].randomElement(using: &generator)!
                let tail = String((0..<Int.random(in: 0...10, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
                keys.insert(stem + tail)
            }
            if round % 4 == 0 { keys.insert(["é", "e\u{301}", "ſecret", "✓"].randomElement(using: &generator)!) }
            let map = Dictionary(uniqueKeysWithValues: keys.map { ($0, Value.int(1)) })
            let order = JSONWriter.sortedPositions(map).map { map.keys[$0] }
            #expect(order == keys.sorted(), "keys: \(keys.sorted())")
        }
    }

    /// The eight-bytes-at-a-time escape test (`JSONText.isPlain`) answers as the byte-by-byte rule,
    /// whatever the position of the byte that needs an escape, for every byte value.
    @Test func plainTestMatchesTheByteRule() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let count = Int.random(in: 0...40, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }.filter { $0 != 0x22 && $0 != 0x5C }
            if !bytes.isEmpty && Bool.random(using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let naive = !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            #expect(bytes.withUnsafeBufferPointer(JSONText.isPlain) == naive, "\(bytes)")
        }
    }
}

/// Strings copied from the thread's cache (`JSONStringCache`, what `describe stacks` uses) give the
/// bytes written without it: hits, misses, replaced slots, strings too long to keep, escapes,
/// non-ASCII, small and large strings, on several threads at once.
@Suite struct JSONStringCacheTests {
    static func document(_ seed: Int, _ pool: [String]) -> [(key: String, value: Value)] {
        var g = SplitMix(seed: UInt64(seed))
        func pick() -> String { pool[Int(g.next() % UInt64(pool.count))] }
        func value(_ depth: Int) -> Value {
            switch g.next() % (depth > 2 ? 2 : 4) {
            case 0: return .string(pick())
            case 1: return .int(Int(g.next() % 100))
            case 2: return .list((0 ..< Int(g.next() % 4)).map { _ in value(depth + 1) })
            default: return .map(Dictionary((0 ..< Int(g.next() % 6)).map { _ in (pick(), value(depth + 1)) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        let keys = Set((0 ..< 8).map { _ in pick() }).sorted()
        return keys.map { ($0, value(0)) }
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pool: [String] = {
        var p = ["name", "tags", "q\"uote", "tab\there", "é✓", "compute_1_default_7", "a_much_longer_variable_name_x",
                 String(repeating: "long-", count: 20), "", "back\\slash"]
        // Enough distinct strings that slots are replaced, some built at run time (their own storage).
        p += (0 ..< 9000).map { "key_\($0)_" + String(repeating: "v", count: $0 % 40) }
        return p
    }()

    @Test func cachedStringsWriteTheSameBytes() {
        for seed in 0 ..< 300 {
            let doc = Self.document(seed, Self.pool)
            var plain: [UInt8] = [], first: [UInt8] = [], again: [UInt8] = []
            JSONWriter.write(entries: doc, into: &plain, indent: 8, pretty: true)
            JSONWriter.write(entries: doc, into: &first, indent: 8, pretty: true, reuseStrings: true)
            JSONWriter.write(entries: doc, into: &again, indent: 8, pretty: true, reuseStrings: true)
            #expect(first == plain, "seed \(seed)")
            #expect(again == plain, "seed \(seed)")
        }
    }

    @Test func threadsKeepTheirOwnCaches() {
        let docs = (0 ..< 64).map { Self.document($0, Self.pool) }
        let expected = docs.map { doc -> [UInt8] in
            var out: [UInt8] = []
            JSONWriter.write(entries: doc, into: &out, indent: 8, pretty: true)
            return out
        }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for round in 0 ..< 4 {
                for i in 0 ..< docs.count where (i + t + round) % 2 == 0 {
                    var out: [UInt8] = []
                    JSONWriter.write(entries: docs[i], into: &out, indent: 8, pretty: true, reuseStrings: true)
                    if out != expected[i] { mismatches.withLock { $0 += 1 } }
                }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

extension JSONStringCacheTests {
    /// With two slots every lookup collides: a hit must only ever give the string's own quoted form
    /// (small strings of one length share a word, so a check of one word alone would be caught here).
    @Test func collidingStringsNeverAnswerForEachOther() {
        let cache = JSONStringCache(slots: 2)
        let strings = (0 ..< 400).map { i -> String in
            let letters = Array("abcdefghij")
            return String([letters[i % 10], letters[(i / 10) % 10]]) + (i % 3 == 0 ? "" : String(i))
        } + ["q\"", "é", String(repeating: "z", count: 70)]
        func quoted(_ s: String) -> [UInt8] {
            var out: [UInt8] = []
            JSONWriter.writeString(s, into: &out)
            return out
        }
        var hits = 0
        for round in 0 ..< 3 {
            for s in strings.shuffled() {
                let (slot, found) = cache.lookUp(s)
                if let found {
                    hits += 1
                    #expect(Array(found) == quoted(s), "round \(round): \(s.debugDescription)")
                } else {
                    quoted(s).withUnsafeBufferPointer { cache.store(s, quoted: $0, in: slot) }
                    // Just stored: found again, unless too long to keep.
                    let again = cache.lookUp(s).quoted.map(Array.init)
                    #expect(again == (quoted(s).count <= JSONStringCache.slotBytes ? quoted(s) : nil))
                    if again != nil { hits += 1 }
                }
            }
        }
        // Every string short enough to keep was found right after it was stored.
        #expect(hits >= 3 * (strings.count - 1))
    }
}
