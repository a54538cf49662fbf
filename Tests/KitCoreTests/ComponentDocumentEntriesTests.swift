import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks

/// `ComponentDocument.entries` (what `describe stacks` writes without a dictionary) is the same
/// document as `sections`/`stacksEntry`, in key order, with every optional section present or not.
@Suite struct ComponentDocumentEntriesTests {
    static let manifest = """
        vars: {stage: dev}
        components:
          terraform:
            full:
              vars: {name: full, password: hunter2, nested: {b: 1, a: [x, {"k\\"q": v}]}}
              env: {TOKEN: t, PLAIN: p}
              dependencies: {components: [{component: minimal}]}
              secrets: {vars: {db: {store: ssm}}}
              settings: {team: a}
            minimal:
              vars: {name: minimal}
          helmfile:
            chart:
              vars: {release: r}
        """

    @Test(arguments: [("full", "terraform"), ("minimal", "terraform"), ("chart", "helmfile")])
    func entriesAreTheSectionsInKeyOrder(_ name: String, _ type: String) throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": Self.manifest])
        let c = try repo.catalog().find(component: name, stack: "deploy/dev", types: [type])
        for componentType in [true, false] {
            let entries = ComponentDocument.entries(c, componentType: componentType)
            let keys = entries.map(\.key)
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "not in key order: \(keys)")
            let expected = componentType ? ComponentDocument.sections(c) : ComponentDocument.stacksEntry(c)
            #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }) == expected)
            // The bytes describe stacks writes are the bytes of the map.
            for json in [true, false] {
                #expect(StacksDocumentWriter.fragment(entries: entries, json: json) == StacksDocumentWriter.fragment(.map(expected), json: json))
            }
        }
        if name == "full" {
            let keys = Set(ComponentDocument.entries(c, componentType: true).map(\.key))
            #expect(keys.isSuperset(of: ["dependencies", "secrets", "source", "provision", "component_type"]))
        }
        #expect(ComponentDocument.stacksEntry(c)["component_type"] == nil)
        #expect(ComponentDocument.sections(c)["component_type"] == .string(type))
    }

    @Test func emptyEntriesAreAnEmptyObject() {
        var out: [UInt8] = []
        JSONWriter.write(entries: [], into: &out, indent: 4, pretty: true)
        #expect(String(decoding: out, as: UTF8.self) == "{}")
    }
}
