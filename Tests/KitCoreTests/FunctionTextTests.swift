import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The proof that lets the function phase (and the merge-marker pass) skip a component: no source of
/// its values can spell a YAML function (`FunctionText`). A wrong "cannot" would hand a function's
/// text to terraform, so each way a function can arrive is tried.
@Suite struct FunctionTextTests {
    @Test func textThatCanSpellAFunction() {
        #expect(!FunctionText.mayHold(Array("vars:\n  region: us-east-1\n  tags: {a: b}\n".utf8)))
        #expect(FunctionText.mayHold(Array("vars:\n  region: !env REGION\n".utf8)))
        #expect(FunctionText.mayHold(Array("vars:\n  region: \"\\x21env REGION\"\n".utf8)))  // an escape
        #expect(FunctionText.mayHold(Array("vars:\n  region: '{{ printf \"%c\" 33 }}env REGION'\n".utf8)))  // a template
        #expect(!FunctionText.mayHold(Array("vars:\n  x: '{ {a} }'\n".utf8)))
        #expect(FunctionText.mayHold(.map(["k!": .string("v")])))
        #expect(FunctionText.mayHold(.tagged("!append", .list([]))))
        #expect(!FunctionText.mayHold(.map(["k": .list([.string("v"), .int(1)])])))
    }

    static func evaluator(_ env: [String: String]) -> YAMLFunctionEvaluator {
        YAMLFunctionEvaluator(environment: env, workingDirectory: "/", runCommand: { _, _, _ in (0, []) })
    }

    static func catalog(_ repo: FixtureRepo, _ env: [String: String]) throws -> StackCatalog {
        try StackCatalog(config: repo.config(environment: env), templates: GoTemplateRendering(environment: env),
                         functions: evaluator(env))
    }

    @Test func aStackWithoutFunctionTextIsProvedFreeAndLeftAsItIs() throws {
        let repo = try FixtureRepo(["stacks/catalog/base.yaml": "components:\n  terraform:\n    base: {vars: {a: 1}}\n",
                                    "stacks/deploy/dev.yaml": "import: [catalog/base]\ncomponents:\n  terraform:\n    app: {metadata: {inherits: [base]}, vars: {b: two}}\n"])
        let catalog = try Self.catalog(repo, [:])
        let c = try catalog.find(component: "app", stack: "deploy/dev")
        #expect(c.cannotHoldFunctionText)
        #expect(try catalog.evaluate(c).vars == ["a": 1, "b": "two"])
    }

    @Test("a function in any layer, or in the configuration, is evaluated", arguments: [
        // In an imported layer.
        ["stacks/catalog/base.yaml": "components:\n  terraform:\n    base: {vars: {a: !env REGION}}\n"],
        // Written as an escape in the stack's own file.
        ["stacks/deploy/dev.yaml": "import: [catalog/base]\ncomponents:\n  terraform:\n    app: {metadata: {inherits: [base]}, vars: {a: \"\\x21env REGION\"}}\n"],
    ])
    func functionsAnywhereAreEvaluated(_ override: [String: String]) throws {
        var files = ["stacks/catalog/base.yaml": "components:\n  terraform:\n    base: {vars: {a: 1}}\n",
                     "stacks/deploy/dev.yaml": "import: [catalog/base]\ncomponents:\n  terraform:\n    app: {metadata: {inherits: [base]}}\n"]
        files.merge(override) { $1 }
        let repo = try FixtureRepo(files)
        let catalog = try Self.catalog(repo, ["REGION": "eu-west-1"])
        let c = try catalog.find(component: "app", stack: "deploy/dev")
        #expect(!c.cannotHoldFunctionText)
        #expect(try catalog.evaluate(c).vars["a"] == "eu-west-1")
    }

    @Test func aFunctionInTheConfigurationEnvIsEvaluated() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": "components:\n  terraform:\n    app: {vars: {a: 1}}\n"],
                                   kitYAML: FixtureRepo.kitYAML(extra: "env:\n  FROM_CONFIG: !env REGION\n"))
        let catalog = try Self.catalog(repo, ["REGION": "eu-west-1"])
        let c = try catalog.find(component: "app", stack: "deploy/dev")
        #expect(!c.cannotHoldFunctionText)
        #expect(try catalog.evaluate(c).env["FROM_CONFIG"] == "eu-west-1")
    }

    @Test func mergeMarkersStillApplyWhereTextCanSpellThem() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": """
            components:
              terraform:
                base: {vars: {list: [a], gone: x}}
                app: {metadata: {inherits: [base]}, vars: {list: !append [b], gone: "!unset"}}
            """])
        let c = try repo.component("app", "deploy/dev")
        #expect(c.vars == ["list": ["a", "b"]])
    }
}
