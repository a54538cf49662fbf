import Foundation
import Testing

extension KitIntegration {
    /// The run database on a disk that fills up, for real: `.kit` is a 256 KB tmpfs holding
    /// `runs.db` (SQLite keeps its -wal and -shm files beside it, so every database write lands
    /// there), while `.kit/state` and `.kit/terraform` link to folders on the ordinary disk, so
    /// terraform's working files and state stay there. Filling the tmpfs makes SQLite's writes fail
    /// with ENOSPC, exactly as on a full disk. (Issue 20 §4: kit refuses a `runs.db` that is itself a
    /// link, which is how this test used to put the database on the tmpfs.)
    @Suite("run database on a full disk")
    struct RunDatabaseFullDiskTests {
        static func runs(_ repo: ScratchRepository) throws -> [[String: Any]] {
            let list = try repo.kit(["runs", "list", "--format", "json"])
            guard list.status == 0, let runs = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] else {
                throw IntegrationSetupError("kit runs list failed:\n\(list.output)")
            }
            return runs
        }

        /// `PRAGMA integrity_check` through python3's sqlite3 module.
        static func integrity(_ database: String, _ repo: ScratchRepository) throws -> String {
            let check = try RunningCommand.run(try IntegrationPaths.python(),
                                               ["-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", database],
                                               cwd: repo.root, environment: ProcessInfo.processInfo.environment, logDirectory: repo.logs, label: "integrity-check")
            return check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test("terraform's result is reported, the record failure names the database and the full disk, exit 1; after freeing space the database is intact and runs are recorded again")
        func fullDisk() throws {
            let repo = try ScratchRepository.cases("runs-full-disk")
            defer { repo.remove() }
            let disk = try TinyFilesystem(at: repo.path(".kit"), kilobytes: 256, logDirectory: repo.logs)
            defer { disk.unmount() }
            for folder in ["state", "terraform"] {
                try FileManager.default.createDirectory(atPath: repo.root + "/ordinary-disk/" + folder, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: repo.path(".kit/" + folder), withDestinationPath: repo.root + "/ordinary-disk/" + folder)
            }
            let database = repo.path(".kit/runs.db")
            let hint = "free space on the disk holding '\(disk.path)' (df -h '\(disk.path)') and run again; the database keeps every earlier run and nothing half-written"

            let first = try repo.kit(["terraform", "plan", "slow", "-s", "local"])
            #expect(first.status == 0, "\(first.output)")
            #expect(try Self.runs(repo).count == 1)

            // 1. The disk is already full when kit starts: the database opens (its write-ahead log is
            //    kept between runs, so opening creates no file), the run's first write fails, and
            //    terraform still applies.
            #expect(FileManager.default.fileExists(atPath: database + "-wal"), "the log was not kept after the first run")
            #expect(try disk.fill() == ENOSPC)
            let apply = try repo.kit(["terraform", "apply", "slow", "-s", "local", "-auto-approve"])
            #expect(apply.status == 1, "\(apply.output)")
            #expect(apply.stdout.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."), "terraform's result was not reported:\n\(apply.output)")
            #expect(apply.stderr.contains("error: run record not written: cannot record the run in '\(database)': database or disk is full — \(hint)"), "\(apply.stderr)")
            let state = try TerraformStateFile(path: repo.path(".kit/state/local/slow/workspaces/local/terraform.tfstate"))
            #expect(state.resourceAddresses == ["terraform_data.slow"])

            // 2. The disk fills while terraform runs (the database was opened before): the insert fails.
            try disk.free()
            let replace = try repo.startKit(["terraform", "apply", "slow", "-s", "local", "-auto-approve",
                                             "-replace=terraform_data.slow", "-var=sleep_seconds=2"])
            try replace.waitForOutput(containing: "terraform_data.slow: Creating...", timeout: 120)
            #expect(try disk.fill() == ENOSPC)
            let replaced = try replace.wait(timeout: 120)
            #expect(replaced.status == 1, "\(replaced.output)")
            #expect(replaced.stdout.contains("Apply complete! Resources: 1 added, 0 changed, 1 destroyed."), "\(replaced.output)")
            #expect(replaced.stderr.contains("error: run record not written: cannot record the run in '\(database)': "), "\(replaced.stderr)")
            #expect(replaced.stderr.contains(hint), "\(replaced.stderr)")

            // 3. Space freed: nothing half-written, the next run is recorded.
            try disk.free()
            #expect(try Self.integrity(database, repo) == "ok")
            let again = try repo.kit(["terraform", "plan", "slow", "-s", "local"])
            #expect(again.status == 0, "\(again.output)")
            #expect(!again.stderr.contains("run record not written"), "\(again.stderr)")
            let runs = try Self.runs(repo)
            // Issue 20 §7: the apply of step 2 was recorded `running` before terraform started (space was
            // free then); its end could not be written, so it stays `running` — unknown outcome, not absent.
            // Step 1's apply could not even be begun (the disk was full at open).
            #expect(runs.map { $0["subcommand"] as? String } == ["plan", "apply", "plan"], "\(runs)")
            #expect(runs.map { $0["result"] as? String } == ["succeeded", "running", "succeeded"], "\(runs)")
            #expect(try Self.integrity(database, repo) == "ok")
        }
    }
}
