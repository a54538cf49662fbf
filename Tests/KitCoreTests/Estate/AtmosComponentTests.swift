import Foundation
import KitPluginSDK
import Synchronization
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `atmos.Component` in component templates: sections while stacks resolve, `outputs` at run time
/// through `ReferenceResolver` (read once per run), errors with the template's file:line:column.
@Suite struct AtmosComponentTests {
    /// Line numbers matter: errors are checked against them.
    static let dev = """
        vars:
          stage: dev
        components:
          terraform:
            vpc:
              vars:
                cidr: 10.0.0.0/16
                name: "vpc-{{ .vars.stage }}"
                peer: !terraform.state network peer_id
            network:
              vars:
                zone: internal
            app:
              vars:
                cidr: '{{ (atmos.Component "vpc" .stack).vars.cidr }}'
                vpc_name: '{{ (atmos.Component "vpc" .stack).vars.name }}'
                vpc_id: '{{ (atmos.Component "vpc" .stack).outputs.vpc_id }}'
                backend: '{{ (atmos.Component "vpc" .stack).backend_type }}'
                label: '{{ $v := atmos.Component "vpc" .stack }}{{ $v.vars.stage }}/{{ $v.outputs.vpc_id }}'
                zones: !template '{{ toJson (atmos.Component "vpc" .stack).outputs.zones }}'
            db:
              vars:
                vpc_id: '{{ (atmos.Component "vpc" "deploy/dev").outputs.vpc_id }}-db'
                direct: !terraform.state vpc vpc_id
            reader:
              vars:
                peer: '{{ (atmos.Component "vpc" .stack).vars.peer }}'
        terraform:
          backend_type: local
        """

    static let state = #"{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"x","outputs":{"vpc_id":{"value":"vpc-123","type":"string"},"subnet":{"value":"10.0.1.0/24","type":"string"},"zones":{"value":["a","b"],"type":["list","string"]}},"resources":[]}"#
    static let networkState = #"{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"x","outputs":{"peer_id":{"value":"pcx-9","type":"string"}},"resources":[]}"#

    static func repo(_ extra: [String: String] = [:]) throws -> FixtureRepo {
        try FixtureRepo(["stacks/deploy/dev.yaml": dev].merging(extra) { $1 })
    }

    /// A resolver over the catalog, as `kit terraform` builds it; terraform must never be asked.
    static func resolver(_ catalog: StackCatalog) -> ReferenceResolver {
        ReferenceResolver(config: catalog.config, locate: { c, s in try catalog.find(component: c, stack: s) },
                          readOutputJSON: { c in throw TerraformError.referenceReadFailed(component: c.name, stack: c.stackName, exitCode: 1) },
                          templates: catalog.templates)
    }

    static func writeState(_ component: String, _ text: String, _ catalog: StackCatalog) throws {
        let c = try catalog.find(component: component, stack: "deploy/dev")
        try AtomicFile.write(text, to: ReferenceResolver.localStatePath(c, config: catalog.config))
    }

    @Test func sectionsAreReadWhileResolvingAndOutputsAreDeferred() throws {
        let catalog = try Self.repo().catalog()
        let app = try catalog.find(component: "app", stack: "deploy/dev")
        #expect(app.vars["cidr"] == "10.0.0.0/16")
        #expect(app.vars["vpc_name"] == "vpc-dev", "the other component's own templates are rendered")
        #expect(app.vars["backend"] == "local")
        #expect(DeferredTemplate.text(of: app.vars["vpc_id"]!) == #"{{ (atmos.Component "vpc" .stack).outputs.vpc_id }}"#)
        #expect(app.deferredTemplateLocations["vars.vpc_id"]?.description == "stacks/deploy/dev.yaml:17:17")
        #expect(app.templateReads == [InstanceID(stack: "deploy/dev", component: "vpc")])
        // Describe and dry runs print the template as written, like `!terraform.state`.
        #expect(JSONWriter.compact(app.vars["vpc_id"]!) == #""{{ (atmos.Component \"vpc\" .stack).outputs.vpc_id }}""#)
    }

