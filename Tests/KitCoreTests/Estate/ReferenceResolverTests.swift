import Foundation
import KitPluginSDK
import Synchronization
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

@Suite struct ReferenceResolverTests {
    static let state = #"{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"x","outputs":{"endpoint":{"value":"db:5432","type":"string"},"subnets":{"value":{"data":"10.0.2.0/24"},"type":["object",{"data":"string"}]}},"resources":[]}"#

    @Test func localStateIsReadOncePerTargetAndValuesReplaced() throws {
        let repo = try FixtureRepo([:])
        let config = try repo.config()
        let db = estateComponent("database")
        let path = ReferenceResolver.localStatePath(db, config: config)
        try AtomicFile.write(Self.state, to: path)
        let outputCalls = Mutex(0)
        let resolver = ReferenceResolver(config: config, locate: { c, _ in estateComponent(c) },
                                         readOutputJSON: { _ in outputCalls.withLock { $0 += 1 }; return [] })
        let api = estateComponent("api", vars: [
            "db": .string("!terraform.state database endpoint"),
            "nested": .map(["subnet": .string("!terraform.state database .subnets.data")]),
            "list": .list([.string("!terraform.state database '.missing // \"fallback\"'")]),
            "plain": .string("!terraform.statement is not a reference"),
        ])
        let resolved = try resolver.resolve(api)
        #expect(resolved.vars["db"] == .string("db:5432"))
        #expect(resolved.vars["nested"] == .map(["subnet": .string("10.0.2.0/24")]))
        #expect(resolved.vars["list"] == .list([.string("fallback")]))
        #expect(resolved.vars["plain"] == .string("!terraform.statement is not a reference"))
        _ = try resolver.resolve(api)
        #expect(resolver.reads.state == 1, "three references to one component, resolved twice: one read")
        #expect(outputCalls.withLock { $0 } == 0)
    }

    @Test func missingStateIsNoStateNamingTheComponent() throws {
        let repo = try FixtureRepo([:])
        let resolver = ReferenceResolver(config: try repo.config(), locate: { c, _ in estateComponent(c) }, readOutputJSON: { _ in [] })
        let error = caught { _ = try resolver.resolve(estateComponent("api", vars: ["db": .string("!terraform.state database endpoint")])) }
        let e = try #require(error as? ReferenceError)
        #expect(e.waitingOn == id("database"))
        #expect("\(e)".contains("'!terraform.state database endpoint' in vars.db of 'api' in stack 'dev': component 'database' in stack 'dev' has no state yet"), "\(e)")
    }

    @Test func unknownOutputListsTheOnesThatExist() throws {
        let repo = try FixtureRepo([:])
        let config = try repo.config()
        try AtomicFile.write(Self.state, to: ReferenceResolver.localStatePath(estateComponent("database"), config: config))
        let resolver = ReferenceResolver(config: config, locate: { c, _ in estateComponent(c) }, readOutputJSON: { _ in [] })
        let error = caught { _ = try resolver.resolve(estateComponent("api", vars: ["db": .string("!terraform.state database endpont")])) }
        #expect("\(error!)".contains("endpoint, subnets"), "\(error!)")
    }

    @Test func outputReferencesAskTerraform() throws {
        let repo = try FixtureRepo([:])
        let resolver = ReferenceResolver(config: try repo.config(), locate: { c, _ in estateComponent(c) }, readOutputJSON: { c in
            Array(#"{"url":{"sensitive":false,"type":"string","value":"https://\#(c.name)"}}"#.utf8)
        })
        let resolved = try resolver.resolve(estateComponent("gw", vars: ["u": .string("!terraform.output api url")]))
        #expect(resolved.vars["u"] == .string("https://api"))
        #expect(resolver.reads.output == 1)
    }
}

/// `!terraform.state` on a non-local backend: the injected `readState` (a plugin's `read_state`) first.
@Suite struct ReferenceResolverPluginStateTests {
    static func s3(_ name: String, vars: [String: Value] = [:]) -> ResolvedComponent {
        var c = estateComponent(name, vars: vars)
        c.backendType = "s3"
        return c
    }

    @Test func aPluginReadCountsAsAStateReadAndTerraformIsNotAsked() throws {
        let repo = try FixtureRepo([:])
        let outputCalls = Mutex(0)
        let resolver = ReferenceResolver(config: try repo.config(), locate: { c, _ in Self.s3(c) },
                                         readOutputJSON: { _ in outputCalls.withLock { $0 += 1 }; return [] },
                                         readState: { _ in .state(try JSONValue.parse(ReferenceResolverTests.state)) })
        let resolved = try resolver.resolve(Self.s3("api", vars: ["db": .string("!terraform.state database endpoint"),
                                                                 "again": .string("!terraform.state database .subnets.data")]))
        #expect(resolved.vars["db"] == .string("db:5432"))
        #expect(resolved.vars["again"] == .string("10.0.2.0/24"))
        #expect(resolver.reads.state == 1 && resolver.reads.output == 0)
        #expect(outputCalls.withLock { $0 } == 0)
    }

    @Test func aMissingStateObjectIsNoState() throws {
        let repo = try FixtureRepo([:])
        let resolver = ReferenceResolver(config: try repo.config(), locate: { c, _ in Self.s3(c) }, readOutputJSON: { _ in [] },
                                         readState: { _ in .missing(detail: "no state object 's3://b/k'") })
        let error = caught { _ = try resolver.resolve(Self.s3("api", vars: ["db": .string("!terraform.state database endpoint")])) }
        let e = try #require(error as? ReferenceError)
        #expect(e.waitingOn == id("database"))
        #expect("\(e)".contains("has no state yet (no state object 's3://b/k')"), "\(e)")
    }

    @Test func noPluginAnswerFallsBackToTerraformOutput() throws {
        let repo = try FixtureRepo([:])
        let resolver = ReferenceResolver(config: try repo.config(), locate: { c, _ in Self.s3(c) },
                                         readOutputJSON: { _ in Array(#"{"endpoint":{"sensitive":false,"type":"string","value":"tf:5432"}}"#.utf8) },
                                         readState: { _ in nil })
        let resolved = try resolver.resolve(Self.s3("api", vars: ["db": .string("!terraform.state database endpoint")]))
        #expect(resolved.vars["db"] == .string("tf:5432"))
        #expect(resolver.reads.state == 0 && resolver.reads.output == 1)
    }
}
