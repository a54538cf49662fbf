import Foundation
import Testing

/// atmos custom commands (`commands:` of atmos.yaml) through the real `kit` binary: arguments, flags,
/// defaults, `env:`, nested commands, `--`, exit codes, `component_config`, and values reaching the
/// shell as data, never as code (issue 21; fixture `custom-commands`).
@Suite struct CustomCommandTests {
    @Test("arguments, flags, defaults, env and trailing words reach the steps")
    func argumentsAndFlags() throws {
        let repo = try FixtureRepository("custom-commands")
        let run = try repo.run(["greet", "World", "-l", "--", "a", "b"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == """
            Hello from World
            name=World loud=true p=!
            quoted:World double:WORLD trailing=[a b]

            """)
        let flagForms = try repo.run(["greet", "--punctuation=?", "World", "--loud=false"])
        #expect(flagForms.stdout.split(separator: "\n")[1] == "name=World loud=false p=?", "\(flagForms.stdout)\(flagForms.stderr)")
    }

    @Test("a value holding shell syntax is printed as it is, in every quoting context, and runs nothing")
    func valuesAreData() throws {
        let repo = try FixtureRepository("custom-commands")
        let marker = repo.root.appendingPathComponent("pwned").path
        let hostile = "it's $(touch \(marker)) `touch \(marker)`; touch \(marker) \"*\" *"
        let run = try repo.run(["greet", hostile, "--", "*", "$(touch \(marker))"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Hello from \(hostile)")
        #expect(lines[1] == "name=\(hostile) loud=false p=!")
        #expect(lines[2] == "quoted:\(hostile) double:\(hostile.uppercased()) trailing=[* $(touch \(marker))]")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("the failing step's exit code is kit's, and later steps do not run")
    func exitCodes() throws {
        let repo = try FixtureRepository("custom-commands")
        let byDefault = try repo.run(["exit-code"])
        #expect(byDefault.exitCode == 3)
        #expect(byDefault.stdout == "before\n")
        #expect(try repo.run(["exit-code", "42"]).exitCode == 42)
        #expect(try repo.run(["exit-code", "0"]).stdout == "before\nnever\n")
    }

    @Test("nested commands and component_config read the resolved component")
    func nestedAndComponentConfig() throws {
        let repo = try FixtureRepository("custom-commands")
        let run = try repo.run(["ops", "region", "vpc", "-s", "dev"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "region=us-east-1 folder=vpc\n")
        let missing = try repo.run(["ops", "region", "vpc", "-s", "nope"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("stack 'nope' not found"), "\(missing.stderr)")
        let bare = try repo.run(["ops"])
        #expect(bare.exitCode == 1)
        #expect(bare.stderr.contains("'kit ops' needs a command: region"), "\(bare.stderr)")
    }

    @Test("usage mistakes exit 64 with one message; --help prints the command's usage")
    func usage() throws {
        let repo = try FixtureRepository("custom-commands")
        let noArgument = try repo.run(["greet"])
        #expect(noArgument.exitCode == 64)
        #expect(noArgument.stderr == "error: 'kit greet' needs the argument 'name' (who to greet)\n")
        let badFlag = try repo.run(["greet", "x", "--bad"])
        #expect(badFlag.exitCode == 64)
        #expect(badFlag.stderr == "error: 'kit greet' has no flag '--bad' — its flags: --loud, --punctuation\n")
        let tooMany = try repo.run(["greet", "x", "y"])
        #expect(tooMany.exitCode == 64)
        #expect(try repo.run(["ops", "region", "vpc"]).stderr == "error: 'kit ops region' needs the flag --stack\n")
        let help = try repo.run(["greet", "--help"])
        #expect(help.exitCode == 0)
        #expect(help.stdout.hasPrefix("Greets someone\n\nUsage: kit greet <name> [flags]\n"), "\(help.stdout)")
        let unknown = try repo.run(["nope"])
        #expect(unknown.exitCode == 64)
        #expect(unknown.stderr == "error: 'kit nope' is not a kit command, nor a custom command of the configuration — see 'kit --help'\n")
    }

    @Test("template logic in shell text is refused before anything runs; untrusted mode refuses custom commands")
    func refusals() throws {
        let repo = try FixtureRepository("custom-commands")
        let branching = try repo.run(["branching"])
        #expect(branching.exitCode == 1)
        #expect(branching.stderr.contains("atmos.yaml: commands[3].steps[0]: '{{ if .Flags.x }}' in shell text"), "\(branching.stderr)")
        let untrusted = try repo.run(["greet", "x"], environment: ["KIT_UNTRUSTED": "1"])
        #expect(untrusted.exitCode == 1)
        #expect(untrusted.stdout.isEmpty)
        #expect(untrusted.stderr.contains("refused in untrusted mode"), "\(untrusted.stderr)")
    }

    @Test("atmos's typed steps: markdown and toast print, spin runs its command, the others are refused before any step runs")
    func typedSteps() throws {
        let repo = try FixtureRepository("custom-commands")
        let status = try repo.run(["status", "db"])
        #expect(status.exitCode == 0, "\(status.stderr)")
        #expect(status.stdout == "## Status of db\nchecked db\ndone\n")
        let pick = try repo.run(["pick"])
        #expect(pick.exitCode == 1)
        #expect(pick.stdout.isEmpty)
        #expect(pick.stderr.contains("commands[5].steps[1]: atmos's 'choose' step type is not supported by kit"), "\(pick.stderr)")
        // A command with such a step does not stop the others.
        #expect(try repo.run(["exit-code", "0"]).exitCode == 0)
    }

    @Test("a configuration that cannot be read is its own error, not 'not a command'")
    func brokenConfiguration() throws {
        let repo = try FixtureRepository("custom-commands")
        try "commands: [\n".write(to: repo.root.appendingPathComponent("atmos.yaml"), atomically: true, encoding: .utf8)
        let run = try repo.run(["greet", "x"])
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("atmos.yaml"), "\(run.stderr)")
        #expect(!run.stderr.contains("not a kit command"), "\(run.stderr)")
    }

    @Test("a step that calls atmos runs kit when atmos is not installed; the shim folder is removed")
    func atmosInSteps() throws {
        let repo = try FixtureRepository("custom-commands")
        let tmp = repo.parent.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let run = try repo.run(["stacks"], environment: ["TMPDIR": tmp.path])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "dev\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
    }

    @Test("a custom command named like a built-in adds subcommands (atmos's 'terraform provision'); built-in words keep their meaning")
    func extendsBuiltins() throws {
        let repo = try FixtureRepository("custom-commands")
        let provision = try repo.run(["terraform", "provision", "vpc", "-s", "dev"])
        #expect(provision.exitCode == 0, "\(provision.stderr)")
        #expect(provision.stdout == "provisioning vpc in dev\n")
        #expect(try repo.run(["terraform", "provision"]).exitCode == 64, "its own usage rules apply")
        // The configuration's `terraform plan` is never reached: plan is terraform's.
        let plan = try repo.run(["terraform", "plan", "vpc", "-s", "dev", "--dry-run"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("terraform plan ") && !plan.stdout.contains("never reached"), "\(plan.stdout)")
        #expect(try repo.run(["describe", "owners"]).stdout == "owners of the repository\n")
        let unknown = try repo.run(["describe", "nothing"])
        #expect(unknown.exitCode == 64 && unknown.stderr.contains("Unexpected argument 'nothing'"), "\(unknown.stderr)")
        #expect(try repo.run(["describe", "stacks", "--format", "json"]).exitCode == 0)
    }

    @Test("a command that calls itself stops at depth 10 (atmos's ATMOS_SHLVL circuit breaker), exit 1")
    func recursionStops() throws {
        let repo = try FixtureRepository("custom-commands")
        let run = try repo.run(["loop"])
        #expect(run.exitCode == 1)
        #expect(run.stdout == (1...10).map { "level \($0)\n" }.joined(), "\(run.stdout)")
        #expect(run.stderr.contains("ATMOS_SHLVL exceeds maximum allowed depth. Infinite recursion? current=11, max=10"), "\(run.stderr)")
    }
}