    @Test func aDeferredValueDoesNotChangeWhenLinesMoveAboveIt() throws {
        let before = try Self.repo().component("app", "deploy/dev")
        let after = try Self.repo(["stacks/deploy/dev.yaml": "# a new first line\n" + Self.dev]).component("app", "deploy/dev")
        #expect(before.vars == after.vars, "describe affected compares values: only the recorded location moved")
        #expect(after.deferredTemplateLocations["vars.vpc_id"]?.description == "stacks/deploy/dev.yaml:18:17")
    }

    @Test func outputsAreReadAtRunTimeOncePerComponent() throws {
        let catalog = try Self.repo().catalog()
        try Self.writeState("vpc", Self.state, catalog)
        let resolver = Self.resolver(catalog)
        let app = try resolver.resolve(try catalog.find(component: "app", stack: "deploy/dev"))
        #expect(app.vars["vpc_id"] == "vpc-123")
        #expect(app.vars["label"] == "dev/vpc-123")
        #expect(app.vars["zones"] == .list(["a", "b"]), "!template around the template decodes the JSON at run time")
        #expect(app.vars["cidr"] == "10.0.0.0/16")
        let db = try resolver.resolve(try catalog.find(component: "db", stack: "deploy/dev"))
        #expect(db.vars["vpc_id"] == "vpc-123-db")
        #expect(db.vars["direct"] == "vpc-123")
        #expect(resolver.reads.state == 1, "two components, three templates and a !terraform.state on one component: one read")
        #expect(resolver.reads.output == 0)
    }

    @Test func noStateIsAnErrorNamingTheTemplateComponentAndStack() throws {
        let catalog = try Self.repo().catalog()
        let error = caught { _ = try Self.resolver(catalog).resolve(try catalog.find(component: "app", stack: "deploy/dev")) }
        let e = try #require(error as? ReferenceError)
        #expect(e.waitingOn == InstanceID(stack: "deploy/dev", component: "vpc"))
        let message = "\(e)"
        #expect(message.hasPrefix("stacks/deploy/dev.yaml:"), "\(message)")
        #expect(message.contains("'vars.") && message.contains("of component 'app' in stack 'deploy/dev'"), "\(message)")
        #expect(message.contains("component 'vpc' in stack 'deploy/dev' has no state yet"), "\(message)")
    }

    @Test func aMissingOutputListsTheOutputsThatExist() throws {
        let repo = try Self.repo(["stacks/deploy/typo.yaml": """
            components:
              terraform:
                vpc:
                  vars: {}
                app:
                  vars:
                    x: '{{ (atmos.Component "vpc" .stack).outputs.vpc_idd }}'
            terraform:
              backend_type: local
            """])
        let catalog = try repo.catalog()
        let vpc = try catalog.find(component: "vpc", stack: "deploy/typo")
        try AtomicFile.write(Self.state, to: ReferenceResolver.localStatePath(vpc, config: catalog.config))
        let error = caught { _ = try Self.resolver(catalog).resolve(try catalog.find(component: "app", stack: "deploy/typo")) }
        let message = "\(error.map { "\($0)" } ?? "no error")"
        #expect(message.hasPrefix("stacks/deploy/typo.yaml:7:"), "\(message)")
        #expect(message.contains("'vars.x' of component 'app' in stack 'deploy/typo'"), "\(message)")
        #expect(message.contains("component 'vpc' in stack 'deploy/typo' has no output 'vpc_idd' — its outputs: subnet, vpc_id, zones"), "\(message)")
    }

    @Test func aValueThatIsAReferenceIsReadAtRunTime() throws {
        let catalog = try Self.repo().catalog()
        let reader = try catalog.find(component: "reader", stack: "deploy/dev")
        #expect(DeferredTemplate.text(of: reader.vars["peer"]!) != nil, "vpc's vars.peer is '!terraform.state …': never its raw text")
        try Self.writeState("network", Self.networkState, catalog)
        let resolved = try Self.resolver(catalog).resolve(reader)
        #expect(resolved.vars["peer"] == "pcx-9")
    }

