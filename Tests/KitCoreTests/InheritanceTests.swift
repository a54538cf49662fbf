import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Component inheritance (reference §5, edge cases 16–24).
@Suite struct InheritanceTests {
    static func stack(_ components: String, top: String = "") -> [String: String] {
        ["stacks/deploy/dev.yaml": top + "components:\n  terraform:\n" + components]
    }

    @Test("16: a component: chain merges every level and takes the deepest base as folder")
    func componentChain() throws {
        let repo = try FixtureRepo(Self.stack("""
            base: {component: base2, vars: {environment: dev}}
            base2: {vars: {region: us-east-1}, settings: {enabled: true}}
            app: {component: base}
        """))
        let c = try repo.component("app", "deploy/dev")
        #expect(c.vars == ["environment": "dev", "region": "us-east-1"])
        #expect(c.settings == ["enabled": true])
        #expect(c.folder == "base2")
        #expect(c.baseComponentName == "base2")
        #expect(c.inheritance == ["base", "base2"])
    }

    @Test("17: circular inheritance is detected", arguments: [
        // Via the top-level `component:` key.
        "    comp-a: {component: comp-b, vars: {key: a}}\n    comp-b: {component: comp-a, vars: {key: b}}\n    my-component: {component: comp-a}\n",
        // Via metadata.inherits.
        "    comp-a: {metadata: {inherits: [comp-b]}, vars: {key: a}}\n    comp-b: {metadata: {inherits: [comp-a]}, vars: {key: b}}\n    my-component: {metadata: {inherits: [comp-a]}}\n",
        // A → B → C → A.
        "    comp-a: {component: comp-b}\n    comp-b: {component: comp-c}\n    comp-c: {component: comp-a}\n    my-component: {component: comp-a}\n",
    ])
    func cycles(_ components: String) throws {
        let repo = try FixtureRepo(Self.stack(components))
        let error = caught { _ = try repo.component("my-component", "deploy/dev") }
        guard case .inheritanceCycle(let stack, let chain)? = error as? StackError else {
            Issue.record("expected inheritanceCycle, got \(String(describing: error))"); return
        }
        #expect(stack == "deploy/dev")
        #expect(chain.contains("comp-a"))
        #expect("\(error!)".hasPrefix("component inheritance cycle in stack 'deploy/dev'"))
    }

    /// A resolver walks each base chain once per stack (`BaseChainMemo`). Resolving every component
    /// of a stack, in the order `describe stacks` does, must give what resolving each alone gives —
    /// a cycle that only one root closes is still that root's cycle, and a base walked first from
    /// another root still merges in its own order.
    @Test("memoized base chains: a whole-stack survey equals resolving each component alone")
    func memoizedChainsMatchFreshWalks() throws {
        let repo = try FixtureRepo(Self.stack("""
            a-root: {metadata: {inherits: [mid]}, vars: {own: a}}
            mid: {metadata: {inherits: [base, mixin]}, vars: {level: mid, list: [m]}}
            base: {metadata: {inherits: [common]}, vars: {level: base, list: [b], tags: {from: base}}}
            common: {vars: {level: common, tags: {common: true}}, settings: {s: 1}}
            mixin: {vars: {mixin: true, tags: {from: mixin}}}
            z-root: {metadata: {inherits: [mixin, base]}, vars: {own: z}}
            y-via-mid: {metadata: {inherits: [mid]}}
            x-via-y: {metadata: {inherits: [y-via-mid]}}
            w-closes: {metadata: {inherits: [base, x-via-y]}}
        """))
        let catalog = try repo.catalog()
        let survey = try catalog.components(in: "deploy/dev.yaml")
        for (name, result) in survey {
            let alone = Result { try repo.catalog().find(component: name, stack: "deploy/dev") }
            switch (result, alone) {
            case (.success(let a), .success(let b)):
                #expect(a.vars == b.vars, "\(name)")
                #expect(a.settings == b.settings, "\(name)")
                #expect(a.inheritance == b.inheritance, "\(name)")
            case (.failure(let a), .failure(let b)):
                #expect("\(a)" == "\(b)", "\(name)")
            default:
                Issue.record("\(name): survey \(result) but alone \(alone)")
            }
        }
        let a = try #require(try survey.first { $0.name == "a-root" }?.result.get())
        #expect(a.vars["level"] == "mid")
        #expect(a.vars["list"] == ["m"])
        #expect(a.vars["tags"] == ["common": true, "from": "mixin"])
        #expect(a.inheritance == ["mid", "mixin", "base", "common"])
        let z = try #require(try survey.first { $0.name == "z-root" }?.result.get())
        #expect(z.vars["tags"] == ["common": true, "from": "base"])
        #expect(z.vars["level"] == "base")
        // w-closes reaches base twice (directly and through x-via-y → y-via-mid → mid): no cycle.
        #expect((try? survey.first { $0.name == "w-closes" }?.result.get()) != nil)
    }

