import Foundation
import Testing

/// helmfile and packer components are kept in every describe and list output, like atmos (issue 9);
/// commands kit does not implement say so plainly. Fixture `mixed-components`: stack `dev` has
/// terraform `vpc`, helmfile `nginx`, packer `ami`; stack `tools` has only helmfile `nginx`.
@Suite("non-terraform components and unsupported commands")
struct NonTerraformComponentTests {
    @Test("list stacks keeps a stack that has only helmfile components")
    func listStacks() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["list", "stacks"])
        #expect(run.exitCode == 0)
        #expect(run.stdout == "dev\ntools\n")
        #expect(run.stderr.isEmpty)
    }

    @Test("list components lists every type")
    func listComponents() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["list", "components", "-s", "dev"])
        #expect(run.stdout == "ami\tpacker\t1\nnginx\thelmfile\t1\nvpc\tterraform\t1\n")
    }

    @Test("plain list components is atmos's table: name, type, stack count; abstract ones only with --abstract")
    func listComponentsTable() throws {
        let repo = try FixtureRepository("acme")
        let plain = try repo.run(["list", "components"])
        #expect(plain.exitCode == 0)
        #expect(!plain.stdout.contains("vpc/defaults"))
        let all = try repo.run(["list", "components", "--abstract"])
        let rows = all.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.allSatisfy { $0.count == 3 && Int($0[2]) != nil })
        #expect(rows.contains { $0[0] == "vpc/defaults" && $0[1] == "terraform" })
        #expect(Set(all.stdout.split(separator: "\n")).isSuperset(of: Set(plain.stdout.split(separator: "\n"))))
        // The count is the number of stacks, as --format json's rows show them.
        let json = try repo.run(["list", "components", "--format", "json"])
        let instances = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        for row in rows where row[0] == "vpc" {
            #expect(Int(row[2]) == Set(instances.filter { $0["component"] as? String == "vpc" }.compactMap { $0["stack"] as? String }).count)
        }
    }

    @Test("describe stacks groups components by type", arguments: ["yaml", "json"])
    func describeStacks(_ format: String) throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["describe", "stacks", "--sections", "vars,component_info", "--format", format])
        #expect(run.exitCode == 0)
        Golden.check(Golden.transcript(run, in: repo), named: "mixed-components-describe-stacks-\(format)")
    }

    @Test("describe component works for a helmfile component")
    func describeHelmfile() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["describe", "component", "nginx", "-s", "tools", "--format", "json"])
        #expect(run.exitCode == 0)
        #expect(run.stdout.contains("\"component_type\": \"helmfile\""))
        #expect(run.stdout.contains("\"namespace\": \"web\""))
    }

    @Test("terraform on a helmfile component says what it is, never 'not found'")
    func terraformOnHelmfile() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["terraform", "plan", "nginx", "-s", "tools"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines == ["error: component 'nginx' in stack 'tools' is a helmfile component, and kit runs terraform only — run it with atmos or helmfile ('kit describe component' shows its configuration)"])
    }

    @Test("atmos commands kit does not implement exit 64 with 'not supported by kit'",
          arguments: [["helmfile", "apply", "nginx", "-s", "tools"], ["packer", "build", "ami", "-s", "tools"]])
    func unsupported(_ arguments: [String]) throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("error: 'kit \(arguments[0])' is not supported by kit — ") == true)
    }

    @Test("kit terraform plan --help prints help and exits 0")
    func terraformHelp() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["terraform", "plan", "--help"])
        #expect(run.exitCode == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: Run terraform for a component in a stack."))
    }

    @Test("kit version and kit --version print kit, plugin ABI and Swift versions", arguments: [["version"], ["--version"]])
    func version(_ arguments: [String]) throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(arguments)
        #expect(run.exitCode == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("kit ") == true)
        #expect(lines.dropFirst().first == "plugin ABI 1.1")
        #expect(lines.last?.hasPrefix("Swift 6.") == true)
    }
}