    @Test func readingEachOtherIsACycleNamingTheChain() throws {
        let repo = try FixtureRepo(["stacks/deploy/loop.yaml": """
            components:
              terraform:
                a:
                  vars:
                    x: '{{ (atmos.Component "b" .stack).vars.y }}'
                b:
                  vars:
                    y: '{{ (atmos.Component "c" .stack).vars.z }}'
                c:
                  vars:
                    z: '{{ (atmos.Component "a" .stack).vars.x }}'
            """])
        let error = caught { _ = try repo.component("a", "deploy/loop") }
        let message = "\(error.map { "\($0)" } ?? "no error")"
        #expect(message.hasPrefix("stacks/deploy/loop.yaml:5:"), "\(message)")
        #expect(message.contains("'vars.x' of component 'a' in stack 'deploy/loop'"), "\(message)")
        #expect(message.contains("'a' in stack 'deploy/loop' → 'b' in stack 'deploy/loop' → 'c' in stack 'deploy/loop' → 'a' in stack 'deploy/loop'"), "\(message)")
        // Every stack-wide command reports it too, once per component, instead of hanging.
        let survey = try repo.catalog().survey()
        #expect(survey.components.isEmpty)
        #expect(!survey.warnings.isEmpty && survey.warnings.allSatisfy { $0.contains("atmos.Component reads form a cycle") }, "\(survey.warnings)")
    }

    /// A stack whose component `c0` reads `c1`, which reads `c2`, … up to `c<n-1>`.
    static func chain(_ n: Int) throws -> FixtureRepo {
        var text = "vars:\n  stage: dev\ncomponents:\n  terraform:\n"
        for i in 0..<n {
            let value = i < n - 1 ? "'{{ (atmos.Component \"c\(i + 1)\" .stack).vars.v }}'" : "end"
            text += "    c\(i):\n      vars:\n        v: \(value)\n"
        }
        return try FixtureRepo(["stacks/deploy/chain.yaml": text])
    }

    @Test func readsNestAtMost32Deep() throws {
        // 32 components reading through one another resolve (c0 … c31: 31 reads deep).
        let fits = try Self.chain(ComponentReadCycle.maximumDepth)
        #expect(try fits.component("c0", "deploy/chain").vars["v"] == .string("end"))
        // One more is a located error naming the chain, not a stack overflow (300 levels crashed kit).
        let deep = try Self.chain(300)
        let message = "\(caught { _ = try deep.component("c0", "deploy/chain") }.map { "\($0)" } ?? "no error")"
        #expect(message.hasPrefix("stacks/deploy/chain.yaml:7:12: template error: 'vars.v' of component 'c0'"), "\(message)")
        #expect(message.contains("atmos.Component reads nest more than 32 components deep: 'c0' in stack 'deploy/chain' → 'c1'"), "\(message)")
        #expect(message.contains("… (23 more) → 'c28'"), "\(message)")
        // Every stack-wide command reports each component that cannot resolve, once.
        let survey = try deep.catalog().survey()
        #expect(survey.components.map(\.name).sorted() == (268..<300).map { "c\($0)" }.sorted(), "\(survey.components.map(\.name))")
        #expect(survey.warnings.count == 268, "\(survey.warnings.count)")
    }