    @Test("memoized base chains: a cycle through a base another root walked first is still reported")
    func memoizedChainStillFindsCycle() throws {
        let repo = try FixtureRepo(Self.stack("""
            a-first: {metadata: {inherits: [b-base]}}
            b-base: {metadata: {inherits: [c-base]}, vars: {x: b}}
            c-base: {vars: {x: c}}
            d-loop: {metadata: {inherits: [e-loop]}}
            e-loop: {metadata: {inherits: [b-base, d-loop]}}
        """))
        let survey = try repo.catalog().components(in: "deploy/dev.yaml")
        let results = Dictionary(uniqueKeysWithValues: survey.map { ($0.name, $0.result) })
        #expect((try? results["a-first"]?.get())?.vars["x"] == "b")
        for name in ["d-loop", "e-loop"] {
            guard case .failure(let error)? = results[name], case .inheritanceCycle? = error as? StackError else {
                Issue.record("\(name): expected a cycle, got \(String(describing: results[name]))"); continue
            }
        }
    }

    @Test("18: a deep chain is not a false cycle; the nearest base wins")
    func deepChain() throws {
        let repo = try FixtureRepo(Self.stack("""
            level0: {vars: {from: level0}}
            level1: {component: level0, vars: {from: level1}}
            level2: {component: level1, vars: {from: level2}}
            child: {component: level2}
        """))
        let c = try repo.component("child", "deploy/dev")
        #expect(c.vars["from"] == "level2")
        #expect(Set(c.inheritance) == ["level2", "level1", "level0"])
        #expect(c.folder == "level0")
    }

    @Test("19: diamond inheritance is not a cycle; the shared base is inherited through either branch")
    func diamond() throws {
        let repo = try FixtureRepo(Self.stack("""
            base: {vars: {from_base: base-value}}
            left: {metadata: {inherits: [base]}, vars: {from_left: left-value}}
            right: {metadata: {inherits: [base]}, vars: {from_right: right-value}}
            child: {metadata: {inherits: [left, right]}}
            only-right: {metadata: {inherits: [right]}}
        """))
        let catalog = try repo.catalog()
        let child = try catalog.find(component: "child", stack: "deploy/dev")
        #expect(child.vars == ["from_base": "base-value", "from_left": "left-value", "from_right": "right-value"])
        #expect(try catalog.find(component: "only-right", stack: "deploy/dev").vars["from_base"] == "base-value")
    }

    @Test("19/§5.2: shared ancestors are re-applied (DFS post-order, not C3) — as atmos")
    func sharedAncestorReapplied() throws {
        let repo = try FixtureRepo(Self.stack("""
            base: {metadata: {type: abstract}, vars: {x: base}}
            left: {metadata: {inherits: [base]}, vars: {x: left}}
            right: {metadata: {inherits: [base]}}
            child: {metadata: {inherits: [left, right]}}
        """))
        let c = try repo.component("child", "deploy/dev")
        #expect(c.vars["x"] == "base")
        #expect(c.inheritance == ["right", "base", "left"])
    }

    @Test("20: metadata (name, component) is inherited through metadata.inherits; metadata.type is not")
    func metadataInheritance() throws {
        let repo = try FixtureRepo(Self.stack("""
            vpc/defaults: {metadata: {name: vpc, component: vpc/v2, type: abstract}}
            vpc-prod: {metadata: {inherits: [vpc/defaults]}}
        """, top: "terraform: {backend_type: s3, backend: {s3: {bucket: test-bucket}}}\n"))
        let c = try repo.component("vpc-prod", "deploy/dev")
        #expect(c.metadata["name"] == "vpc")
        #expect(c.metadata["type"] == nil)
        #expect(c.metadata["inherits"] == ["vpc/defaults"])
        #expect(c.folder == "vpc/v2")
        #expect(c.backend["workspace_key_prefix"] == "vpc")
    }

