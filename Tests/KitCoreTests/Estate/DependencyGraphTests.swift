import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

@Suite struct DependencyGraphTests {
    /// network → database, cache → api (a diamond), plus secrets read by api through a reference.
    static func diamond() throws -> DependencyGraph {
        try DependencyGraph.build([
            estateComponent("network"),
            estateComponent("database", vars: ["subnet": .string("!terraform.state network .subnets.data")]),
            estateComponent("cache", dependencies: dependsOn("network")),
            estateComponent("api", vars: ["db": .string("!terraform.output database endpoint"),
                                          "arn": .string("!terraform.state secrets '.arns[\"bot\"]'")],
                            dependencies: dependsOn("cache")),
            estateComponent("secrets"),
        ])
    }

    @Test func diamondWavesAndReverse() throws {
        let g = try Self.diamond()
        let all = Set(g.instances.keys)
        #expect(g.waves(of: all, reverse: false) == [[id("network"), id("secrets")], [id("cache"), id("database")], [id("api")]])
        #expect(g.waves(of: all, reverse: true) == [[id("api")], [id("cache"), id("database"), id("secrets")], [id("network")]])
        #expect(g.dependencies[id("api")] == [id("cache"), id("database"), id("secrets")])
        #expect(g.reasons[.init(from: id("database"), to: id("network"))]?.map(\.via) == ["!terraform.state network .subnets.data"])
        #expect(g.allDependents(of: id("network")) == [id("api"), id("cache"), id("database")])
    }

    @Test func prerequisitesLookThroughUnselectedNodes() throws {
        let g = try Self.diamond()
        let pre = g.prerequisites(within: [id("network"), id("api")], reverse: false)
        #expect(pre[id("api")] == [id("network")], "api must still wait for network when cache/database are not selected")
        #expect(pre[id("network")] == [])
    }

    @Test func cycleIsAnErrorWithTheChain() throws {
        let error = caught {
            _ = try DependencyGraph.build([
                estateComponent("a", dependencies: dependsOn("b")),
                estateComponent("b", dependencies: dependsOn("c")),
                estateComponent("c", vars: ["x": .string("!terraform.state a .x")]),
            ])
        }
        #expect(error as? EstateError == .cycle([id("a"), id("b"), id("c"), id("a")]))
        #expect("\(error!)" == "dependency cycle: 'a' in 'dev' → 'b' in 'dev' → 'c' in 'dev' → 'a' in 'dev' — remove one of these dependencies")
    }

    @Test func unknownComponentAndStackSuggest() throws {
        let unknown = caught { _ = try DependencyGraph.build([estateComponent("network"), estateComponent("app", dependencies: dependsOn("netwrk"))]) }
        #expect("\(unknown!)" == "component 'app' in stack 'dev' depends on 'netwrk' (dependencies.components[0]), which is not a component of stack 'dev' — did you mean 'network'?")
        let stack = caught {
            _ = try DependencyGraph.build([estateComponent("network"),
                                           estateComponent("app", vars: ["n": .string("!terraform.state network dve .id")])])
        }
        #expect("\(stack!)".hasPrefix("component 'app' in stack 'dev' depends on stack 'dve' (!terraform.state network dve .id), which does not exist — did you mean 'dev'?"))
    }

    @Test func abstractDependencyIsRefused() throws {
        let error = caught {
            _ = try DependencyGraph.build([estateComponent("base", metadata: ["type": .string("abstract")]),
                                           estateComponent("app", dependencies: dependsOn("base"))])
        }
        #expect("\(error!)".contains("which is abstract and is never deployed"))
    }

    @Test func crossStackAndLegacyDependsOn() throws {
        let g = try DependencyGraph.build([
            estateComponent("vpc", stack: "acme-prod", vars: ["stage": .string("prod")]),
            estateComponent("dns", stack: "shared"),
            estateComponent("app", stack: "acme-dev", vars: ["namespace": .string("acme"), "stage": .string("dev")],
                            settings: ["depends_on": .map([
                                "1": .map(["component": .string("vpc"), "stage": .string("prod")]),
                                "2": .map(["file": .string("configs/app.json")]),
                            ])],
                            dependencies: ["components": .list([.map(["component": .string("dns"), "stack": .string("shared")])])]),
        ], stackName: { vars in "\(vars["namespace"]?.stringValue ?? "")-\(vars["stage"]?.stringValue ?? "")" })
        #expect(g.dependencies[id("app", "acme-dev")] == [id("vpc", "acme-prod"), id("dns", "shared")].sorted())
        #expect(g.reasons[.init(from: id("app", "acme-dev"), to: id("vpc", "acme-prod"))]?.map(\.via) == ["settings.depends_on.1"])
    }

    @Test func malformedReferenceIsLocated() throws {
        let error = caught { _ = try DependencyGraph.build([estateComponent("a"), estateComponent("b", vars: ["x": .string("!terraform.state a")])]) }
        #expect("\(error!)".hasPrefix("component 'b' in stack 'dev': vars.x:"), "\(error!)")
    }
}