    @Test func theGraphHasAnEdgeForEveryComponentRead() throws {
        let catalog = try Self.repo(["stacks/deploy/two.yaml": """
            components:
              terraform:
                base:
                  vars: {}
                other:
                  vars: {}
                app:
                  vars:
                    both: '{{ (atmos.Component "base" .stack).outputs.id }}-{{ (atmos.Component "other" .atmos_stack).outputs.id }}'
                    cross: '{{ (atmos.Component "vpc" "deploy/dev").vars.cidr }}'
                    later: '{{ (atmos.Component "base" .stack).outputs.id }}{{ (atmos.Component "vpc" "deploy/dev.yaml").outputs.id }}'
            """]).catalog()
        // `later` names vpc's stack by its file, which is no stack name: no edge from the text (and
        // none needed: the read was never reached while resolving; the run renders it or reports it).
        let graph = try catalog.dependencyGraph()
        let app = InstanceID(stack: "deploy/two", component: "app")
        #expect(graph.dependencies[app] == [InstanceID(stack: "deploy/dev", component: "vpc"),
                                            InstanceID(stack: "deploy/two", component: "base"),
                                            InstanceID(stack: "deploy/two", component: "other")])
        #expect(graph.reasons[.init(from: app, to: InstanceID(stack: "deploy/two", component: "other"))]?.map(\.via)
                == [#"atmos.Component "other" "deploy/two""#])
        let devApp = InstanceID(stack: "deploy/dev", component: "app")
        #expect(graph.dependencies[devApp] == [InstanceID(stack: "deploy/dev", component: "vpc")])
        #expect(graph.dependencies[InstanceID(stack: "deploy/dev", component: "vpc")] == [InstanceID(stack: "deploy/dev", component: "network")])
    }

    @Test func readingAnAbstractComponentIsNotAnEdge() throws {
        let catalog = try FixtureRepo(["stacks/deploy/base.yaml": """
            components:
              terraform:
                defaults:
                  metadata:
                    type: abstract
                  vars:
                    size: 3
                app:
                  vars:
                    size: '{{ (atmos.Component "defaults" .stack).vars.size }}'
            """]).catalog()
        #expect(try catalog.find(component: "app", stack: "deploy/base").vars["size"] == "3")
        let graph = try catalog.dependencyGraph()
        #expect(graph.dependencies[InstanceID(stack: "deploy/base", component: "app")] == nil)
    }

    @Test func outputsOutsideTheRunTimeSectionsAreRefused() throws {
        let repo = try Self.repo(["stacks/deploy/meta.yaml": """
            components:
              terraform:
                vpc:
                  vars: {}
                app:
                  hooks:
                    x: '{{ (atmos.Component "vpc" .stack).outputs.id }}'
            """])
        let message = "\(caught { _ = try repo.component("app", "deploy/meta") }.map { "\($0)" } ?? "no error")"
        #expect(message.contains("stacks/deploy/meta.yaml:7:"), "\(message)")
        #expect(message.contains("another component's outputs can be read in backend, env, providers, settings, vars only"), "\(message)")
    }

    @Test func anUnknownComponentIsAnErrorAtTheTemplate() throws {
        let repo = try Self.repo(["stacks/deploy/bad.yaml": """
            components:
              terraform:
                app:
                  vars:
                    x: '{{ (atmos.Component "vpcc" .stack).vars.cidr }}'
            """])
        let message = "\(caught { _ = try repo.component("app", "deploy/bad") }.map { "\($0)" } ?? "no error")"
        #expect(message.hasPrefix("stacks/deploy/bad.yaml:5:"), "\(message)")
        #expect(message.contains("at <atmos.Component>:") && message.contains("vpcc"), "\(message)")
    }

    @Test func importTemplatesCannotReadComponents() throws {
        let error = caught { _ = try GoTemplate(#"{{ atmos.Component "vpc" "dev" }}"#).render(.map([:])) }
        #expect("\(error!)" == "1:4: at <atmos.Component>: only available in component templates (not in imported manifest templates, stack names or workspace templates)")
    }

    @Test func theWholeValueNeedsTheOutputs() throws {
        let catalog = try Self.repo(["stacks/deploy/json.yaml": """
            components:
              terraform:
                vpc:
                  vars:
                    cidr: 10.1.0.0/16
                app:
                  vars:
                    sections: '{{ toJson (atmos.Component "vpc" .stack).vars }}'
                    all: '{{ (atmos.Component "vpc" .stack) | toJson }}'
            terraform:
              backend_type: local
            """]).catalog()
        let app = try catalog.find(component: "app", stack: "deploy/json")
        #expect(app.vars["sections"] == #"{"cidr":"10.1.0.0/16"}"#)
        #expect(DeferredTemplate.text(of: app.vars["all"]!) != nil)
        let vpc = try catalog.find(component: "vpc", stack: "deploy/json")
        try AtomicFile.write(Self.state, to: ReferenceResolver.localStatePath(vpc, config: catalog.config))
        let resolved = try Self.resolver(catalog).resolve(app)
        let all = try JSONValue.parse(resolved.vars["all"]!.stringValue!)
        #expect(all["outputs"]?["vpc_id"]?.stringValue == "vpc-123")
        #expect(all["vars"]?["cidr"]?.stringValue == "10.1.0.0/16")
    }
}

/// The function in the template engine alone, over a lookup that counts what is read.
@Suite struct AtmosComponentTemplateTests {
    final class CountingLookup: TemplateComponentLookup {
        let outputReads = Mutex(0)
        let lookups = Mutex<[String]>([])

        func component(_ name: String, stack: String) throws -> TemplateComponent {
            lookups.withLock { $0.append("\(name)@\(stack)") }
            guard name == "vpc" else { throw StackError.unknownComponent(component: name, stack: stack, suggestions: ["vpc"]) }
            return TemplateComponent(component: name, stack: stack,
                                     sections: ["vars": .map(["cidr": .string("10.0.0.0/16")]), "workspace": .string("dev-vpc")],
                                     outputs: { [self] in
                                         self.outputReads.withLock { $0 += 1 }
                                         return ["id": .string("vpc-1"), "zones": .list([.string("a"), .string("b")])]
                                     },
                                     resolvedSections: { Issue.record("nothing here needs resolving"); return [:] },
                                     isUnresolved: { _ in false })
        }
    }

    static func render(_ text: String, _ lookup: CountingLookup, missingKey: TemplateOptions.MissingKey = .error) throws -> String {
        var options = TemplateOptions(missingKey: missingKey)
        options.components = lookup
        return try GoTemplate(text).render(.map(["stack": .string("dev")]), options: options)
    }

    @Test func configurationIsReadWithoutTheOutputs() throws {
        let lookup = CountingLookup()
        #expect(try Self.render(#"{{ (atmos.Component "vpc" .stack).vars.cidr }}"#, lookup) == "10.0.0.0/16")
        #expect(try Self.render(#"{{ with atmos.Component "vpc" .stack }}{{ .workspace }}{{ end }}"#, lookup) == "dev-vpc")
        #expect(try Self.render(#"{{ $v := atmos.Component "vpc" "dev" }}{{ $v.vars.cidr }}"#, lookup) == "10.0.0.0/16")
        #expect(lookup.outputReads.withLock { $0 } == 0, "outputs are lazy")
        #expect(lookup.lookups.withLock { $0 } == ["vpc@dev", "vpc@dev", "vpc@dev"])
    }

    @Test func outputsAreReadWhenReached() throws {
        let lookup = CountingLookup()
        #expect(try Self.render(#"{{ (atmos.Component "vpc" .stack).outputs.id }}"#, lookup) == "vpc-1")
        #expect(try Self.render(#"{{ (atmos.Component "vpc" .stack).outputs.zones | toJson }}"#, lookup) == #"["a","b"]"#)
        #expect(try Self.render(#"{{ index (atmos.Component "vpc" .stack) "outputs" "id" }}"#, lookup) == "vpc-1")
        #expect(lookup.outputReads.withLock { $0 } == 3)
    }

    @Test func aMissingOutputIsAnErrorEvenWhenMissingKeysAreAllowed() throws {
        for missingKey in [TemplateOptions.MissingKey.error, .noValue] {
            let error = caught { _ = try Self.render(#"{{ (atmos.Component "vpc" .stack).outputs.idd }}"#, CountingLookup(), missingKey: missingKey) }
            #expect("\(error!)" == "1:4: at <(…).outputs.idd>: component 'vpc' in stack 'dev' has no output 'idd' — its outputs: id, zones")
        }
        // A missing configuration key follows missingkey, as for any other map.
        #expect(try Self.render(#"{{ (atmos.Component "vpc" .stack).vars.nope }}"#, CountingLookup(), missingKey: .noValue) == "<no value>")
    }

    @Test func anUnknownComponentIsAnErrorAtTheCall() throws {
        let error = caught { _ = try Self.render(#"x {{ (atmos.Component "vcp" .stack).vars.cidr }}"#, CountingLookup()) }
        #expect("\(error!)".hasPrefix("1:7: at <atmos.Component>: component 'vcp' not found in stack 'dev'"), "\(error!)")
        #expect("\(error!)".contains("vcp"), "\(error!)")
    }
}
