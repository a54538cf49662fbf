import Foundation
import Testing

/// `kit describe affected` on a git repository the test builds commit by commit: each commit touches
/// one kind of input, and the test pins exactly which pairs are affected and why.
@Suite("describe affected")
struct AffectedTests {
    /// One reported entry, reduced to what the tests compare.
    struct Entry: Equatable, CustomStringConvertible {
        var stack: String
        var component: String
        var affected: String
        var reasons: [String]
        var description: String { "\(component)@\(stack) \(affected) \(reasons)" }
    }

    static func entries(_ run: KitRun) throws -> [Entry] {
        guard let list = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSLocalizedDescriptionKey: "not a JSON list:\n\(run.stdout)\n\(run.stderr)"])
        }
        return list.map { e in
            Entry(stack: e["stack"] as! String, component: e["component"] as! String, affected: e["affected"] as! String,
                  reasons: e["reasons"] as! [String])
        }
    }

    /// The base commit `c0` and one commit per kind of change (`c1` … `c6`).
    static func repository() throws -> GitFixture {
        let g = try GitFixture()
        try g.write("kit.yaml", """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["orgs/**/*"]
              excluded_paths: ["**/_defaults.yaml"]
              name_pattern: "{stage}"

            """)
        try g.write("stacks/catalog/vpc.yaml", "components:\n  terraform:\n    vpc:\n      vars:\n        cidr: 10.0.0.0/16\n")
        try g.write("stacks/catalog/app.yaml", """
            components:
              terraform:
                app:
                  vars:
                    replicas: 1
                  dependencies:
                    components:
                      - component: vpc
                    files:
                      - config/app.json

            """)
        try g.write("stacks/catalog/db.yaml", "components:\n  terraform:\n    db:\n      vars:\n        size: small\n")
        for stage in ["dev", "staging", "prod"] {
            var imports = ["catalog/vpc"]
            if stage != "staging" { imports.append("catalog/app") }
            if stage == "prod" { imports.append("catalog/db") }
            try g.write("stacks/orgs/\(stage).yaml", "import:\n" + imports.map { "  - \($0)\n" }.joined() + "vars:\n  stage: \(stage)\n")
        }
        try g.write("components/terraform/vpc/main.tf", "variable \"cidr\" {}\nvariable \"stage\" {}\n")
        try g.write("components/terraform/app/main.tf", "variable \"replicas\" {}\nvariable \"stage\" {}\n")
        try g.write("components/terraform/db/main.tf", "module \"label\" {\n  source = \"../modules/label\"\n}\n")
        try g.write("components/terraform/modules/label/main.tf", "module \"name\" {\n  source = \"../name\"\n}\n")
        try g.write("components/terraform/modules/name/main.tf", "output \"name\" { value = \"x\" }\n")
        try g.write("config/app.json", "{\"feature\": false}\n")
        try g.commit("c0")
        // c1: a catalog default imported by every stack.
        try g.write("stacks/catalog/vpc.yaml", "components:\n  terraform:\n    vpc:\n      vars:\n        cidr: 10.1.0.0/16\n")
        try g.commit("c1")
        // c2: one stack's vars.
        try g.write("stacks/orgs/staging.yaml", "import:\n  - catalog/vpc\nvars:\n  stage: staging\n  owner: platform\n")
        try g.commit("c2")
        // c3: a component's .tf.
        try g.write("components/terraform/app/main.tf", "variable \"replicas\" {}\nvariable \"stage\" {}\noutput \"ok\" { value = true }\n")
        try g.commit("c3")
        // c4: a local module used transitively (db → modules/label → modules/name).
        try g.write("components/terraform/modules/name/main.tf", "output \"name\" { value = \"y\" }\n")
        try g.commit("c4")
        // c5: a dependency file.
        try g.write("config/app.json", "{\"feature\": true}\n")
        try g.commit("c5")
        // c6: a deleted component (db leaves prod).
        try g.write("stacks/orgs/prod.yaml", "import:\n  - catalog/vpc\n  - catalog/app\nvars:\n  stage: prod\n")
        try g.commit("c6")
        return g
    }

    @Test("each kind of change affects exactly the pairs it should, with atmos's keys and kit's reasons")
    func affectedSets() throws {
        let g = try Self.repository()
        func between(_ a: String, _ b: String, _ extra: [String] = []) throws -> [Entry] {
            let run = try g.kit(["describe", "affected", "--base", a, "--head", b] + extra)
            #expect(run.exitCode == 0, "\(run.stderr)")
            return try Self.entries(run)
        }
        #expect(try between("c0", "c1") == ["dev", "prod", "staging"].map {
            Entry(stack: $0, component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed"])
        })
        #expect(try between("c1", "c2") == [Entry(stack: "staging", component: "vpc", affected: "stack.vars", reasons: ["vars.owner added"])])
        #expect(try between("c2", "c3") == ["dev", "prod"].map {
            Entry(stack: $0, component: "app", affected: "component", reasons: ["'components/terraform/app/main.tf' changed"])
        })
        #expect(try between("c3", "c4") == [
            Entry(stack: "prod", component: "db", affected: "component.module",
                  reasons: ["local module 'components/terraform/modules/name' changed (components/terraform/modules/name/main.tf)"]),
        ])
        #expect(try between("c4", "c5") == ["dev", "prod"].map {
            Entry(stack: $0, component: "app", affected: "file", reasons: ["dependency file 'config/app.json' changed"])
        })
        #expect(try between("c5", "c6") == [
            Entry(stack: "prod", component: "db", affected: "deleted", reasons: ["component 'db' was removed from stack 'prod'"]),
        ])
        // Dependents: app depends on vpc, so a vpc change reaches app in dev and prod.
        let withDependents = try between("c0", "c1", ["--include-dependents"])
        #expect(withDependents.map(\.description) == [
            Entry(stack: "dev", component: "app", affected: "dependency", reasons: ["depends on 'vpc' in 'dev', which is affected"]),
            Entry(stack: "dev", component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed"]),
            Entry(stack: "prod", component: "app", affected: "dependency", reasons: ["depends on 'vpc' in 'prod', which is affected"]),
            Entry(stack: "prod", component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed"]),
            Entry(stack: "staging", component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed"]),
        ].map(\.description))
        // Every change at once, against the work tree (nothing uncommitted: same as --head c6).
        let all = try between("c0", "HEAD")
        #expect(all.map(\.description) == [
            Entry(stack: "dev", component: "app", affected: "component",
                  reasons: ["'components/terraform/app/main.tf' changed", "dependency file 'config/app.json' changed"]),
            Entry(stack: "dev", component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed"]),
            Entry(stack: "prod", component: "app", affected: "component",
                  reasons: ["'components/terraform/app/main.tf' changed", "dependency file 'config/app.json' changed"]),
            Entry(stack: "prod", component: "db", affected: "deleted", reasons: ["component 'db' was removed from stack 'prod'"]),
            Entry(stack: "prod", component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed"]),
            Entry(stack: "staging", component: "vpc", affected: "stack.vars", reasons: ["vars.cidr changed", "vars.owner added"]),
        ].map(\.description))
    }

    @Test("the full entry carries atmos's keys; the work tree is the default head; uncommitted edits count")
    func keysAndWorkTree() throws {
        let g = try Self.repository()
        try g.write("stacks/orgs/dev.yaml", "import:\n  - catalog/vpc\n  - catalog/app\nvars:\n  stage: dev\n  owner: me\n")
        let run = try g.kit(["describe", "affected", "--base", "c6", "--include-dependents"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [[String: Any]]
        #expect(list.count == 2)
        let vpc = list.first { $0["component"] as? String == "vpc" }!
        #expect(Set(vpc.keys) == ["affected", "affected_all", "component", "component_path", "component_type", "deleted", "dependents",
                                  "enabled", "included_in_dependents", "reasons", "stack", "stack_slug"])
        #expect(vpc["stack_slug"] as? String == "dev-vpc")
        #expect(vpc["component_path"] as? String == "components/terraform/vpc")
        #expect(vpc["included_in_dependents"] as? Bool == false)
        #expect((vpc["dependents"] as? [[String: String]])?.map { $0["stack_slug"]! } == ["dev-app"])
        // An untracked new stack is new at head.
        try g.write("stacks/orgs/qa.yaml", "import:\n  - catalog/vpc\nvars:\n  stage: qa\n")
        let added = try Self.entries(try g.kit(["describe", "affected", "--base", "c6"]))
        #expect(added.contains(Entry(stack: "qa", component: "vpc", affected: "stack.metadata", reasons: ["new: not in 'c6'"])))
    }

    @Test("a deleted stack is 'deleted.stack'; a renamed component folder is named")
    func deletedStackAndRename() throws {
        let g = try Self.repository()
        try g.remove("stacks/orgs/staging.yaml")
        try g.git(["mv", "components/terraform/vpc", "components/terraform/network"])
        try g.write("stacks/catalog/vpc.yaml", "components:\n  terraform:\n    vpc:\n      metadata:\n        component: network\n      vars:\n        cidr: 10.1.0.0/16\n")
        try g.commit("c7")
        let entries = try Self.entries(try g.kit(["describe", "affected", "--base", "c6", "--head", "c7"]))
        #expect(entries.first { $0.stack == "staging" } == Entry(stack: "staging", component: "vpc", affected: "deleted.stack", reasons: ["stack 'staging' was deleted"]))
        let dev = entries.first { $0.stack == "dev" && $0.component == "vpc" }
        #expect(dev?.affected == "stack.metadata")
        #expect(dev?.reasons.first == "terraform folder renamed from 'vpc' to 'network'")
        #expect(dev?.reasons.contains("'components/terraform/network/main.tf' changed") == true)
    }

    @Test("matrix: a diamond comes out in three waves, in fromJSON shape")
    func diamondMatrix() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", "stacks:\n  base_path: stacks\n  included_paths: [\"orgs/**/*\"]\n  name_pattern: \"{stage}\"\n")
        var catalog = "components:\n  terraform:\n"
        for (name, deps) in [("a", [String]()), ("b", ["a"]), ("c", ["a"]), ("d", ["b", "c"])] {
            catalog += "    \(name):\n      vars:\n        n: 1\n"
            if !deps.isEmpty { catalog += "      dependencies:\n        components:\n" + deps.map { "          - component: \($0)\n" }.joined() }
        }
        try g.write("stacks/catalog/diamond.yaml", catalog)
        try g.write("stacks/orgs/dev.yaml", "import:\n  - catalog/diamond\nvars:\n  stage: dev\n")
        for n in ["a", "b", "c", "d"] { try g.write("components/terraform/\(n)/main.tf", "variable \"n\" {}\n") }
        try g.commit("c0")
        try g.write("components/terraform/a/main.tf", "variable \"n\" {}\noutput \"x\" { value = 1 }\n")
        let run = try g.kit(["describe", "affected", "--base", "c0", "--include-dependents", "--format", "matrix"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: [[String: Any]]]
        let rows = json["include"]!.map { "\($0["wave"]!):\($0["component"]!)@\($0["stack"]!)" }
        #expect(rows == ["0:a@dev", "1:b@dev", "1:c@dev", "2:d@dev"])
        #expect(Set(json["include"]![0].keys) == ["component", "component_path", "stack", "stack_slug", "wave"])
        let stacks = try g.kit(["list", "stacks", "--format", "matrix"])
        #expect(stacks.stdout == "{\n  \"include\": [\n    {\n      \"stack\": \"dev\"\n    }\n  ]\n}\n")
    }

    @Test("bad input: unknown ref, not a repository, shallow clone, a manifest broken at one ref only")
    func badInput() throws {
        let g = try Self.repository()
        let unknown = try g.kit(["describe", "affected", "--base", "origin/nope"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.contains("--base 'origin/nope' is not a commit in this repository — fetch it first: 'git fetch origin origin/nope'"), "\(unknown.stderr)")

        // Not a repository: a copy of the work tree without .git.
        let plain = g.scratch.appendingPathComponent("plain")
        try FileManager.default.copyItem(at: g.root, to: plain)
        try FileManager.default.removeItem(at: plain.appendingPathComponent(".git"))
        let notRepo = try g.kit(["describe", "affected", "--base", "c0"], in: plain)
        #expect(notRepo.exitCode == 1)
        #expect(notRepo.stderr.contains("is not in a git repository"), "\(notRepo.stderr)")

        // A shallow clone without the base commit.
        let shallow = g.scratch.appendingPathComponent("shallow")
        try g.git(["clone", "-q", "--depth", "1", "file://" + g.root.path, shallow.path])
        let base = try g.git(["rev-parse", "c0"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let shallowRun = try g.kit(["describe", "affected", "--base", base], in: shallow.resolvingSymlinksInPath())
        #expect(shallowRun.exitCode == 1)
        #expect(shallowRun.stderr.contains("which is a shallow clone (CI checkouts are shallow by default)"), "\(shallowRun.stderr)")

        // Broken at head only: an error naming the ref and the file.
        try g.write("stacks/orgs/dev.yaml", "import:\n  - catalog/vpc\nvars: [unclosed\n")
        let brokenHead = try g.kit(["describe", "affected", "--base", "c6"])
        #expect(brokenHead.exitCode == 1)
        #expect(brokenHead.stderr.contains("error: at the work tree: stacks/orgs/dev.yaml:4:1: malformed YAML") && brokenHead.stderr.contains("stacks/orgs/dev.yaml"), "\(brokenHead.stderr)")
        try g.commit("broken")
        // Broken at base only: a warning naming the ref and the file; its pairs count as affected.
        try g.write("stacks/orgs/dev.yaml", "import:\n  - catalog/vpc\nvars:\n  stage: dev\n")
        let brokenBase = try g.kit(["describe", "affected", "--base", "broken"])
        #expect(brokenBase.exitCode == 0, "\(brokenBase.stderr)")
        #expect(brokenBase.stderr.contains("at 'broken'") && brokenBase.stderr.contains("stacks/orgs/dev.yaml"), "\(brokenBase.stderr)")
        #expect(try Self.entries(brokenBase).map(\.component) == ["vpc"])
    }

    @Test("legacy settings.depends_on file/folder entries, dependency folders and hooks count")
    func legacyAndHooks() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", "stacks:\n  base_path: stacks\n  included_paths: [\"orgs/**/*\"]\n  name_pattern: \"{stage}\"\n")
        try g.write("stacks/orgs/dev.yaml", """
            vars:
              stage: dev
            components:
              terraform:
                legacy:
                  settings:
                    depends_on:
                      "1":
                        file: config/legacy.conf
                modern:
                  dependencies:
                    folders:
                      - lambda/src
                hooked:
                  hooks:
                    notify:
                      events: [after-terraform-apply]

            """)
        for n in ["legacy", "modern", "hooked"] { try g.write("components/terraform/\(n)/main.tf", "\n") }
        try g.write("config/legacy.conf", "a\n")
        try g.write("lambda/src/handler.py", "x = 1\n")
        try g.commit("c0")
        try g.write("config/legacy.conf", "b\n")
        try g.write("lambda/src/handler.py", "x = 2\n")
        let text = try String(contentsOf: g.root.appendingPathComponent("stacks/orgs/dev.yaml"), encoding: .utf8)
        try g.write("stacks/orgs/dev.yaml", text.replacingOccurrences(of: "after-terraform-apply", with: "before-terraform-apply"))
        let run = try g.kit(["describe", "affected", "--base", "c0"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(try Self.entries(run) == [
            Entry(stack: "dev", component: "hooked", affected: "stack.hooks", reasons: ["hooks.notify changed"]),
            Entry(stack: "dev", component: "legacy", affected: "file", reasons: ["dependency file 'config/legacy.conf' changed"]),
            Entry(stack: "dev", component: "modern", affected: "folder", reasons: ["dependency folder 'lambda/src' changed (lambda/src/handler.py)"]),
        ])
        let list = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [[String: Any]]
        #expect(list[1]["file"] as? String == "config/legacy.conf")
        #expect(list[2]["folder"] as? String == "lambda/src")
    }
}
