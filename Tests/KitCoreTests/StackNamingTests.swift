import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Stack names and `-s` resolution (reference §6, edge cases 25–28 and 46).
@Suite struct StackNamingTests {
    static let vpc = "components: {terraform: {vpc: {vars: {}}}}\n"

    /// Top-level manifests directly in `stacks/`, everything else excluded.
    static func flat(_ files: [String: String], extra: String = "") throws -> FixtureRepo {
        try FixtureRepo(files, kitYAML: FixtureRepo.kitYAML(included: ["*"], excluded: [], extra: extra))
    }

    @Test("25: name: in a manifest replaces the file id; the file id is then refused with a suggestion")
    func manifestName() throws {
        let repo = try Self.flat([
            "stacks/legacy-prod.yaml": "name: my-legacy-prod-stack\n" + Self.vpc,
            "stacks/no-name-prod.yaml": Self.vpc,
        ])
        let catalog = try repo.catalog()
        #expect(catalog.stackNames().keys.sorted() == ["my-legacy-prod-stack", "no-name-prod"])
        #expect(try catalog.find(component: "vpc", stack: "my-legacy-prod-stack").stackFile == "legacy-prod.yaml")
        #expect(try catalog.find(component: "vpc", stack: "no-name-prod").stackFile == "no-name-prod.yaml")
        let error = caught { _ = try catalog.find(component: "vpc", stack: "legacy-prod") }
        #expect(error as? StackError == .unknownStack(stack: "legacy-prod", suggestion: "my-legacy-prod-stack", component: nil))
        #expect("\(error!)" == "stack 'legacy-prod' not found — did you mean 'my-legacy-prod-stack'?")
    }

    @Test("26: dev.yaml (no name) and prod.yaml (name: production) list as dev and production")
    func stackNamesExample() throws {
        let repo = try Self.flat([
            "stacks/dev.yaml": Self.vpc,
            "stacks/prod.yaml": "name: production\n" + Self.vpc,
        ])
        let catalog = try repo.catalog()
        #expect(catalog.survey().components.map(\.stackName) == ["dev", "production"])
        #expect(try catalog.find(component: "vpc", stack: "production").stackFile == "prod.yaml")
        let error = caught { _ = try catalog.find(component: "vpc", stack: "prod") }
        #expect(error as? StackError == .unknownStack(stack: "prod", suggestion: "production", component: nil))
    }

    @Test("27: with name_template, -s may also be the file path (directory mode)")
    func directoryMode() throws {
        let named = try FixtureRepo([
            "kit.yaml": """
            stacks:
              base_path: stacks
              included_paths: ["deploy/**/*"]
              name_template: "{{.vars.stage}}"
            """,
            "stacks/deploy/nonprod.yaml": "vars: {stage: nonprod}\ncomponents: {terraform: {component-1: {vars: {from: nonprod-file}}}}\n",
            "stacks/deploy/prod.yaml": "vars: {stage: prod}\ncomponents: {terraform: {component-1: {vars: {from: prod-file}}}}\n",
        ])
        let catalog = try named.catalog()
        let byPath = try catalog.find(component: "component-1", stack: "deploy/nonprod")
        #expect(byPath.vars == ["stage": "nonprod", "from": "nonprod-file"])
        #expect(byPath.stackName == "nonprod")
        #expect(ComponentDocument.sections(byPath, stackArgument: "deploy/nonprod")["atmos_stack"] == "deploy/nonprod")
        let byName = try catalog.find(component: "component-1", stack: "nonprod")
        #expect(byName.stackFile == "deploy/nonprod.yaml")
        #expect(byName.workspace == "nonprod")
    }

    @Test("27/§6.3: directory mode accepts every manifest extension and a path suffix", arguments: [
        ("deploy/nonprod.yaml", "deploy/nonprod"), ("deploy/nonprod.yml", "deploy/nonprod"),
        ("deploy/nonprod.yaml.tmpl", "deploy/nonprod"), ("deploy/nonprod.yml.tmpl", "deploy/nonprod"),
        ("orgs/acme/deploy/nonprod.yaml", "deploy/nonprod"),
    ])
    func directoryModeExtensions(_ file: String, _ stackArgument: String) throws {
        let repo = try FixtureRepo([
            "kit.yaml": """
            stacks:
              base_path: stacks
              included_paths: ["**/*"]
              name_template: "{{.vars.stage}}"
            """,
            "stacks/" + file: "vars: {stage: nonprod}\ncomponents: {terraform: {component-1: {vars: {from: '\(file)'}}}}\n",
        ])
        let c = try repo.component("component-1", stackArgument)
        #expect(c.stackFile == file)
        #expect(c.vars["from"] == .string(file))
    }

    @Test("§6.2: identical definitions of one stack in several files resolve to the first file")
    func identicalDuplicatesAreAccepted() throws {
        let repo = try FixtureRepo([
            "kit.yaml": Self.kitYAML(pattern: "{stage}"),
            "stacks/deploy/a.yaml": "vars: {stage: dev}\ncomponents: {terraform: {vpc: {vars: {cidr: 10.0.0.0/16}}}}\n",
            "stacks/deploy/b.yaml": "vars: {stage: dev}\ncomponents: {terraform: {vpc: {vars: {cidr: 10.0.0.0/16}}}}\n",
        ])
        #expect(try repo.component("vpc", "dev").stackFile == "deploy/a.yaml")
    }