    @Test("20: with stacks.inherit.metadata false the prefix falls back to the base component")
    func metadataInheritanceDisabled() throws {
        var files = Self.stack("""
            vpc/defaults: {metadata: {name: vpc, component: vpc/v2, type: abstract}}
            vpc-prod: {metadata: {component: vpc/v2, inherits: [vpc/defaults]}}
        """, top: "terraform: {backend_type: s3, backend: {s3: {bucket: test-bucket}}}\n")
        files["kit.yaml"] = """
        stacks:
          base_path: stacks
          included_paths: ["deploy/**/*"]
          inherit: {metadata: false}
        """
        let repo = try FixtureRepo(files, kitYAML: nil)
        #expect(try repo.config().inheritMetadata == false)
        let c = try repo.component("vpc-prod", "deploy/dev")
        #expect(c.metadata["name"] == nil)
        #expect(c.backend["workspace_key_prefix"] == "vpc-v2")
    }

    @Test("20: an inherited metadata.name with '/' becomes a '-' prefix")
    func metadataNameWithSlash() throws {
        let repo = try FixtureRepo(Self.stack("""
            network/vpc/defaults: {metadata: {name: network/vpc, component: network/vpc/v1}}
            vpc-prod: {metadata: {inherits: [network/vpc/defaults]}}
        """, top: "terraform: {backend_type: s3, backend: {s3: {bucket: test-bucket}}}\n"))
        let c = try repo.component("vpc-prod", "deploy/dev")
        #expect(c.metadata["name"] == "network/vpc")
        #expect(c.backend["workspace_key_prefix"] == "network-vpc")
    }

    @Test("21: metadata.inherits alone does not change the folder")
    func inheritsWithoutMetadataComponent() throws {
        let repo = try FixtureRepo(Self.stack("""
            base-component: {metadata: {type: abstract}, vars: {enabled: true, name: base}}
            derived-component: {metadata: {inherits: [base-component]}, vars: {name: derived}}
        """))
        let c = try repo.component("derived-component", "deploy/dev")
        #expect(c.baseComponentName == "derived-component")
        #expect(c.folder == "derived-component")
        #expect(c.vars == ["enabled": true, "name": "derived"])
        #expect(c.inheritance.contains("base-component"))
        #expect(ComponentDocument.sections(c)["component"] == "derived-component")
    }

    @Test("22: an abstract base with metadata.component and an explicit workspace_key_prefix")
    func abstractBaseBackend() throws {
        let repo = try FixtureRepo(Self.stack("""
            eks/service/defaults:
              metadata: {type: abstract, component: eks-service}
              backend: {s3: {workspace_key_prefix: eks-service}}
              vars: {namespace: acme, enabled: true}
            eks/service/app1:
              metadata: {component: eks-service, inherits: [eks/service/defaults]}
              vars: {name: app1}
        """, top: "terraform: {backend_type: s3, backend: {s3: {bucket: b}}}\n"))
        let c = try repo.component("eks/service/app1", "deploy/dev")
        #expect(c.baseComponentName == "eks-service")
        #expect(c.folder == "eks-service")
        #expect(c.backend["workspace_key_prefix"] == "eks-service")
        #expect(c.vars == ["namespace": "acme", "enabled": true, "name": "app1"])
        #expect(c.isAbstract == false)
    }

    @Test("23: a string metadata.inherits or a non-string component is an error naming the section", arguments: [
        ("    vpc: {metadata: {inherits: x}}\n", "components.terraform.vpc.metadata.inherits", "list", "string"),
        ("    vpc: {component: 123}\n", "components.terraform.vpc.component", "string", "int"),
    ])
    func invalidInheritanceFields(_ components: String, _ path: String, _ expected: String, _ found: String) throws {
        let repo = try FixtureRepo(Self.stack(components))
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        guard case .invalidSection(let loc, let p, let e, let f, let stack, let component)? = error as? StackError else {
            Issue.record("expected invalidSection, got \(String(describing: error))"); return
        }
        #expect([p, e, f, stack, component] == [path, expected, found, "deploy/dev", "vpc"])
        #expect(loc?.file == "stacks/deploy/dev.yaml")
        #expect(loc?.mark?.line == 3)
    }

    @Test("24: root-level metadata may only hold labels, tags, custom, enabled, locked, terraform_workspace_pattern",
          arguments: ["inherits: [base]", "component: vpc", "type: abstract", "name: vpc"])
    func globalMetadataFieldNotAllowed(_ field: String) throws {
        let repo = try FixtureRepo(Self.stack("    vpc: {vars: {}}\n", top: "metadata:\n  \(field)\n"))
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        let key = String(field.prefix(while: { $0 != ":" }))
        #expect(error as? StackError == .globalMetadataField(SourceLocation(file: "stacks/deploy/dev.yaml", mark: Mark(line: 2, column: 3 + key.count + 2)), key: key))
    }

