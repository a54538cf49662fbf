import Testing
@testable import KitModel

/// `ValueWalk.rewrite`: what it replaces, in which order it asks, and that untouched subtrees keep
/// their storage (they are not copied map by map).
@Suite struct ValueWalkRewriteTests {
    static func identity(_ m: [String: Value]) -> UInt { unsafeBitCast(m, to: UInt.self) }

    static let tree: Value = .map([
        "b": .map(["x": .string("keep"), "y": .list([.string("!swap"), .int(2)])]),
        "a": .map(["deep": .map(["z": .string("keep")])]),
        "c": .tagged("!tag", .string("!swap")),
    ])

    @Test("replaces exactly the answered nodes, asks in document order (sorted keys), and keeps the rest")
    func replacesAndOrders() {
        var asked: [String] = []
        let out = ValueWalk.rewrite(Self.tree, at: ValueLocation(section: "vars")) { v, at in
            asked.append(at.text)
            if case .string("!swap") = v { return .string("swapped at \(at.text)") }
            return nil
        }
        #expect(out == .map([
            "b": .map(["x": .string("keep"), "y": .list([.string("swapped at vars.b.y[0]"), .int(2)])]),
            "a": .map(["deep": .map(["z": .string("keep")])]),
            "c": .tagged("!tag", .string("swapped at vars.c")),
        ]))
        #expect(asked == ["vars", "vars.a", "vars.a.deep", "vars.a.deep.z", "vars.b", "vars.b.x", "vars.b.y",
                          "vars.b.y[0]", "vars.b.y[1]", "vars.c", "vars.c"])
    }

    @Test("a subtree with nothing replaced keeps its storage; the whole value does when nothing is replaced")
    func untouchedSubtreesShareStorage() throws {
        guard MemoryLayout<[String: Value]>.size == MemoryLayout<UInt>.size else { return }
        let out = ValueWalk.rewrite(Self.tree, at: ValueLocation(section: "vars")) { v, _ in
            if case .string("!swap") = v { return .string("swapped") }
            return nil
        }
        let before = try #require(Self.tree.mapValue), after = try #require(out.mapValue)
        #expect(Self.identity(after["a"]!.mapValue!) == Self.identity(before["a"]!.mapValue!))
        #expect(Self.identity(after["b"]!.mapValue!) != Self.identity(before["b"]!.mapValue!))
        #expect(before["b"]!["y"]! == .list([.string("!swap"), .int(2)]), "the input is never changed")
        let same = ValueWalk.rewrite(Self.tree, at: ValueLocation(section: "vars")) { _, _ in nil }
        #expect(Self.identity(try #require(same.mapValue)) == Self.identity(before))
    }

    @Test("an error stops the walk at the first node in document order")
    func firstErrorInOrder() {
        struct Stop: Error, Equatable { let at: String }
        #expect(throws: Stop(at: "vars.a.deep.z")) {
            _ = try ValueWalk.rewrite(Self.tree, at: ValueLocation(section: "vars")) { v, at in
                if case .string = v { throw Stop(at: at.text) }
                return nil
            }
        }
    }
}

/// `ValueLocation`: keys and text assembled from the steps, as the eager version built them.
@Suite struct ValueLocationTests {
    @Test("keys, text and dotted of nested keys and indices; equality by keys and text")
    func assembled() {
        let at = ValueLocation(section: "vars").appending(key: "subnets").appending(index: 0).appending(key: "cidr")
        #expect(at.keys == ["vars", "subnets", "0", "cidr"])
        #expect(at.text == "vars.subnets[0].cidr")
        #expect(at.dotted == "vars.subnets.0.cidr")
        #expect(at == ValueLocation(keys: ["vars", "subnets", "0", "cidr"], text: "vars.subnets[0].cidr"))
        #expect(at != ValueLocation(section: "vars").appending(key: "subnets"))
        let empty = ValueLocation(keys: [], text: "").appending(key: "a").appending(index: 2)
        #expect(empty.keys == ["a", "2"])
        #expect(empty.text == ".a[2]")
    }
}