    @Test("28: name_pattern — a missing token is an error; present tokens join with '-'")
    func namePattern() throws {
        let missing = try FixtureRepo([
            "kit.yaml": Self.kitYAML(pattern: "{namespace}-{tenant}"),
            "stacks/deploy/dev.yaml": "vars: {namespace: cp, stage: dev}\n" + Self.vpc,
        ])
        let results = try missing.catalog().components(in: "deploy/dev.yaml")
        #expect(results.count == 1)
        guard case .failure(let error) = results[0].result else { Issue.record("expected a failure"); return }
        #expect(error as? StackError == .missingNameToken(file: "deploy/dev.yaml", token: "tenant", pattern: "{namespace}-{tenant}", component: "vpc"))
        #expect("\(error)".contains("the stack name pattern '{namespace}-{tenant}' needs 'tenant'"))

        let files = ["stacks/deploy/dev.yaml": "vars: {tenant: platform, stage: dev}\n" + Self.vpc]

        let ok = try FixtureRepo(files.merging(["kit.yaml": Self.kitYAML(pattern: "{tenant}-{stage}")]) { $1 })
        let c = try ok.component("vpc", "platform-dev")
        #expect(c.stackName == "platform-dev")
        #expect(c.workspace == "platform-dev")
    }

    @Test("28: kit follows §6.1 for an empty name_pattern: the stack is named by its file id")
    func emptyPatternUsesFileID() throws {
        let repo = try FixtureRepo([
            "kit.yaml": Self.kitYAML(pattern: ""),
            "stacks/deploy/dev.yaml": "vars: {tenant: platform, stage: dev}\n" + Self.vpc,
        ])
        #expect(try repo.component("vpc", "deploy/dev").stackName == "deploy/dev")
    }

    @Test("28: pattern parts other than the four context tokens are dropped")
    func patternDropsOtherParts() throws {
        let repo = try FixtureRepo([
            "kit.yaml": Self.kitYAML(pattern: "{tenant}-{region}-literal-{stage}"),
            "stacks/deploy/dev.yaml": "vars: {tenant: platform, stage: dev, region: us-east-1}\n" + Self.vpc,
        ])
        #expect(try repo.component("vpc", "platform-dev").stackName == "platform-dev")
    }

    @Test("46: a non-string context var counts as missing", arguments: [("2", true), ("'2'", false)])
    func nonStringStage(_ stage: String, _ fails: Bool) throws {
        let repo = try FixtureRepo([
            "kit.yaml": Self.kitYAML(pattern: "{stage}"),
            "stacks/deploy/dev.yaml": "vars: {stage: \(stage)}\n" + Self.vpc,
        ])
        let result = try repo.catalog().components(in: "deploy/dev.yaml")[0].result
        switch result {
        case .failure(let error):
            #expect(fails)
            #expect(error as? StackError == .missingNameToken(file: "deploy/dev.yaml", token: "stage", pattern: "{stage}", component: "vpc"))
        case .success(let c):
            #expect(!fails)
            #expect(c.stackName == "2")
        }
    }

    @Test("§6.2: two manifests defining the same stack and component differently is an error")
    func duplicateStack() throws {
        let repo = try FixtureRepo([
            "kit.yaml": Self.kitYAML(pattern: "{stage}"),
            "stacks/deploy/a.yaml": "vars: {stage: dev}\ncomponents: {terraform: {vpc: {vars: {cidr: 10.0.0.0/16}}}}\n",
            "stacks/deploy/b.yaml": "vars: {stage: dev}\ncomponents: {terraform: {vpc: {vars: {cidr: 10.9.0.0/16}}}}\n",
        ])
        let error = caught { _ = try repo.component("vpc", "dev") }
        #expect(error as? StackError == .duplicateStack(stack: "dev", component: "vpc", files: ["stacks/deploy/a.yaml", "stacks/deploy/b.yaml"]))
    }

    @Test("kit: a broken manifest fails only the commands that need it (atmos fails every command)")
    func brokenManifestIsLocal() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/broken.yaml": "vars: {a: 1\ncomponents: {terraform: {vpc: {}}}\n",
            "stacks/deploy/dev.yaml": Self.vpc,
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.find(component: "vpc", stack: "deploy/dev").stackFile == "deploy/dev.yaml")
        let error = caught { _ = try catalog.find(component: "vpc", stack: "deploy/broken") }
        guard case .malformedYAML(let loc, _)? = error as? StackError else {
            Issue.record("expected malformedYAML, got \(String(describing: error))"); return
        }
        #expect(loc.file == "stacks/deploy/broken.yaml")
        let survey = catalog.survey()
        #expect(survey.components.map(\.stackFile) == ["deploy/dev.yaml"])
        #expect(survey.warnings.count == 1)
        #expect(survey.warnings.first?.hasPrefix("stacks/deploy/broken.yaml:") == true)
    }

    @Test("§6.2: an unknown component in a known stack suggests close names")
    func unknownComponent() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": Self.vpc])
        let error = caught { _ = try repo.component("vcp", "deploy/dev") }
        #expect(error as? StackError == .unknownComponent(component: "vcp", stack: "deploy/dev", suggestions: ["vpc"]))
    }

    static func kitYAML(pattern: String) -> String {
        """
        stacks:
          base_path: stacks
          included_paths: ["deploy/**/*"]
          name_pattern: "\(pattern)"
        """
    }
}