    @Test("24: root-level metadata that is not a map is an error; allowed keys are inherited")
    func globalMetadataShape() throws {
        let bad = try FixtureRepo(Self.stack("    vpc: {vars: {}}\n", top: "metadata: str\n"))
        let error = caught { _ = try bad.component("vpc", "deploy/dev") }
        guard case .invalidSection(_, let path, let expected, let found, _, _)? = error as? StackError else {
            Issue.record("expected invalidSection, got \(String(describing: error))"); return
        }
        #expect([path, expected, found] == ["metadata", "map", "string"])

        let good = try FixtureRepo(Self.stack("    vpc: {metadata: {tags: {b: 2}}}\n", top: "metadata: {locked: true, tags: {a: 1}}\n"))
        let c = try good.component("vpc", "deploy/dev")
        #expect(c.metadata == ["locked": true, "tags": ["a": 1, "b": 2]])
        #expect(c.isLocked)
    }

    @Test("§2.3: scope precedence global < terraform < base chain < component")
    func scopePrecedence() throws {
        let repo = try FixtureRepo(Self.stack("""
            base: {metadata: {type: abstract}, vars: {c: 3, d: 3}}
            app: {metadata: {inherits: [base]}, vars: {d: 4}}
        """, top: "vars: {a: 1, b: 1, c: 1}\nterraform: {vars: {b: 2, c: 2}}\n"))
        #expect(try repo.component("app", "deploy/dev").vars == ["a": 1, "b": 2, "c": 3, "d": 4])
    }

    @Test("§5.2 quirk: command and backend_type come from the last-visited base only (an empty one erases)")
    func scalarFieldsFromLastBase() throws {
        let repo = try FixtureRepo(Self.stack("""
            first: {metadata: {type: abstract}, command: tofu, backend_type: s3, backend: {s3: {bucket: x}}}
            second: {metadata: {type: abstract}, vars: {a: 1}}
            both: {metadata: {inherits: [first, second]}}
            reversed: {metadata: {inherits: [second, first]}}
        """))
        let catalog = try repo.catalog()
        let both = try catalog.find(component: "both", stack: "deploy/dev")
        #expect(both.command == "terraform")
        #expect(both.backendType == "")
        let reversed = try catalog.find(component: "reversed", stack: "deploy/dev")
        #expect(reversed.command == "tofu")
        #expect(reversed.backendType == "s3")
        #expect(reversed.backend == ["bucket": "x", "workspace_key_prefix": "reversed"])
    }

    @Test("§2.3: kit.yaml env is the lowest env layer")
    func configEnvIsLowestLayer() throws {
        let repo = try FixtureRepo(Self.stack("    vpc: {env: {B: component}}\n", top: "env: {A: stack, B: stack}\n"),
                                   kitYAML: FixtureRepo.kitYAML(extra: "env: {A: config, B: config, C: config}"))
        #expect(try repo.component("vpc", "deploy/dev").env == ["A": "stack", "B": "component", "C": "config"])
    }

    @Test("§2.1/§2.2: a section that is not a map is an error naming it", arguments: [
        ("vars: [a]\n", "    vpc: {vars: {}}\n", "vars"),
        ("terraform: {vars: x}\n", "    vpc: {vars: {}}\n", "terraform.vars"),
        ("", "    vpc: {env: [A]}\n", "components.terraform.vpc.env"),
    ])
    func sectionNotAMap(_ top: String, _ components: String, _ path: String) throws {
        let repo = try FixtureRepo(Self.stack(components, top: top))
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        guard case .invalidSection(_, let p, let expected, _, let stack, _)? = error as? StackError else {
            Issue.record("expected invalidSection, got \(String(describing: error))"); return
        }
        #expect([p, expected, stack] == [path, "map", "deploy/dev"])
    }

    @Test("metadata.inherits naming an undefined component is an error with a suggestion")
    func unknownBase() throws {
        let repo = try FixtureRepo(Self.stack("    vpc-defaults: {vars: {}}\n    vpc: {metadata: {inherits: [vpc-defautls]}}\n"))
        let error = caught { _ = try repo.component("vpc", "deploy/dev") }
        guard case .unknownBase(_, let stack, let component, let base, let via, let suggestion)? = error as? StackError else {
            Issue.record("expected unknownBase, got \(String(describing: error))"); return
        }
        #expect([stack, component, base, via, suggestion] == ["deploy/dev", "vpc", "vpc-defautls", "metadata.inherits", "vpc-defaults"])
    }
}
