import Foundation
import Testing

/// Output that cannot be written is an error with an exit code, not a crash or a silent success.
@Suite("output failures")
struct OutputFailureTests {
    @Test("describe stacks into a full device: one error line and exit 74")
    func fullDevice() throws {
        let repo = try FixtureRepository("acme")
        let run = try repo.run(["describe", "stacks", "--format", "json"], stdoutPath: "/dev/full")
        #expect(run.exitCode == 74)
        #expect(run.stderr == "kit: error: cannot write the output: No space left on device\n", "\(run.stderr)")
    }
}
