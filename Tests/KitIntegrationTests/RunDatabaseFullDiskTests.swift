import Foundation
import Testing

extension KitIntegration {
    /// The run database on a disk that fills up, for real: `.kit/runs.db` is a symlink into a 256 KB
    /// tmpfs (SQLite keeps its -wal and -shm files beside the real file, so every database write
    /// lands there), while terraform's working files stay on the ordinary disk. Filling the tmpfs
    /// makes SQLite's writes fail with ENOSPC, exactly as on a full disk.
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
            let disk = try TinyFilesystem(at: repo.root + "/runs-disk", kilobytes: 256, logDirectory: repo.logs)
            defer { disk.unmount() }
            try FileManager.default.createDirectory(atPath: repo.path(".kit"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: repo.path(".kit/runs.db"), withDestinationPath: disk.path + "/runs.db")
            let database = repo.path(".kit/runs.db")
            let hint = "free space on the disk holding '\(disk.path)' (df -h '\(disk.path)') and run again; the database keeps every earlier run and nothing half-written"

            let first = try repo.kit(["terraform", "plan", "slow", "-s", "local"])
            #expect(first.status == 0, "\(first.output)")
            #expect(try Self.runs(repo).count == 1)

            // 1. The disk is already full when kit starts: the database cannot even be opened, and
            //    terraform still applies.
            #expect(try disk.fill() == ENOSPC)
            let apply = try repo.kit(["terraform", "apply", "slow", "-s", "local", "-auto-approve"])
            #expect(apply.status == 1, "\(apply.output)")
            #expect(apply.stdout.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."), "terraform's result was not reported:\n\(apply.output)")
            #expect(apply.stderr.contains("error: run record not written: cannot open the run database '\(database)': "), "\(apply.stderr)")
            #expect(apply.stderr.contains("(no space left on device) — \(hint)"), "\(apply.stderr)")
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
            #expect(runs.map { $0["subcommand"] as? String } == ["plan", "plan"], "\(runs)")
            #expect(try Self.integrity(database, repo) == "ok")
        }
    }
}
