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
        #expect(run.stdout == "ami\nnginx\nvpc\n")
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
