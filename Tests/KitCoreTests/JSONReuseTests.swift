import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks

/// What `describe stacks` reuses while it writes JSON — subtrees by storage (`JSONSubtreeCache`), key
/// orders by key set (`JSONKeyOrderCache`), masking answers beside quoted strings — must give exactly
/// the bytes written without reuse.
@Suite struct JSONReuseTests {
    typealias SplitMix = JSONStringCacheTests.SplitMix

    /// Components as `describe stacks` sees them: fresh top-level maps whose nested lists and maps
    /// are shared (the same storage) between components, plus some of their own.
    static func components(_ count: Int, seed: UInt64) -> [[(key: String, value: Value)]] {
        var g = SplitMix(seed: seed)
        let shared: [Value] = (0 ..< 12).map { i in
            i % 2 == 0
                ? .list((0 ..< 1 + i).map { .string("item-\(i)-\($0)") })
                : .map(Dictionary(uniqueKeysWithValues: (0 ..< 2 + i).map { ("k\($0)_\(i)", Value.int($0)) }))
        }
        let names = (0 ..< 60).map { "name_\($0)_" + String(repeating: "x", count: $0 % 20) }
        return (0 ..< count).map { c in
            var vars: [String: Value] = [:]
            for _ in 0 ..< 8 + Int(g.next() % 40) {
                let name = names[Int(g.next() % UInt64(names.count))]
                switch g.next() % 4 {
                case 0, 1: vars[name] = shared[Int(g.next() % UInt64(shared.count))]
                case 2: vars[name] = .string("own-\(c)")
                default: vars[name] = .map(["nested": shared[Int(g.next() % UInt64(shared.count))], "own": .int(c)])
                }
            }
            return [("inheritance", shared[0]), ("settings", shared[1]), ("vars", .map(vars))]
        }
    }

