import Foundation
import Testing

/// `kit describe config` and `--query` on describe and list (issue 9).
@Suite("describe config and --query")
struct DescribeConfigQueryTests {
    @Test("describe config prints the effective configuration of an atmos.yaml")
    func describeConfig() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["describe", "config", "--query", ".stacks", "--format", "yaml"])
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        Golden.check(Golden.transcript(run, in: repo), named: "describe-config-mixed-components-stacks")
    }

    @Test("--query selects from describe component and describe stacks", arguments: [
        (["describe", "component", "vpc", "-s", "dev", "--query", ".vars.cidr"], "10.1.0.0/16\n"),
        (["describe", "stacks", "--query", ".tools.components.helmfile.nginx.vars.replicas"], "2\n"),
        (["describe", "config", "--query", ".stacks.name_pattern", "--format", "json"], "\"{stage}\"\n"),
    ])
    func describeQuery(_ arguments: [String], _ expected: String) throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0)
        #expect(run.stdout == expected)
    }

    @Test("--query filters list rows", arguments: [
        (["list", "components", "--query", ".type == \"helmfile\""], "nginx\thelmfile\t2\n"),
        (["list", "stacks", "--query", ".stack != \"dev\""], "tools\n"),
    ])
    func listQuery(_ arguments: [String], _ expected: String) throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0)
        #expect(run.stdout == expected)
    }

    @Test("--query is real jq (issue 21)", arguments: [
        (["describe", "stacks", "--query", "[.[] | .components.terraform // {} | keys[]] | unique", "--format", "json"], "[\n  \"vpc\"\n]\n"),
        (["describe", "stacks", "--query", "keys | map(ascii_upcase) | join(\",\")"], "DEV,TOOLS\n"),
        (["describe", "component", "vpc", "-s", "dev", "--query", ".vars | to_entries | map(select(.key | startswith(\"c\"))) | from_entries", "--format", "json"],
         "{\n  \"cidr\": \"10.1.0.0/16\"\n}\n"),
        (["describe", "component", "vpc", "-s", "dev", "--query", "\"\\(.vars.stage)-\\(.vars.cidr | split(\"/\")[1])\""], "dev-16\n"),
        (["list", "components", "--query", ".vars | has(\"cidr\")"], "vpc\tterraform\t1\n"),
        (["list", "stacks", "--query", "[.files[] | select(endswith(\"tools\"))] | length > 0"], "tools\n"),
    ])
    func jqQuery(_ arguments: [String], _ expected: String) throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
    }

    @Test("a --query that gives several results where one is printed is an error, not a silent pick")
    func severalResults() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["describe", "stacks", "--query", ".[] | .vars.stage"])
        #expect(run.exitCode != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("--query '.[] | .vars.stage': the expression produced 2 results — one is needed here"), "\(run.stderr)")
    }

    @Test("~/.jq would be loaded by libjq into every query: kit refuses, naming the file")
    func homeJQIsRefused() throws {
        let repo = try FixtureRepository("mixed-components")
        let home = repo.parent.appendingPathComponent("home-with-jq")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "def keys: \"hijacked\";\n".write(to: home.appendingPathComponent(".jq"), atomically: true, encoding: .utf8)
        let run = try repo.run(["describe", "stacks", "--query", "keys"], environment: ["HOME": home.path])
        #expect(run.exitCode != 0)
        #expect(!run.stdout.contains("hijacked"))
        #expect(run.stderr.contains("\(home.path)/.jq exists, and libjq would load it into every query"), "\(run.stderr)")
    }

    @Test("a malformed --query is a usage error naming the column")
    func badQuery() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["describe", "stacks", "--query", ".["])
        #expect(run.exitCode == 64)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains("column 3") == true)
    }
}

/// A clean atmos repository is quiet (issue 9): every fixture repository listed here is valid, and
/// kit must print nothing on stderr for the read-only commands on it.
@Suite("quiet on a good repository")
struct QuietRepositoryTests {
    /// Fixture repositories without deliberate problems, with a stack and component of each, and the
    /// warnings the repository deliberately earns (acme uses the deprecated `settings.depends_on`).
    static let clean: [(fixture: String, stack: String, component: String, expected: [String])] = [
        ("acme", "acme-dev", "vpc", ["'settings.depends_on' is deprecated"]),
        ("atmos-features", "acme-dev", "vpc", []),
        ("mixed-components", "dev", "vpc", []),
        ("atmos-validation", "dev", "vpc", []),
        ("atmos-integrations", "tenant1-ue2-dev", "vpc", []),
        ("atmos-parity", "prod", "vpc", []),
        ("atmos-config-document", "dev", "network", []),
        ("custom-commands", "dev", "vpc", []),
        ("component-info", "demo-dev", "queue", []),
        ("provenance-view", "acme-prod", "app", []),
    ]

    @Test("no warning from list, describe and validate on a clean repository", arguments: clean.map(\.fixture))
    func quiet(_ fixture: String) throws {
        let entry = Self.clean.first { $0.fixture == fixture }!
        let repo = try FixtureRepository(fixture)
        for args in [["list", "stacks"], ["list", "components"], ["describe", "stacks"], ["describe", "config"],
                     ["describe", "component", entry.component, "-s", entry.stack], ["validate", "stacks"],
                     ["terraform", "generate", "varfile", entry.component, "-s", entry.stack]] {
            let run = try repo.run(args, environment: ["KIT_FEATURES_HOME": "/srv", "KIT_NO_PLUGINS": "1"])
            #expect(run.exitCode == 0, "\(fixture): kit \(args.joined(separator: " ")): \(run.stderr)")
            let unexpected = run.stderr.split(separator: "\n").filter { line in
                !line.hasPrefix("note: ") && !entry.expected.contains(where: { line.contains($0) })
            }
            #expect(unexpected.isEmpty, "\(fixture): kit \(args.joined(separator: " ")) printed: \(unexpected)")
        }
    }

    @Test("every fixture repository is either listed as clean or deliberately broken")
    func everyFixtureClassified() throws {
        let broken: Set<String> = ["malformed-yaml", "missing-import", "import-cycle", "inheritance-cycle", "component-cycle",
                                   "unknown-base", "wrong-type", "duplicate-stack", "empty-repo", "no-manifests",
                                   "unreadable-file", "component-escape", "broken-stacks", "atmos-functions", "atmos-parity-broken"]
        let all = try FileManagerListing.directories(in: FixtureRepository.fixturesDirectory)
        let cleanNames = Set(Self.clean.map(\.fixture))
        let unclassified = all.filter { name in !broken.contains(name) && !cleanNames.contains(name) }
        #expect(unclassified.isEmpty, "classify these fixtures as clean (and quiet) or broken: \(unclassified)")
    }
}
