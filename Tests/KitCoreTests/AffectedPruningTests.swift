import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `describe affected` resolves only the components a manifest change can reach.
@Suite("affected pruning")
struct AffectedPruningTests {
    @Test("a changed component reaches what inherits from it (metadata.inherits and component:), transitively")
    func inheritors() {
        let raw: [String: Value] = [
            "vpc": .map([:]),
            "vpc-replica": .map(["component": .string("vpc")]),
            "vpc-dr": .map(["metadata": .map(["inherits": .list([.string("vpc-replica")])])]),
            "app": .map(["vars": .map(["x": .int(1)])]),
        ]
        #expect(RefSnapshot.inheritors(of: ["vpc"], in: raw) == ["vpc", "vpc-replica", "vpc-dr"])
        #expect(RefSnapshot.inheritors(of: ["app"], in: raw) == ["app"])
    }

    @Test("changed paths: a folder's first changed file by binary search")
    func changedPaths() {
        let c = ChangedPaths(["a/b/c.tf", "a/bb/x.tf", "z.json"])
        #expect(c.first(under: "a/b") == "a/b/c.tf")
        #expect(c.first(under: "a/bb") == "a/bb/x.tf")
        #expect(c.first(under: "a/c") == nil)
        #expect(c.first(under: "z.json") == "z.json")
    }
}