/// `ValueWalk.rewriteLeaves` against `rewrite` with the same replacement: same result, same questions in
/// the same order, same first error, untouched subtrees and sections shared.
@Suite struct ValueWalkRewriteLeavesTests {
    /// A tree whose maps have enough keys that their storage order differs from sorted order, with
    /// candidate strings ("!…") at many depths, in lists and under tags.
    static func tree(seed: Int) -> Value {
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        func node(_ depth: Int) -> Value {
            switch depth == 0 ? 3 + next(2) : next(6) {
            case 0: return .map(Dictionary(uniqueKeysWithValues: (0..<(2 + next(12))).map { ("k\(next(1000))-\($0)", node(depth - 1)) }))
            case 1: return .list((0..<next(5)).map { _ in node(depth - 1) })
            case 2: return .tagged("!t", node(depth - 1))
            case 3: return .string(next(3) == 0 ? "!fn \(next(100))" : "plain \(next(100))")
            default: return .int(next(100))
            }
        }
        return .map(Dictionary(uniqueKeysWithValues: (0..<20).map { ("top\($0)", node(4)) }))
    }

    static func isCandidate(_ v: Value) -> Bool {
        if case .string(let s) = v { return s.hasPrefix("!") }
        return false
    }

    @Test("same result and the same questions in the same order as rewrite, over 40 generated trees")
    func sameAsRewrite() {
        for seed in 0..<40 {
            let tree = Self.tree(seed: seed)
            var askedLeaves: [String] = [], askedFull: [String] = []
            let leaves = ValueWalk.rewriteLeaves(tree, at: ValueLocation(section: "vars"), where: Self.isCandidate) { v, at in
                askedLeaves.append(at.text)
                guard case .string(let s) = v else { return nil }
                return .string("done " + s + " at " + at.text)
            } ?? tree
            let full = ValueWalk.rewrite(tree, at: ValueLocation(section: "vars")) { v, at in
                guard Self.isCandidate(v), case .string(let s) = v else { return nil }
                askedFull.append(at.text)
                return .string("done " + s + " at " + at.text)
            }
            #expect(leaves == full, "seed \(seed)")
            #expect(askedLeaves == askedFull, "seed \(seed)")
            #expect(!askedLeaves.isEmpty, "seed \(seed): the generator made no candidate")
        }
    }

    @Test("the first error is the first candidate in document order, as with rewrite")
    func firstError() {
        struct Stop: Error, Equatable { let at: String }
        for seed in 0..<10 {
            let tree = Self.tree(seed: seed)
            var fromLeaves: Stop?, fromFull: Stop?
            do {
                _ = try ValueWalk.rewriteLeaves(tree, at: ValueLocation(section: "s"), where: Self.isCandidate) { _, at in throw Stop(at: at.text) }
            } catch { fromLeaves = error as? Stop }
            do {
                _ = try ValueWalk.rewrite(tree, at: ValueLocation(section: "s")) { v, at in
                    if Self.isCandidate(v) { throw Stop(at: at.text) }
                    return nil
                }
            } catch { fromFull = error as? Stop }
            #expect(fromLeaves != nil && fromLeaves == fromFull, "seed \(seed)")
        }
    }

    @Test("nil when nothing is replaced; replaced leaves copy only their own path")
    func sharing() throws {
        guard MemoryLayout<[String: Value]>.size == MemoryLayout<UInt>.size else { return }
        let tree: Value = .map(["a": .map(["x": .string("!fn")]), "b": .map(["y": .string("plain")])])
        #expect(ValueWalk.rewriteLeaves(tree, at: ValueLocation(section: "v"), where: { _ in false }) { _, _ in .null } == nil)
        #expect(ValueWalk.rewriteLeaves(tree, at: ValueLocation(section: "v"), where: Self.isCandidate) { _, _ in nil } == nil)
        let out = try #require(ValueWalk.rewriteLeaves(tree, at: ValueLocation(section: "v"), where: Self.isCandidate) { _, _ in .int(1) })
        #expect(out == .map(["a": .map(["x": .int(1)]), "b": .map(["y": .string("plain")])]))
        let id = ValueWalkRewriteTests.identity
        #expect(id(out["b"]!.mapValue!) == id(tree["b"]!.mapValue!))
        #expect(tree["a"]!["x"] == .string("!fn"), "the input is never changed")
    }
}
