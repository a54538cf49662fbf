import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Deep merge (reference §4, edge cases 1–7).
@Suite struct MergeTests {
    @Test("1: null in a later layer overwrites the earlier value")
    func nullOverwrites() {
        let merged = DeepMerge.merge([["a": "existing", "keep": 1], ["a": nil]])
        #expect(merged == ["a": nil, "keep": 1])
    }

    @Test("1: null overwrites through imports in a stack")
    func nullOverwritesInStack() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/base.yaml": "vars: {role_arn: arn:aws:iam::1:role/x, region: us-east-1}\n",
            "stacks/deploy/dev.yaml": """
            import: [catalog/base]
            vars: {role_arn: null}
            components: {terraform: {vpc: {vars: {}}}}
            """,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["role_arn": nil, "region": "us-east-1"])
    }

    static let typeOverrides: [(Value, Value, Value)] = [
        (["accounts": ["a", "b"]], ["accounts": .emptyMap], ["accounts": .emptyMap]),
        (["ports": [80, 443]], ["ports": 8080], ["ports": 8080]),
        (["features": ["a"]], ["features": false], ["features": false]),
    ]

    @Test("2: any type replaces a list", arguments: typeOverrides)
    func typeOverride(_ dst: Value, _ src: Value, _ expected: Value) {
        #expect(Value.map(DeepMerge.merge([dst.mapValue!, src.mapValue!])) == expected)
    }

    @Test("§4: an empty nested map merges as a no-op; empty layers are skipped")
    func emptyMapIsNoOp() {
        #expect(DeepMerge.merge([["tags": ["a": 1]], ["tags": .emptyMap], [:]]) == ["tags": ["a": 1]])
    }

    @Test("§12.3: !unset removes a key (and list items) set by an earlier layer")
    func unsetRemovesKey() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/base.yaml": "vars: {a: 1, b: 2, tags: {x: 1, y: 2}}\n",
            "stacks/deploy/dev.yaml": """
            import: [catalog/base]
            vars:
              b: !unset
              tags:
                y: !unset
              list:
                - keep
                - !unset
            components: {terraform: {vpc: {vars: {}}}}
            """,
        ])
        #expect(try repo.component("vpc", "deploy/dev").vars == ["a": 1, "tags": ["x": 1], "list": ["keep"]])
    }

    @Test("3: replace (default) — the later list replaces the earlier")
    func listReplace() {
        #expect(DeepMerge.merge([["tags": ["x", "y"]], ["tags": ["z"]]]) == ["tags": ["z"]])
        #expect(DeepMerge.merge([["tags": ["x", "y"]], ["tags": ["z"]]], strategy: .replace) == ["tags": ["z"]])
    }

    @Test("append strategy concatenates lists")
    func listAppend() {
        #expect(DeepMerge.merge([["tags": ["x", "y"]], ["tags": ["z"]]], strategy: .append) == ["tags": ["x", "y", "z"]])
    }

    @Test("4: merge strategy keeps the earlier scalars")
    func mergeStrategyScalarsKeepDestination() {
        let merged = DeepMerge.merge([["l": ["base-1", "base-2"]], ["l": ["override-1"]]], strategy: .merge)
        #expect(merged == ["l": ["base-1", "base-2"]])
    }

    @Test("5: merge strategy deep-merges maps by index and appends extra elements")
    func mergeStrategyMapsAndExtras() {
        let maps = DeepMerge.merge([["l": [["id": 1, "name": "base"]]], ["l": [["id": 2, "extra": "new"]]]], strategy: .merge)
        #expect(maps == ["l": [["id": 2, "name": "base", "extra": "new"]]])
        let extras = DeepMerge.merge([["l": [1]], ["l": [10, 20, 30]]], strategy: .merge)
        #expect(extras == ["l": [1, 20, 30]])
    }

    @Test("5: list_merge_strategy from kit.yaml governs import merges")
    func strategyFromConfig() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/base.yaml": "vars: {l: [{id: 1, name: base}], s: [base-1, base-2]}\n",
            "stacks/deploy/dev.yaml": """
            import: [catalog/base]
            vars: {l: [{id: 2, extra: new}], s: [override-1]}
            components: {terraform: {vpc: {vars: {}}}}
            """,
        ], kitYAML: FixtureRepo.kitYAML(extra: "settings: {list_merge_strategy: merge}"))
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["l"] == [["id": 2, "name": "base", "extra": "new"]])
        #expect(c.vars["s"] == ["base-1", "base-2"])
    }

    @Test("6: !append chains across imports regardless of strategy")
    func appendChain() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/a.yaml": "vars: {items: [a], thing: scalar}\n",
            "stacks/catalog/b.yaml": "vars: {items: !append [b, c]}\n",
            "stacks/deploy/dev.yaml": """
            import: [catalog/a, catalog/b]
            vars:
              items: !append [d]
              thing: !append [x, y]
              lone: !append [a, b]
            components: {terraform: {vpc: {vars: {}}}}
            """,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["items"] == ["a", "b", "c", "d"])
        #expect(c.vars["lone"] == ["a", "b"])
        #expect(c.vars["thing"] == ["x", "y"])
    }

    @Test("7: integer keys are stringified, then deep-merged")
    func integerKeysMerge() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/c.yaml": "vars: {config: {1: {from_catalog: true, shared_key: catalog_value}}}\n",
            "stacks/deploy/dev.yaml": """
            import: [catalog/c]
            vars: {config: {1: {from_stack: true, shared_key: stack_value}}}
            components: {terraform: {vpc: {vars: {}}}}
            """,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars[path: "config.1"] == ["from_catalog": true, "from_stack": true, "shared_key": "stack_value"])
    }

    @Test("7: keys 1 and 1.0 with scalar values collide")
    func integerKeyCollision() {
        let error = caught { _ = try YAMLParser.parse("config:\n  1: a\n  1.0: b\n") }
        let failure = error as? YAMLParser.Failure
        #expect(failure?.message == "key '1' appears twice in one map with different values")
        #expect(failure?.mark.line == 3)
    }

    /// `merge(into:)` builds the result from the larger side; it must equal `mergeMap` for every
    /// strategy over random nested values — maps, lists, `!append` lists, nulls, scalars, and a key
    /// whose type changes between the two sides.
    @Test func mergeIntoEqualsMergeMap() {
        var rng = SystemRandomNumberGenerator()
        func value(_ depth: Int) -> Value {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 7), using: &rng) {
            case 0: return .null
            case 1: return .int(Int.random(in: 0..<3, using: &rng))
            case 2: return .string(["a", "b", "!unset"].randomElement(using: &rng)!)
            case 3: return .bool(Bool.random(using: &rng))
            case 4: return .list((0..<Int.random(in: 0..<3, using: &rng)).map { _ in value(depth + 1) })
            case 5: return .tagged("!append", .list((0..<Int.random(in: 0..<3, using: &rng)).map { _ in value(depth + 1) }))
            default: return .map(map(depth + 1))
            }
        }
        func map(_ depth: Int) -> [String: Value] {
            var m: [String: Value] = [:]
            for _ in 0..<Int.random(in: 0..<(depth == 0 ? 12 : 5), using: &rng) {
                m[["k1", "k2", "k3", "k4", "k5", "k6"].randomElement(using: &rng)!] = value(depth)
            }
            return m
        }
        for _ in 0..<3000 {
            let a = map(0), b = map(0)
            for strategy in ListMergeStrategy.allCases {
                var expected = a
                DeepMerge.mergeMap(&expected, b, strategy)
                var actual = a
                DeepMerge.merge(into: &actual, b, strategy)
                #expect(actual == expected, "\(strategy): \(a) <- \(b)")
            }
        }
    }
}
