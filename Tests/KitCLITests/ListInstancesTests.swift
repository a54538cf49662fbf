import Foundation
import Testing

/// Issue 21: atmos's `list instances` — deployable (component, stack) rows, atmos's default columns or
/// `--columns 'Header={{ template }}'`, sorted by the columns, as table/CSV/TSV/JSON/YAML; and `-s` on a
/// list never says "not found" for a stack whose components all failed.
@Suite("list instances")
struct ListInstancesTests {
    @Test("default columns: Component and Stack, abstract components left out, sorted")
    func defaults() throws {
        let repo = try FixtureRepository("acme")
        let table = try repo.run(["list", "instances"])
        #expect(table.exitCode == 0, "\(table.stderr)")
        #expect(table.stdout == "Component  Stack\napp        acme-prod\nvpc        acme-dev\nvpc        acme-prod\n", "\(table.stdout)")
        let csv = try repo.run(["list", "instances", "--format", "csv"])
        #expect(csv.stdout == "Component,Stack\napp,acme-prod\nvpc,acme-dev\nvpc,acme-prod\n")
        // Every row is a deployable instance: the same set `list components --format json` marks non-abstract.
        let rows = try JSONSerialization.jsonObject(with: Data(try repo.run(["list", "components", "--format", "json"]).stdout.utf8)) as? [[String: Any]] ?? []
        let deployable = Set(rows.filter { ($0["abstract"] as? Bool) == false }.map { "\($0["component"]!),\($0["stack"]!)" })
        #expect(Set(csv.stdout.split(separator: "\n").dropFirst().map(String.init)) == deployable)
    }

    @Test("--columns renders templates over the instance's data; rows sort by the columns in order")
    func columns() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["list", "instances", "--format", "csv", "--columns", "Stack={{ .stack }}",
                                "--columns", "Cidr={{ index .vars \"cidr\" | default \"-\" }}", "--columns", "Type={{ .component_type }}"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "Stack,Cidr,Type\nacme-dev,10.0.0.0/16,terraform\nacme-prod,-,terraform\nacme-prod,10.1.0.0/16,terraform\n", "\(run.stdout)")
        let json = try repo.run(["list", "instances", "--format", "json", "-s", "acme-dev", "--columns", "C={{ .component }}"])
        #expect(json.stdout == "[\n  {\n    \"C\": \"vpc\"\n  }\n]\n", "\(json.stdout)")
        let filtered = try repo.run(["list", "instances", "--format", "tsv", "--query", ".component == \"app\""])
        #expect(filtered.stdout == "Component\tStack\napp\tacme-prod\n")
    }

    @Test("CSV quotes, TSV escapes; a column that fails names itself, the instance and the fix")
    func escapingAndErrors() throws {
        let repo = try? FixtureRepository("acme")
        let tricky = ["--columns", "X={{ printf \"%s%q\" \"a,b \" \"c\" }}", "--columns", "Y={{ \"t\\tu\" }}", "-s", "acme-dev"]
        let csv = try repo?.run(["list", "instances", "--format", "csv"] + tricky)
        #expect(csv?.stdout == "X,Y\n\"a,b \"\"c\"\"\",t\tu\n", "\(csv?.stdout ?? "")\(csv?.stderr ?? "")")
        let tsv = try repo?.run(["list", "instances", "--format", "tsv"] + tricky)
        #expect(tsv?.stdout == "X\tY\na,b \"c\"\tt\\tu\n", "\(tsv?.stdout ?? "")")
        let bad = try? repo?.run(["list", "instances", "--columns", "X={{ .vars.cidr }}"])
        #expect(bad?.exitCode == 1)
        #expect(bad?.stderr.contains("--columns 'X' for component 'app' in stack 'acme-prod'") == true, "\(bad?.stderr ?? "")")
        let malformed = try? repo?.run(["list", "instances", "--columns", "nothing"])
        #expect(malformed?.exitCode == 64 && malformed?.stderr == "error: --columns 'nothing' is not 'Header={{ template }}', e.g. 'Stack={{ .stack }}'\n")
    }

    @Test("-s on a stack whose every component failed is that failure (exit 1), not 'not found'")
    func failedStackIsNotMissing() throws {
        let repo = try FixtureRepository("acme")
        // A template with a missing key in the one manifest of acme-dev: both of its components fail.
        let file = repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "\nsettings:\n  broken: '{{ .vars.nope }}'\n").write(to: file, atomically: true, encoding: .utf8)
        for command in [["list", "instances"], ["list", "components"]] {
            let run = try repo.run(command + ["-s", "acme-dev"])
            #expect(run.exitCode == 1, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("no component of stack 'acme-dev' resolved") && !run.stderr.contains("not found"), "\(run.stderr)")
        }
        #expect(try repo.run(["list", "instances", "-s", "acme-nope"]).stderr.contains("stack 'acme-nope' not found"))
        // Without -s the list is incomplete: the rows that resolved, then exit 1 with each failure as an error.
        let all = try repo.run(["list", "instances", "--format", "csv"])
        #expect(all.exitCode == 1 && all.stdout == "Component,Stack\napp,acme-prod\nvpc,acme-prod\n", "\(all.stdout)")
        #expect(all.stderr.hasPrefix("error: ") && all.stderr.contains("acme-dev"), "\(all.stderr)")
        // With -s another stack, its failures are warnings and the list is complete.
        let prod = try repo.run(["list", "instances", "--format", "csv", "-s", "acme-prod"])
        #expect(prod.exitCode == 0 && prod.stdout == "Component,Stack\napp,acme-prod\nvpc,acme-prod\n", "\(prod.stdout)\(prod.stderr)")
        #expect(prod.stderr.hasPrefix("warning: ") && !prod.stderr.split(separator: "\n").contains { $0.hasPrefix("error: ") }, "\(prod.stderr)")
    }
}
