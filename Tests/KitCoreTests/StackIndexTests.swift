import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The stack index names files without merging them only when that name is certain, and the
/// ordered survey (`describe stacks`) delivers what the unordered one does, in the same order.
@Suite struct StackIndexTests {
    static let kitYAML = """
        base_path: .
        stacks:
          base_path: stacks
          included_paths: ["deploy/**/*"]
          excluded_paths: ["**/_*.yaml"]
          name_pattern: "{tenant}-{stage}"
        components:
          terraform:
            base_path: components/terraform
        """

    /// Files named several ways: tokens from imports, `terraform.vars` over `vars`, `name:`, tokens per
    /// component, `vars: null`, helmfile components with their own type-level tokens, a broken file.
    static func repo() throws -> FixtureRepo {
        try FixtureRepo([
            "kit.yaml": kitYAML,
            "stacks/deploy/_tenant.yaml": "vars: {tenant: acme}\n",
            "stacks/deploy/_catalog.yaml": "components: {terraform: {vpc: {vars: {cidr: 10.0.0.0/16}}, base: {metadata: {type: abstract}, vars: {x: 1}}}}\n",
            "stacks/deploy/dev.yaml": "import: [deploy/_tenant, deploy/_catalog]\nvars: {stage: dev}\ncomponents: {terraform: {app: {metadata: {inherits: [base]}}}}\n",
            "stacks/deploy/prod.yaml": "import: [deploy/_tenant, deploy/_catalog]\nvars: {stage: prod}\nterraform: {vars: {stage: live}}\n",
            "stacks/deploy/named.yaml": "import: [deploy/_catalog]\nname: legacy\n",
            "stacks/deploy/per-component.yaml": "import: [deploy/_tenant]\nvars: {stage: qa}\ncomponents: {terraform: {a: {vars: {stage: qa1}}, b: {}}}\n",
            "stacks/deploy/cleared.yaml": "import: [deploy/_tenant]\nvars: null\ncomponents: {terraform: {a: {vars: {tenant: t, stage: s}}}}\n",
            "stacks/deploy/mixed.yaml": "import: [deploy/_tenant]\nvars: {stage: dev}\nhelmfile: {vars: {stage: hf}}\ncomponents: {helmfile: {chart: {}}, terraform: {net: {}}}\n",
            "stacks/deploy/broken.yaml": "import: [deploy/missing]\ncomponents: {terraform: {x: {}}}\n",
            "stacks/deploy/no-tokens.yaml": "components: {terraform: {lonely: {}}}\n",
            // A component's own `namespace` cannot change a `{tenant}-{stage}` name; its own `stage` can.
            "stacks/deploy/unused-token.yaml": "import: [deploy/_tenant]\nvars: {stage: ops}\ncomponents: {terraform: {a: {vars: {namespace: n1}}, b: {vars: {namespace: n2}}}}\n",
        ], kitYAML: nil)
    }

    static func catalog() throws -> StackCatalog { try repo().catalog() }

    @Test("every name the index gives is the name resolution gives; unsure files are left unnamed")
    func namesAgreeWithResolution() throws {
        let catalog = try Self.catalog()
        let index = catalog.stackIndex
        #expect(index.entry("deploy/dev.yaml")?.names == ["terraform": "acme-dev"])
        #expect(index.entry("deploy/prod.yaml")?.names == ["terraform": "acme-live"])
        #expect(index.entry("deploy/named.yaml")?.names == ["terraform": "legacy"])
        #expect(index.entry("deploy/mixed.yaml")?.names == ["terraform": "acme-dev", "helmfile": "acme-hf"])
        #expect(index.entry("deploy/per-component.yaml")?.names == nil)
        #expect(index.entry("deploy/per-component.yaml")?.components == ["terraform": ["a", "b"]])
        #expect(index.entry("deploy/cleared.yaml")?.names == nil)
        #expect(index.entry("deploy/broken.yaml")?.layers == nil)
        #expect(index.entry("deploy/no-tokens.yaml")?.names == nil)
        #expect(index.entry("deploy/unused-token.yaml")?.names == ["terraform": "acme-ops"])

        let (items, _) = catalog.surveyReporting(types: StackCatalog.allComponentTypes) { $0 }
        for item in items {
            guard let name = index.entry(item.stackFile)?.name(of: item.componentType) else { continue }
            #expect(name == item.stackName, "\(item.stackFile) \(item.componentType) \(item.component)")
        }
    }