    static func written(_ doc: [(key: String, value: Value)], indent: Int, reuse: Bool, mask: JSONWriter.KeyMask? = nil) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.write(entries: doc, into: &out, indent: indent, pretty: indent % 2 == 0, mask: mask, reuseStrings: reuse)
        return out
    }

    @Test func sharedSubtreesAreCopiedExactly() {
        let docs = Self.components(200, seed: 7)
        let hitsBefore = JSONSubtreeCache.current.hits
        for (i, doc) in docs.enumerated() {
            // Several indentations, pretty and compact: a subtree's bytes depend on both.
            for indent in [10, 4, 3] {
                #expect(Self.written(doc, indent: indent, reuse: true) == Self.written(doc, indent: indent, reuse: false), "doc \(i) indent \(indent)")
            }
        }
        // Not vacuous: shared subtrees were copied.
        #expect(JSONSubtreeCache.current.hits - hitsBefore > 1000)
    }

    @Test func aValueChangedAfterItWasWrittenIsWrittenAfresh() {
        var list: [Value] = (0 ..< 5).map { .int($0) }
        var map: [String: Value] = ["a": .list(list), "b": .string("x")]
        for round in 0 ..< 6 {
            let doc: [(key: String, value: Value)] = [("m", .map(map)), ("l", .list(list))]
            #expect(Self.written(doc, indent: 8, reuse: true) == Self.written(doc, indent: 8, reuse: false), "round \(round)")
            #expect(Self.written(doc, indent: 8, reuse: true) == Self.written(doc, indent: 8, reuse: false), "round \(round), again")
            list.append(.int(100 + round))
            map["c\(round)"] = .list(list)
        }
    }

    /// A subtree written plain is never copied where it must be masked, nor the reverse.
    @Test func plainAndMaskedWritesNeverShareSubtrees() {
        let secretive: Value = .map(["password": .string("hunter2"), "region": .string("eu"), "items": .list([.map(["api_key": .string("k")])])])
        let doc: [(key: String, value: Value)] = [("env", .map([:])), ("vars", .map(["db": secretive, "other": secretive]))]
        let mask = SecretMask.keyMask(sensitiveNames: [])
        let plain = Self.written(doc, indent: 8, reuse: false)
        let masked = Self.written(doc, indent: 8, reuse: false, mask: mask)
        #expect(plain != masked)
        #expect(!String(decoding: masked, as: UTF8.self).contains("hunter2"))
        for _ in 0 ..< 3 {
            #expect(Self.written(doc, indent: 8, reuse: true) == plain)
            #expect(Self.written(doc, indent: 8, reuse: true, mask: mask) == masked)
        }
        // A mask without a fixed rule is never answered from the cache.
        let everything = JSONWriter.KeyMask(sections: [("vars", [])], isSecret: { _ in true }, replacement: .string("<hidden>"))
        let hidden = Self.written(doc, indent: 8, reuse: true, mask: everything)
        #expect(hidden == Self.written(doc, indent: 8, reuse: false, mask: everything))
        #expect(String(decoding: hidden, as: UTF8.self).contains("<hidden>"))
    }

    /// With two slots nearly every lookup collides: an entry answers only for its own storage and layout.
    @Test func collidingSubtreesNeverAnswerForEachOther() {
        let cache = JSONSubtreeCache(slots: 2)
        let values: [Value] = (0 ..< 50).map { i in i % 2 == 0 ? .list([.int(i)]) : .map(["k": .int(i)]) }
        func json(_ v: Value, _ indent: Int) -> [UInt8] {
            var out: [UInt8] = []
            JSONWriter.write(v, into: &out, indent: indent, pretty: true)
            return out
        }
        var found = 0
        for round in 0 ..< 4 {
            for (i, v) in values.enumerated() {
                for indent in [2, 4] {
                    let key = JSONSubtreeCache.Key(identity: JSONSubtreeCache.identity(of: v)!, indent: indent, pretty: true, mode: 0)
                    var answer = cache.lookUp(key)
                    if case .new = answer { answer = cache.lookUp(key) }  // seen once just now: the second sight
                    switch answer {
                    case .bytes(let b):
                        found += 1
                        #expect(Array(b) == json(v, indent), "round \(round) value \(i) indent \(indent)")
                    case .secondSight(let slot):
                        json(v, indent).withUnsafeBufferPointer { cache.keep(v, json: $0, key: key, in: slot) }
                        guard case .bytes(let b) = cache.lookUp(key) else { Issue.record("not kept"); continue }
                        found += 1
                        #expect(Array(b) == json(v, indent))
                    case .new:
                        Issue.record("a value seen just before was not recognised")
                    }
                }
            }
        }
        #expect(found == 4 * values.count * 2)
        // Empty maps and lists, and scalars, have no identity to find them by.
        #expect(JSONSubtreeCache.identity(of: .map([:])) == nil && JSONSubtreeCache.identity(of: .list([])) == nil)
        #expect(JSONSubtreeCache.identity(of: .string("s")) == nil)
    }

    /// A kept key order is used only for exactly the same keys (by their words), whatever the
    /// maps' own orders; any other map is sorted.
    @Test func keyOrdersAreReusedOnlyForTheSameKeys() {
        var g = SplitMix(seed: 11)
        let pool = (0 ..< 40).map { "key_\($0)_" + String(repeating: "k", count: $0 % 25) } + ["é", "Z", "a", "_"]
        // One single-slot cache per key set: where a set lands in a shared table depends on its keys'
        // addresses, and the count below must not.
        let caches = (0 ..< 5).map { _ in JSONKeyOrderCache(slots: 1) }
        var reused = 0
        for round in 0 ..< 600 {
            var m: [String: Value] = [:]
            // Few distinct sets (so orders are found again), maps built afresh each time.
            let set = Int(g.next() % 5)
            for i in 0 ..< 6 + set * 3 { m[pool[(i * (set + 1)) % pool.count]] = .int(round) }
            if round % 7 == 0 { m[String("key_20_" + String(repeating: "k", count: 20))] = .int(0) }  // equal to pool[20], own storage
            let expected = JSONWriter.sortedPositions(m).map { m.keys[$0] }
            let h = JSONKeyOrderCache.setHash(m)
            let cache = caches[set]
            if let known = cache.positions(m, setHash: h) {
                reused += 1
                #expect(known.map { m.keys[$0] } == expected, "round \(round)")
            } else {
                cache.keep(m, setHash: h, positions: JSONWriter.sortedPositions(m))
            }
        }
        // Each set is kept once, and again after each round that added a key of its own storage (which
        // misses, as another string, and is kept in its place).
        #expect(reused > 400, "\(reused)")
        // Same number of keys, another key: an entry found by hash must still refuse it.
        let cache = JSONKeyOrderCache(slots: 4)
        let a: [String: Value] = Dictionary(uniqueKeysWithValues: pool[0 ..< 8].map { ($0, Value.null) })
        var b = a
        b[pool[0]] = nil
        b["other"] = .null
        let h = JSONKeyOrderCache.setHash(a)
        cache.keep(a, setHash: h, positions: JSONWriter.sortedPositions(a))
        #expect(cache.positions(a, setHash: h) != nil)
        #expect(cache.positions(b, setHash: h) == nil)
    }

    /// Masking answers kept beside quoted strings follow each mode's own rule.
    @Test func secretAnswersAreKeptPerMode() {
        let cache = JSONStringCache(slots: 64)
        let names = ["password", "region", "api_key", "name", "token_ttl", "client_secret"]
        for s in names {
            let (slot, _) = cache.lookUp(s)
            var q: [UInt8] = []
            JSONWriter.writeString(s, into: &q)
            q.withUnsafeBufferPointer { cache.store(s, quoted: $0, in: slot) }
        }
        for _ in 0 ..< 3 {
            for s in names {
                #expect(cache.isSecret(s, mode: 1, SecretNames.looksSecret) == SecretNames.looksSecret(s), "\(s)")
                #expect(cache.isSecret(s, mode: 2, { _ in true }))
                #expect(!cache.isSecret(s, mode: 3, { _ in false }))
            }
        }
        #expect(SecretNames.looksSecret("password") && !SecretNames.looksSecret("region"))
    }
}

/// Integers are written digit by digit in the writer's buffer: exactly `String(i)`.
@Suite struct JSONIntegerTests {
    @Test func integersAreWrittenAsStringWritesThem() {
        var g = SystemRandomNumberGenerator()
        var values: [Int] = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.max - 1, Int.min + 1, 1_000_000_000_000_000_000, -999]
        for _ in 0 ..< 2000 { values.append(Int.random(in: Int.min ... Int.max, using: &g) >> Int.random(in: 0 ... 63, using: &g)) }
        for v in values {
            #expect(JSONWriter.compact(.int(v)) == String(v), "\(v)")
        }
        #expect(JSONWriter.compact(.list(values.map { .int($0) })) == "[" + values.map(String.init).joined(separator: ",") + "]")
    }
}
