import Foundation
import Testing
import KitModel

/// Issue 21: `describe component --provenance` prints atmos's annotated view — the manifest-set
/// sections as YAML, each key line followed at column 50 by `# ● [1] file:line` (the stack file) or
/// `# ○ [N] file:line` (a file N−1 imports deep), `∴` for a value written as a YAML function or a
/// template — on the `provenance-view` fixture: `app` in `acme-prod` set across four import depths.
@Suite("describe component --provenance: atmos's annotated view")
struct ProvenanceViewTests {
    static let environment = ["APP_HOME": "/srv/app"]

    static func view(_ repo: FixtureRepository, _ extra: [String] = []) throws -> String {
        let run = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--provenance"] + extra, environment: environment)
        #expect(run.exitCode == 0, "\(run.stderr)")
        return run.stdout
    }

    /// The comment printed after `line` (the first line that starts with it), or nil.
    static func comment(_ view: String, _ line: String) -> String? {
        guard let found = view.split(separator: "\n").first(where: { $0.hasPrefix(line) }) else { return nil }
        guard let hash = found.range(of: "# ") else { return nil }
        // Comments start at column 50 (0-based byte offset 50 for these ASCII lines).
        #expect(found.distance(from: found.startIndex, to: hash.lowerBound) == 50, "comment column in '\(found)'")
        return String(found[hash.lowerBound...])
    }

    @Test("the whole view, byte for byte (golden)")
    func golden() throws {
        let repo = try FixtureRepository("provenance-view")
        let run = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--provenance"], environment: Self.environment)
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-component-provenance-view")
    }

    @Test("legend, stack header, then the sections in key order")
    func layout() throws {
        let view = try Self.view(try FixtureRepository("provenance-view"))
        #expect(view.hasPrefix("# Provenance Legend:\n#   ● [1] Defined in parent stack\n#   ○ [N] Inherited/imported (N=2+ levels deep)\n#   ∴ Computed/templated\n\n# Stack: orgs/acme/prod\n\n"))
        let tops = view.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("#") }.map { String($0.prefix { $0 != ":" }) }
        #expect(tops == ["import", "settings", "vars"], "metadata and sections no manifest sets are not printed")
    }

    @Test("a leaf shows the layer in force with its depth; a file imported twice takes the shorter route")
    func depthsAndWinners() throws {
        let view = try Self.view(try FixtureRepository("provenance-view"))
        #expect(Self.comment(view, "  replicas: 3") == "# ● [1] orgs/acme/prod.yaml:11", "prod overrides the catalog's 1")
        #expect(Self.comment(view, "  tenant: acme") == "# ○ [2] orgs/acme/_defaults.yaml:6")
        #expect(Self.comment(view, "  region: eu-west-1") == "# ○ [3] mixins/region.yaml:5")
        // catalog/app is imported by the org defaults (depth 3) and by the mixin (depth 4): 3.
        #expect(Self.comment(view, "    team: platform") == "# ○ [3] catalog/app.yaml:14")
        #expect(Self.comment(view, "  settings:")  == nil, "settings is a section key at column 0")
        #expect(Self.comment(view, "settings:") == "# ○ [3] catalog/app.yaml:16")
    }

    @Test("maps name their first definition; lists their layer in force at each item's line")
    func mapsAndLists() throws {
        let view = try Self.view(try FixtureRepository("provenance-view"))
        #expect(Self.comment(view, "  labels:") == "# ○ [3] catalog/app.yaml:14", "the catalog defines labels first; the mixin adds region")
        #expect(Self.comment(view, "    region: eu-west-1") == "# ○ [3] mixins/region.yaml:13")
        #expect(Self.comment(view, "  zones:") == "# ● [1] orgs/acme/prod.yaml:13", "prod's list replaces the catalog's")
        #expect(Self.comment(view, "    - c") == "# ● [1] orgs/acme/prod.yaml:13")
        #expect(!view.contains("    - a"), "the replaced items are not printed")
        #expect(Self.comment(view, "  banner: |") == "# ○ [3] catalog/app.yaml:10")
        #expect(view.contains("  banner: |                                       # ○ [3] catalog/app.yaml:10\n    line one\n    line two\n"),
                "a block string's lines carry no comment")
    }

    @Test("YAML functions and templates are marked ∴ and print their value; secrets stay masked")
    func computedAndMasked() throws {
        let view = try Self.view(try FixtureRepository("provenance-view"))
        #expect(Self.comment(view, "  home: /srv/app") == "# ∴ [3] mixins/region.yaml:11")
        #expect(Self.comment(view, "  greeting:")?.hasPrefix("# ∴ [2] orgs/acme/_defaults.yaml:13") == true)
        #expect(Self.comment(view, "  api_token: \"***\"") == "# ○ [2] orgs/acme/_defaults.yaml:12")
        #expect(!view.contains("tok-123456"), "the secret-looking value is never printed")
        #expect(try Self.view(try FixtureRepository("provenance-view"), ["--show-secrets"]).contains("api_token: tok-123456"))
    }

    @Test("imports: each with the entry that brought it in; the key takes the first entry's")
    func imports() throws {
        let view = try Self.view(try FixtureRepository("provenance-view"))
        #expect(Self.comment(view, "import:") == "# ○ [3] mixins/region.yaml:2")
        #expect(Self.comment(view, "  - catalog/app") == "# ○ [3] mixins/region.yaml:2")
        #expect(Self.comment(view, "  - mixins/region") == "# ○ [2] orgs/acme/_defaults.yaml:2")
        #expect(Self.comment(view, "  - orgs/acme/_defaults") == "# ● [1] orgs/acme/prod.yaml:2")
    }

    @Test("the view reads back as YAML with the same values describe component prints")
    func sameValuesAsDescribe() throws {
        let repo = try FixtureRepository("provenance-view")
        let view = try YAMLParser.parse(try Self.view(repo)).value
        let plain = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--format", "json"], environment: Self.environment)
        #expect(plain.exitCode == 0)
        let document = try YAMLParser.parse(plain.stdout).value
        for section in ["vars", "settings"] {
            #expect(view.value(at: [section]) == document.value(at: [section]), "\(section)")
        }
        #expect(view.value(at: ["import"]) == document.value(at: ["imports"]))
    }

    @Test("--format json and --query keep kit's per-value provenance document")
    func jsonKeepsDocument() throws {
        let repo = try FixtureRepository("provenance-view")
        let run = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--provenance", "--format", "json"], environment: Self.environment)
        #expect(run.exitCode == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let replicas = (doc["provenance"] as? [String: Any])?["vars.replicas"] as? [String: Any]
        #expect((replicas?["set_by"] as? String)?.hasPrefix("stacks/orgs/acme/prod.yaml:11:") == true, "\(String(describing: replicas))")
        let query = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--provenance", "--query", ".provenance[\"vars.tenant\"].value"],
                                 environment: Self.environment)
        #expect(query.exitCode == 0 && query.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "acme", "\(query.stdout)\(query.stderr)")
    }
}