    @Test("a closure's facts folded from its imports' folds equal its layers folded one by one, and name the stacks resolution names")
    func foldedFactsAreTheLayersFolded() throws {
        let repo = try FixtureRepo([
            "kit.yaml": Self.kitYAML,
            "stacks/deploy/_l2.yaml": "vars: {tenant: t2, stage: s2}\nterraform: {vars: {stage: tv2}}\ncomponents: {terraform: {c2: {}}, helmfile: {h: {}}}\n",
            "stacks/deploy/_l1.yaml": "import: [deploy/_l2]\nvars: {tenant: t1}\ncomponents: {terraform: {c1: {vars: {namespace: n}}}}\n",
            "stacks/deploy/_named.yaml": "import: [deploy/_l2]\nname: early\n",
            "stacks/deploy/_cleared.yaml": "name: null\n",
            // _l2 twice (directly and through _l1), a name set then cleared, type tokens over global ones.
            "stacks/deploy/top.yaml": "import: [deploy/_l1, deploy/_named, deploy/_cleared, deploy/_l2]\nvars: {stage: s3}\n",
            "stacks/deploy/named.yaml": "import: [deploy/_cleared, deploy/_named]\n",
            "stacks/deploy/helm.yaml": "import: [deploy/_l1]\nhelmfile: {vars: {tenant: ht}}\n",
        ], kitYAML: nil)
        let catalog = try repo.catalog()
        let index = catalog.stackIndex
        for file in catalog.index.files {
            let layers = try #require(catalog.imports.closure(file), "\(file)")
            var byLayer = LayerFacts()
            for layer in layers { byLayer.fold(try #require(catalog.imports.facts(layer))) }
            #expect(catalog.imports.closureFacts(file) == byLayer, "\(file)")
        }
        #expect(index.entry("deploy/top.yaml")?.names == ["terraform": "t2-tv2", "helmfile": "t2-s3"])
        #expect(index.entry("deploy/named.yaml")?.names == ["terraform": "early", "helmfile": "early"])
        #expect(index.entry("deploy/helm.yaml")?.names == ["terraform": "t1-tv2", "helmfile": "ht-s2"])
        let (items, failures) = catalog.surveyReporting(types: StackCatalog.allComponentTypes) { $0 }
        #expect(failures.isEmpty)
        for item in items {
            #expect(index.entry(item.stackFile)?.name(of: item.componentType) == item.stackName, "\(item.stackFile) \(item.component)")
        }
    }

    @Test("base chains walked in one stack are reused in another only where every definition they read is equal")
    func sharedBaseChains() throws {
        let catalogYAML = """
            components:
              terraform:
                common: {metadata: {type: abstract}, vars: {tags: {team: core}, x: 1}}
                b: {metadata: {type: abstract, inherits: [common]}, vars: {tags: {tier: b}, list: [1, 2]}}
                m: {metadata: {type: abstract}, vars: {y: 2}, settings: {s: 1}}
                c: {metadata: {inherits: [b, m]}, vars: {own: 3}}
                d: {metadata: {inherits: [b]}, component: c}
            """
        let files = [
            "kit.yaml": Self.kitYAML,
            "stacks/deploy/_catalog.yaml": catalogYAML,
            "stacks/deploy/one.yaml": "import: [deploy/_catalog]\nvars: {tenant: t, stage: one}\n",
            // `common` redefined: every walk through it must see this stack's definition.
            "stacks/deploy/two.yaml": "import: [deploy/_catalog]\nvars: {tenant: t, stage: two}\ncomponents: {terraform: {common: {vars: {x: 9}}}}\n",
            "stacks/deploy/three.yaml": "import: [deploy/_catalog]\nvars: {tenant: t, stage: three}\n",
            // `m` redefined only: `b`'s walk is shared, `c`'s own walk of `m` is not.
            "stacks/deploy/four.yaml": "import: [deploy/_catalog]\nvars: {tenant: t, stage: four}\ncomponents: {terraform: {m: {vars: {y: 7}}}}\n",
        ]
        let shared = try FixtureRepo(files, kitYAML: nil).catalog()
        var reusedBefore = shared.sharedBaseChains.reused.withLock { $0 }
        #expect(reusedBefore == 0)
        for stack in ["t-one", "t-two", "t-three", "t-four"] {
            for component in ["c", "d"] {
                let viaShared = try shared.find(component: component, stack: stack)
                // A catalog of its own for each lookup: nothing shared with the other stacks.
                let alone = try FixtureRepo(files, kitYAML: nil).catalog().find(component: component, stack: stack)
                #expect(ComponentDocument.stacksEntry(viaShared) == ComponentDocument.stacksEntry(alone), "\(component) in \(stack)")
            }
        }
        reusedBefore = shared.sharedBaseChains.reused.withLock { $0 }
        #expect(reusedBefore > 0, "no walk was reused across stacks")
        #expect(try shared.find(component: "c", stack: "t-two").vars["x"] == .int(9))
        #expect(try shared.find(component: "c", stack: "t-three").vars["x"] == .int(1))
        #expect(try shared.find(component: "c", stack: "t-four").vars["y"] == .int(7))
        #expect(try shared.find(component: "c", stack: "t-four").vars["tags"] == .map(["team": "core", "tier": "b"]))
    }

    @Test("list placements from the index equal the ones resolution gives")
    func placementsAgree() throws {
        let catalog = try Self.catalog()
        let fromIndex = catalog.placementsReporting(types: StackCatalog.allComponentTypes)
        let resolved = catalog.eachComponent(only: nil, types: StackCatalog.allComponentTypes) { r, name, raw in
            StackCatalog.Placement(stackName: (try? r.stackName(name, raw: raw)) ?? r.stackFileID, component: name, stackFileID: r.stackFileID)
        }
        #expect(fromIndex.placements == resolved.0)
        #expect(fromIndex.failures.map(\.description) == resolved.1.map(\.description))
    }

    @Test("the ordered survey emits the unordered survey's items in its order, with the same failures", arguments: [1, 2, 16])
    func orderedSurvey(window: Int) throws {
        let catalog = try Self.catalog()
        let (items, failures) = catalog.surveyReporting(evaluatingFunctions: true, types: StackCatalog.allComponentTypes) { $0.vars }
        var emitted: [StackCatalog.SurveyItem<[String: Value]>] = []
        let orderedFailures = catalog.surveyInOrder(evaluatingFunctions: true, types: StackCatalog.allComponentTypes, window: window,
                                                    transform: { $0.vars }) { emitted.append($0) }
        #expect(emitted.map { "\($0.stackName) \($0.componentType) \($0.component) \($0.stackFile)" }
            == items.map { "\($0.stackName) \($0.componentType) \($0.component) \($0.stackFile)" })
        #expect(emitted.map(\.value) == items.map(\.value))
        #expect(orderedFailures.map(\.description) == failures.map(\.description))
        #expect(!failures.isEmpty)
    }

    @Test("the ordered pipeline consumes every result once, in order, whatever the window")
    func pipeline() {
        for window in [1, 3, 64] {
            var seen: [Int] = []
            OrderedPipeline.run(count: 200, window: window, produce: { $0 * 2 }) { i, r in
                #expect(r == i * 2)
                seen.append(i)
            }
            #expect(seen == Array(0..<200))
        }
    }

    @Test("a stacks document written one component at a time equals the one written from a sorted list")
    func streamedDocument() {
        let items: [(stack: String, type: String, component: String, fragment: [UInt8])] = [
            ("a", "helmfile", "c", Array(" {}".utf8)), ("a", "terraform", "x", Array(" {}".utf8)),
            ("a", "terraform", "x", Array(" {\"dup\": 1}".utf8)), ("b", "terraform", "y", Array(" {}".utf8)),
        ]
        for json in [true, false] {
            var whole: [UInt8] = []
            StacksDocumentWriter.write(items, json: json) { whole += $0 }
            var streamed: [UInt8] = []
            var stream = StacksDocumentWriter.Stream(json: json)
            for i in items { stream.add(stack: i.stack, type: i.type, component: i.component, fragment: i.fragment) { streamed += $0 } }
            stream.finish { streamed += $0 }
            #expect(streamed == whole)
            #expect(!String(decoding: streamed, as: UTF8.self).contains("dup"))
        }
        var empty: [UInt8] = []
        var stream = StacksDocumentWriter.Stream(json: true)
        stream.finish { empty += $0 }
        #expect(String(decoding: empty, as: UTF8.self) == "{}\n")
    }
}
