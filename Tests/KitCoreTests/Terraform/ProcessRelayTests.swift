import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// kit starts every program under a one-thread relay process (CKitProcess `kit_spawn`): the program
/// ends with its own status as kit sees it, and when the relay dies (kit killed) the program hears
/// SIGTERM exactly once — terraform exits at once, without writing its state, on a second one.
@Suite struct ProcessRelayTests {
    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kit-relay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("the relay ends with the program's exit code, or with the signal that ended it")
    func statusIsRelayed() throws {
        let runner = SystemProcessRunner()
        let exited = try runner.run("/bin/sh", ["-c", "exit 3"], cwd: "/", env: ["PATH": "/usr/bin:/bin"],
                                    stdout: .capture, stderr: .inherit, nullStdin: true, keepDescriptor: nil)
        #expect(exited.termination == .exited(3))
        let signaled = try runner.run("/bin/sh", ["-c", "kill -USR1 $$"], cwd: "/", env: ["PATH": "/usr/bin:/bin"],
                                      stdout: .capture, stderr: .inherit, nullStdin: true, keepDescriptor: nil)
        #expect(signaled.termination == .signaled(SIGUSR1))
        let output = try runner.run("/bin/sh", ["-c", "printf hello"], cwd: "/", env: ["PATH": "/usr/bin:/bin"],
                                    stdout: .capture, stderr: .inherit, nullStdin: true, keepDescriptor: nil)
        #expect(String(decoding: output.stdout, as: UTF8.self) == "hello")
    }

    @Test("the relay has one thread, and when it is killed the program hears SIGTERM exactly once")
    func oneDeathSignal() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let heard = dir + "/heard", relay = dir + "/relay", done = dir + "/done"
        // The program records each SIGTERM, keeps listening for 1.5 s after the first, then says it is done.
        let script = """
            n=0; trap 'echo TERM >> "$HEARD"; n=1' TERM
            echo $PPID > "$RELAY.tmp"; mv "$RELAY.tmp" "$RELAY"
            i=0; while [ $n -eq 0 ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
            j=0; while [ $j -lt 30 ]; do sleep 0.05; j=$((j+1)); done
            touch "$DONE"
            """
        let env = ["PATH": "/usr/bin:/bin", "HEARD": heard, "RELAY": relay, "DONE": done]
        let finished = DispatchSemaphore(value: 0)
        let result = LockedValue<ProcessResult?>(nil)
        Thread.detachNewThread {
            result.current = (try? SystemProcessRunner().run("/bin/sh", ["-c", script], cwd: dir, env: env,
                                                      stdout: .capture, stderr: .inherit, nullStdin: true, keepDescriptor: nil))
            finished.signal()
        }
        var relayPID: Int32 = 0
        for _ in 0..<200 where relayPID == 0 {
            if let text = try? String(contentsOfFile: relay, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                relayPID = pid
            } else {
                usleep(20_000)
            }
        }
        #expect(relayPID > 0 && relayPID != getpid(), "the program's parent is the relay, not kit")
        let status = (try? String(contentsOfFile: "/proc/\(relayPID)/status", encoding: .utf8)) ?? ""
        #expect(status.split(separator: "\n").contains("Threads:\t1"), "the relay must have one thread:\n\(status)")
        kill(relayPID, SIGKILL)
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(result.current?.termination == .signaled(SIGKILL), "kit sees the relay's end")
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: done) { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: done), "the program kept running after one SIGTERM")
        let lines = ((try? String(contentsOfFile: heard, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(lines == ["TERM"], "the program heard \(lines.count) SIGTERM(s)")
    }
}
