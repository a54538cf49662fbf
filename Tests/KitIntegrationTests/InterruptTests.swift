import Foundation
import Testing

extension KitIntegration {
    /// SIGINT sent to kit (not terraform) while a provisioner runs: terraform stops cleanly and lets go of the lock.
    @Suite("SIGINT during apply")
    struct InterruptTests {
        @Test("local backend: kit exits non-zero within seconds and a rerun succeeds")
        func localBackend() throws {
            let repo = try ScratchRepository.cases("sigint-local")
            defer { repo.remove() }
            try interruptAndRerun(repo, stack: "local")
        }

        @Test("S3 + DynamoDB backend: kit exits non-zero within seconds, no lock is left, a rerun succeeds")
        func s3DynamoDBBackend() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("sigint-s3", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            try interruptAndRerun(repo, stack: "s3-dynamodb")
            #expect(try moto.dynamoDBLocks().isEmpty, "a lock is left in the DynamoDB table")
        }

        /// A caller may start kit with SIGINT blocked (Foundation's `Process` passes on its thread's
        /// mask; XCTest and swift-testing worker threads block SIGINT). kit promises to forward SIGINT
        /// so that terraform releases its lock, so it must unblock the signals it handles.
        @Test("local backend, kit started with SIGINT blocked: SIGINT still stops terraform")
        func inheritedBlockedSignal() throws {
            let repo = try ScratchRepository.cases("sigint-blocked")
            defer { repo.remove() }
            try interruptAndRerun(repo, stack: "local", sleepSeconds: 8, blockedSignals: [SIGINT, SIGTERM])
        }

        /// `kill -9` of kit cannot be caught: terraform must not outlive it holding the state lock.
        /// kit's children get SIGTERM when kit dies (PR_SET_PDEATHSIG) and keep kit's pair lock until
        /// they exit, so an immediate rerun waits for the dying terraform instead of failing on its lock.
        @Test("kill -9 of kit mid-apply: terraform stops too, and an immediate rerun succeeds")
        func killedKit() throws {
            let repo = try ScratchRepository.cases("sigkill-local")
            defer { repo.remove() }
            let apply = try repo.startKit(["terraform", "deploy", "slow", "-s", "local", "-var", "sleep_seconds=41"])
            try apply.waitForOutput(containing: "Provisioning with 'local-exec'", timeout: 60)
            kill(apply.pid, SIGKILL)
            _ = try apply.wait(timeout: 30)
            let state = repo.repo + "/.kit/state/local/slow/workspaces/local/terraform.tfstate"
            let stateAfterKill = FileManager.default.contents(atPath: state).map { String(decoding: $0.prefix(120), as: UTF8.self) + " (\($0.count) bytes)" } ?? "missing"
            let rerun = try repo.kit(["terraform", "deploy", "slow", "-s", "local", "-var", "sleep_seconds=0"], timeout: 60)
            #expect(rerun.status == 0, "rerun right after kill -9 failed (state right after the kill: \(stateAfterKill)):\n\(rerun.output)\nkilled run's output:\n\(apply.outputSoFar())")
            #expect(!rerun.output.contains("Error acquiring the state lock"), "the killed run's terraform still held the lock:\n\(rerun.output)")
            // No terraform of the killed run is left.
            let ps = try RunningCommand.run("/bin/ps", ["-eo", "args"], cwd: repo.repo, environment: ["PATH": "/usr/bin:/bin"],
                                            logDirectory: repo.logs, label: "ps")
            #expect(!ps.stdout.split(separator: "\n").contains("sleep 41"),
                    "the killed run's provisioner (sleep 41, a duration no other test uses) is still running")
        }

        func interruptAndRerun(_ repo: ScratchRepository, stack: String, sleepSeconds: Int = 20, blockedSignals: [Int32] = []) throws {
            let apply = try repo.startKit(["terraform", "deploy", "slow", "-s", stack, "-var", "sleep_seconds=\(sleepSeconds)"],
                                          blockedSignals: blockedSignals)
            try apply.waitForOutput(containing: "Provisioning with 'local-exec'", timeout: 60)
            usleep(500_000)
            // kit's signal disposition, for the failure message (a blocked or ignored SIGINT explains a hang).
            let signalState = Self.signalLines(apply.pid)
            let sent = Date()
            apply.interrupt()
            let interrupted = try apply.wait(timeout: 30)
            let stopSeconds = Date().timeIntervalSince(sent)
            #expect(interrupted.status != 0, "kit exited 0 after SIGINT (kit's \(signalState)):\n\(interrupted.output)")
            #expect(stopSeconds < 5, "kit took \(stopSeconds) s to stop after SIGINT (kit's \(signalState))")
            #expect(interrupted.output.contains("Interrupt received"), "terraform did not hear the SIGINT sent to kit:\n\(interrupted.output)")

            let rerun = try repo.kit(["terraform", "deploy", "slow", "-s", stack, "-var", "sleep_seconds=0", "-lock-timeout=0s"])
            #expect(rerun.status == 0, "rerun after SIGINT failed:\n\(rerun.output)")
            #expect(!rerun.output.contains("Error acquiring the state lock"), "the lock was not released:\n\(rerun.output)")
            let list = try repo.kit(["terraform", "state", "list", "slow", "-s", stack])
            #expect(list.stdout.split(separator: "\n").map(String.init) == ["terraform_data.slow"], "\(list.output)")
        }

        /// `SigBlk`/`SigIgn`/`SigCgt` of a process (hex masks; SIGINT is bit 1, SIGTERM bit 14).
        static func signalLines(_ pid: Int32) -> String {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").filter { ["SigBlk", "SigIgn", "SigCgt"].contains(String($0.prefix(6))) }
                .map { $0.replacingOccurrences(of: "\t", with: " ") }.joined(separator: ", ")
        }
    }
}
