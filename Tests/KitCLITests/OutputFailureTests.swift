import Foundation
import Testing

/// Output that cannot be written is an error with an exit code, not a crash or a silent success.
@Suite("output failures")
struct OutputFailureTests {
    @Test("describe stacks into a full device: one error line and exit 74")
    func fullDevice() throws {
        let repo = try FixtureRepository("acme")
        let err = repo.root.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = try KitBinary.isolated()
        process.arguments = ["describe", "stacks", "--format", "json"]
        process.currentDirectoryURL = repo.root
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                               "HOME": FixtureRepository.home, "NO_COLOR": "1"]
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { Issue.record("no /dev/full"); return }
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = full
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try errHandle.close()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 74)
        let stderr = try String(contentsOf: err, encoding: .utf8)
        #expect(stderr == "kit: error: cannot write the output: No space left on device\n", "\(stderr)")
    }
}
