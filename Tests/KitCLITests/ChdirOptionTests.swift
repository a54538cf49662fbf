import Testing

/// atmos's global `-C`/`--chdir DIR` (issue 21): kit runs as if started in DIR — configuration
/// discovery, stacks, every path. Fixture `mixed-components`, run from the directory above its copy.
@Suite("-C/--chdir")
struct ChdirOptionTests {
    @Test("each spelling runs the command in the directory", arguments: [
        ["-C", "repo"], ["--chdir", "repo"], ["--chdir=repo"], ["-Crepo"], ["-C", "repo/stacks", "-C", ".."],
    ])
    func spellings(_ flags: [String]) throws {
        let repo = try FixtureRepository("mixed-components")
        let direct = try repo.run(["list", "stacks"])
        let moved = try repo.run(flags + ["list", "stacks"], in: "..")
        #expect(moved.exitCode == 0, "\(moved.stderr)")
        #expect(moved.stdout == direct.stdout)
        #expect(moved.stdout == "dev\ntools\n")
    }

    @Test("without -C the directory above the repository has no stacks")
    func withoutFlagFails() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["list", "stacks"], in: "..")
        #expect(run.exitCode != 0)
    }

    @Test("a directory that does not exist is one error, exit 1, naming it")
    func missingDirectory() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["--chdir", "bad", "version"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains("workdir does not exist"))
        #expect(run.stderr.contains("'bad'"))
        #expect(run.stdout.isEmpty)
    }

    @Test("-C without a directory is a usage error")
    func missingArgument() throws {
        let repo = try FixtureRepository("mixed-components")
        let run = try repo.run(["-C"])
        #expect(run.exitCode == 64)
        #expect(run.stderr.contains("-C needs a directory"))
    }
}
