import Testing
@testable import KitModel
@testable import KitStacks

/// The byte-level readers on the naming path (they run for every component of every stack): the
/// pattern's tokens and the stack-name check, against the rules they replaced.
@Suite struct StackNamingTextTests {
    @Test func patternTokensInOrder() {
        #expect(StackNaming.patternTokenList("{namespace}-{tenant}-{environment}-{stage}") == ["namespace", "tenant", "environment", "stage"])
        #expect(StackNaming.patternTokenList("{tenant}-{component}-{stage}") == ["tenant", "stage"])   // known, not a naming token: dropped
        #expect(StackNaming.patternTokenList("{stage}") == ["stage"])
        #expect(StackNaming.patternTokenList("") == [])
        #expect(StackNaming.patternTokenList("-") == [])
        #expect(StackNaming.patternTokenList("{}-{stage}-") == ["stage"])
        #expect(StackNaming.patternTokenList("x{stage}-{tenant}y-{tenant}") == ["tenant"])   // a part must be the token alone
        #expect(StackNaming.patternTokenList("{stäge}-{stage}") == ["stage"])
        #expect(StackNaming.tokens(in: "{stage}-{tenant}-{stage}") == ["stage", "tenant"])
    }

    @Test func nameFromPattern() throws {
        let vars: [String: Value] = ["tenant": .string("core"), "stage": .string("prod"), "environment": .int(1)]
        #expect(try StackNaming.fromPattern("{tenant}-{stage}", vars: vars, file: "a.yaml", component: "vpc") == "core-prod")
        #expect(throws: StackError.self) { try StackNaming.fromPattern("{tenant}-{environment}", vars: vars, file: "a.yaml", component: "vpc") }
        #expect(throws: StackError.self) { try StackNaming.fromPattern("{namespace}", vars: vars, file: "a.yaml", component: "vpc") }
    }

    @Test func nameProblems() {
        #expect(StackNaming.problem(with: "org/core-prod") == nil)
        #expect(StackNaming.problem(with: "a.b/...x/...") == nil)   // dots within a name are fine; only '.' and '..' segments leave
        #expect(StackNaming.problem(with: "")?.contains("empty") == true)
        #expect(StackNaming.problem(with: "/abs")?.contains("absolute") == true)
        #expect(StackNaming.problem(with: "a//b")?.contains("empty segment") == true)
        #expect(StackNaming.problem(with: "a/")?.contains("empty segment") == true)
        #expect(StackNaming.problem(with: "a/../b")?.contains("'..'") == true)
        #expect(StackNaming.problem(with: "..")?.contains("'..'") == true)
        #expect(StackNaming.problem(with: "a/.")?.contains("'.'") == true)
        #expect(StackNaming.problem(with: "a\u{7}b")?.contains("control") == true)
    }
}
