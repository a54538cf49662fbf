import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Imports (reference §3, edge cases 8–12).
@Suite struct ImportTests {
    static let vpc = "components: {terraform: {vpc: {vars: {}}}}\n"

    @Test("8: glob imports merge in lexical order, the last match wins")
    func globOrdering() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/mixins/provider/aws-b.yaml": "vars: {provider_priority: b, from_b: true}\n",
            "stacks/catalog/mixins/provider/aws-c.yaml": "vars: {provider_priority: c}\n",
            "stacks/catalog/mixins/provider/aws-a.yaml": "vars: {provider_priority: a, from_a: true}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/mixins/provider/aws-*]\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["provider_priority": "c", "from_a": true, "from_b": true])
        #expect(c.layers == ["catalog/mixins/provider/aws-a.yaml", "catalog/mixins/provider/aws-b.yaml",
                             "catalog/mixins/provider/aws-c.yaml", "deploy/dev.yaml"])
    }

    @Test("9: a 4-level import chain — the top file wins, maps merge from every level")
    func fourLevelChain() throws {
        let repo = try FixtureRepo([
            "stacks/levels/level1.yaml": "vars: {import_order_test: level1, tags: {ManagedBy: atmos, Level: '1'}}\n",
            "stacks/levels/level2.yaml": "import: [levels/level1]\nvars: {import_order_test: level2, tags: {Level: '2', Team: platform}}\n",
            "stacks/levels/level3.yaml": "import: [levels/level2]\nvars: {import_order_test: level3, tags: {Level: '3'}}\n",
            "stacks/deploy/level4.yaml": "import: [levels/level3]\nvars: {import_order_test: level4, tags: {Stack: level4}}\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/level4")
        #expect(c.vars["import_order_test"] == "level4")
        #expect(c.vars["tags"] == ["ManagedBy": "atmos", "Level": "3", "Team": "platform", "Stack": "level4"])
        #expect(c.imports == ["levels/level1", "levels/level2", "levels/level3"])
    }

    @Test("10: a .yaml.tmpl import renders without context; a plain .yaml keeps {{ }} literally")
    func templateImportWithoutContext() throws {
        // As atmos's test: an atmos.yaml without `templates:` (the component template pass is off),
        // so the literal survives the whole resolution, not only the import.
        let atmosYAML = FixtureRepo.kitYAML()
        let repo = try FixtureRepo([
            "atmos.yaml": atmosYAML,
            "stacks/catalog/calc.yaml.tmpl": """
            vars:
              calculated: {{ add 5 10 }}
              generated: "{{ now | date "2006-01-02" }}"
            """,
            "stacks/catalog/plain.yaml": "vars: {literal: '{{ .should_not_process }}'}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/calc, catalog/plain]\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars["calculated"] == 15)
        let generated = c.vars["generated"]?.stringValue ?? ""
        #expect(generated.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil)
        #expect(c.vars["literal"] == "{{ .should_not_process }}")
    }

    @Test("11: a manifest importing itself is an error")
    func selfImport() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": "import: [deploy/dev]\n" + Self.vpc])
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        #expect(error as? StackError == .importCycle(chain: ["deploy/dev", "deploy/dev"]))
    }

    @Test("11: kit detects an A→B→A import cycle (atmos recurses until it crashes)")
    func kitDetectsIndirectImportCycle() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/a.yaml": "import: [catalog/b]\nvars: {a: 1}\n",
            "stacks/catalog/b.yaml": "import: [catalog/a]\nvars: {b: 1}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/a]\n" + Self.vpc,
        ])
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        #expect(error as? StackError == .importCycle(chain: ["catalog/a", "catalog/b", "catalog/a"]))
        #expect("\(error!)".contains("'catalog/a' → 'catalog/b' → 'catalog/a'"))
    }

    @Test("12: null or empty import entries, and a non-list import section, are errors", arguments: [
        ("import:\n  - catalog/a\n  - \n", "import entry 2 is empty"),
        ("import:\n  - ''\n", "import entry 1 is empty"),
        ("import:\n  - {context: {}}\n", "an import object needs a 'path'"),
    ])
    func invalidImportEntries(_ importText: String, _ message: String) throws {
        let repo = try FixtureRepo([
            "stacks/catalog/a.yaml": "vars: {a: 1}\n",
            "stacks/deploy/dev.yaml": importText + Self.vpc,
        ])
        let error = caught { _ = try repo.catalog().merged("deploy/dev.yaml") }
        guard case .invalidImport(let loc, let m)? = error as? StackError else {
            Issue.record("expected invalidImport, got \(String(describing: error))"); return
        }
        #expect(m.hasPrefix(message))
        #expect(loc.file == "stacks/deploy/dev.yaml")
    }

    @Test("12: a non-list import section is an error")
    func importSectionNotAList() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": "import: catalog/a\n" + Self.vpc])
        let error = caught { _ = try repo.catalog().merged("deploy/dev.yaml") }
        guard case .invalidSection(_, let path, let expected, let found, _, _)? = error as? StackError else {
            Issue.record("expected invalidSection, got \(String(describing: error))"); return
        }
        #expect([path, expected, found] == ["import", "list", "string"])
    }

    /// §3.3: which file an import picks, given the files that exist.
    @Test("extension probing (§3.3)", arguments: [
        // Extension-less: .yaml first, then .yml, .yaml.tmpl, .yml.tmpl.
        ("catalog/x", ["catalog/x.yaml", "catalog/x.yml", "catalog/x.yaml.tmpl"], "catalog/x.yaml"),
        ("catalog/x", ["catalog/x.yml", "catalog/x.yaml.tmpl", "catalog/x.yml.tmpl"], "catalog/x.yml"),
        ("catalog/x", ["catalog/x.yaml.tmpl", "catalog/x.yml.tmpl"], "catalog/x.yaml.tmpl"),
        ("catalog/x", ["catalog/x.yml.tmpl"], "catalog/x.yml.tmpl"),
        // An explicit .yaml/.yml prefers the template next to it.
        ("catalog/x.yaml", ["catalog/x.yaml", "catalog/x.yaml.tmpl"], "catalog/x.yaml.tmpl"),
        ("catalog/x.yml", ["catalog/x.yml", "catalog/x.yml.tmpl"], "catalog/x.yml.tmpl"),
        ("catalog/x.yaml", ["catalog/x.yaml", "catalog/x.yml"], "catalog/x.yaml"),
    ])
    func extensionProbing(_ importPath: String, _ existing: [String], _ expected: String) throws {
        var files = ["stacks/deploy/dev.yaml": "import: [\(importPath)]\n" + Self.vpc]
        for f in existing { files["stacks/" + f] = "vars: {picked: '\(f)'}\n" }
        let c = try FixtureRepo(files).component("vpc", "deploy/dev")
        #expect(c.vars["picked"] == .string(expected))
    }

    @Test("an import matching nothing is an error with a suggestion")
    func importNotFound() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/vpc.yaml": "vars: {a: 1}\n",
            "stacks/deploy/dev.yaml": "vars: {x: 1}\nimport:\n  - catalog/vpcc\n" + Self.vpc,
        ])
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        #expect(error as? StackError == .importNotFound(SourceLocation(file: "stacks/deploy/dev.yaml", mark: Mark(line: 3, column: 5)),
                                                        importPath: "catalog/vpcc", suggestion: "catalog/vpc"))
    }

    @Test("skip_if_missing: a missing import is skipped instead of failing")
    func skipIfMissing() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/a.yaml": "vars: {a: 1}\n",
            "stacks/deploy/dev.yaml": """
            import:
              - path: catalog/optional
                skip_if_missing: true
              - catalog/a
            """ + "\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["a": 1])
        #expect(c.imports == ["catalog/a"])
    }

    @Test("import context: the importer's context wins over the import's own (atmos code, not its docs)")
    func contextParentWins() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/leaf.yaml.tmpl": "vars: {flavor: '{{ .flavor }}', only_child: '{{ .only_child }}'}\n",
            "stacks/catalog/mid.yaml": """
            import:
              - path: catalog/leaf
                context: {flavor: child, only_child: from-child}
            """,
            "stacks/deploy/dev.yaml": """
            import:
              - path: catalog/mid
                context: {flavor: parent}
            """ + "\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["flavor": "parent", "only_child": "from-child"])
    }

    @Test("a plain .yaml imported with a context is rendered")
    func plainYAMLWithContextIsRendered() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/eks.yaml": "vars: {cluster: 'eks-{{ .flavor }}'}\n",
            "stacks/deploy/dev.yaml": "import:\n  - path: catalog/eks\n    context: {flavor: blue}\n" + Self.vpc,
        ])
        #expect(try repo.component("vpc", "deploy/dev").vars == ["cluster": "eks-blue"])
    }

    @Test("./ and ../ imports are relative to the importing file; others to the stacks directory")
    func relativeImports() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/acme/_region.yaml": "vars: {region: us-east-1}\n",
            "stacks/deploy/shared.yaml": "vars: {shared: true}\n",
            "stacks/deploy/acme/dev.yaml": "import: [./_region, ../shared]\n" + Self.vpc,
        ], kitYAML: FixtureRepo.kitYAML(excluded: ["**/_*.yaml", "deploy/shared.yaml"]))
        let c = try repo.component("vpc", "deploy/acme/dev")
        #expect(c.vars == ["region": "us-east-1", "shared": true])
        #expect(c.imports == ["deploy/acme/_region", "deploy/shared"])
    }

    @Test("an empty imported file contributes nothing and is no error")
    func emptyImport() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/empty.yaml": "",
            "stacks/catalog/comment.yaml": "# nothing yet\n",
            "stacks/deploy/dev.yaml": "import: [catalog/empty, catalog/comment]\nvars: {a: 1}\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["a": 1])
        #expect(c.imports == ["catalog/comment", "catalog/empty"])
    }

    @Test("§3.2 quirk: an absolute import path is joined to the stacks directory")
    func absoluteImportPath() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/a.yaml": "vars: {a: 1}\n",
            "stacks/deploy/dev.yaml": "import: [/catalog/a]\n" + Self.vpc,
        ])
        #expect(try repo.component("vpc", "deploy/dev").vars == ["a": 1])
    }

    @Test("a file imported twice is merged at each position; imports lists it once")
    func duplicateImport() throws {
        let repo = try FixtureRepo([
            "stacks/catalog/a.yaml": "vars: {x: a}\n",
            "stacks/catalog/b.yaml": "vars: {x: b}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/a, catalog/b, catalog/a]\n" + Self.vpc,
        ])
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.vars == ["x": "a"])
        #expect(c.imports == ["catalog/a", "catalog/b"])
    }

    @Test("an import path template renders from earlier imports' vars and the import context")
    func importPathTemplate() throws {
        let repo = try FixtureRepo([
            "stacks/mixins/stage.yaml": "vars: {stage: prod}\n",
            "stacks/catalog/prod/vpc.yaml": "vars: {cidr: 10.1.0.0/16}\n",
            "stacks/deploy/dev.yaml": "import:\n  - mixins/stage\n  - 'catalog/{{ .vars.stage }}/vpc'\n" + Self.vpc,
        ])
        #expect(try repo.component("vpc", "deploy/dev").vars == ["stage": "prod", "cidr": "10.1.0.0/16"])
    }
}
