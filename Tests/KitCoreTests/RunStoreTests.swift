import Foundation
import Synchronization
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The run store: round trips, filters, ordering, file modes, concurrency, migrations and failures.
@Suite struct RunStoreTests {
    /// A fresh directory for one test (below the fixture session root, removed at exit).
    static func scratch() throws -> String {
        var template = Array((FixtureRepo.sessionRoot + "/runs-XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return String(cString: dir)
    }

    static let base = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18T11:06:40Z

    static func run(_ stack: String = "acme-dev", _ component: String = "vpc", at offset: TimeInterval = 0,
                    result: String = "succeeded") -> RecordedRun {
        RecordedRun(startedAt: base.addingTimeInterval(offset), durationMilliseconds: 1200, user: "alice",
                    stack: stack, component: component, subcommand: "plan", exitCode: 0, result: result)
    }

    static func mode(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_mode & 0o7777)
    }

    @Test("every field, including nils, empty lists and hostile text, reads back as written")
    func roundTrip() throws {
        let store = try RunStore(path: try Self.scratch() + "/runs.db")
        let full = RecordedRun(
            group: "grp-7f3a", startedAt: Date(timeIntervalSince1970: 1_795_000_000.123), durationMilliseconds: 93_456,
            user: "bob o'neil", gitCommit: "0123456789abcdef0123456789abcdef01234567", stack: "acme-prod",
            component: "networking/vpc", subcommand: "apply",
            arguments: ["-var", "password=***", "'; DROP TABLE runs; --", "ünïcødé ✓", ""], dryRun: true,
            exitCode: -2, result: "blocked", planAdd: 3, planChange: 0, planDestroy: 12,
            changedAddresses: ["aws_vpc.main", "module.x[\"a\"].aws_subnet.b[0]"],
            findings: [RecordedFinding(severity: "error", policy: "aws.rds.multi_az", message: "'multi_az' is false", path: "vars.multi_az"),
                       RecordedFinding(severity: "warning", policy: "aws.tags.required", message: "tag 'Owner' missing")],
            overrideReason: "incident 42: restore from snapshot")
        let minimal = RecordedRun(startedAt: Self.base, durationMilliseconds: 0, user: "", stack: "s", component: "c",
                                  subcommand: "plan", exitCode: 0, result: "succeeded")
        let fullID = try store.insert(full)
        let minimalID = try store.insert(minimal)
        #expect(fullID != minimalID)
        var expected = full
        expected.id = fullID
        #expect(try store.run(id: fullID) == expected)
        var expectedMinimal = minimal
        expectedMinimal.id = minimalID
        #expect(try store.run(id: minimalID) == expectedMinimal)
        #expect(try store.run(id: 999) == nil)
        #expect(try store.list().count == 2)
        #expect(try store.schemaVersion() == RunStoreSchema.currentVersion)
    }

    @Test("list is newest first, and runs that started at the same time come highest id first")
    func ordering() throws {
        let store = try RunStore(path: try Self.scratch() + "/runs.db")
        let a = try store.insert(Self.run(at: 0))
        let b = try store.insert(Self.run(at: 60))
        let c = try store.insert(Self.run(at: 0))
        let d = try store.insert(Self.run(at: -60))
        #expect(try store.list().map(\.id) == [b, c, a, d])
    }

    @Test("filters by stack, component, since and limit, alone and together")
    func filters() throws {
        let store = try RunStore(path: try Self.scratch() + "/runs.db")
        let devVPC = try store.insert(Self.run("acme-dev", "vpc", at: 0))
        let devRDS = try store.insert(Self.run("acme-dev", "rds", at: 3_600))
        let prodVPC = try store.insert(Self.run("acme-prod", "vpc", at: 7_200))
        let oldProd = try store.insert(Self.run("acme-prod", "vpc", at: -86_400 * 3))
        #expect(try store.list(stack: "acme-dev").map(\.id) == [devRDS, devVPC])
        #expect(try store.list(component: "vpc").map(\.id) == [prodVPC, devVPC, oldProd])
        #expect(try store.list(stack: "acme-prod", component: "vpc").map(\.id) == [prodVPC, oldProd])
        #expect(try store.list(since: Self.base).map(\.id) == [prodVPC, devRDS, devVPC])
        #expect(try store.list(since: Self.base.addingTimeInterval(3_600)).map(\.id) == [prodVPC, devRDS])
        #expect(try store.list(limit: 2).map(\.id) == [prodVPC, devRDS])
        #expect(try store.list(component: "vpc", since: Self.base, limit: 1).map(\.id) == [prodVPC])
        #expect(try store.list(stack: "acme-staging").isEmpty)
        #expect(try store.list(stack: "acme-dev' OR '1'='1").isEmpty)
    }

    @Test("under umask 000 the new folders are 0700 and the database and its WAL files 0600")
    func modes() throws {
        let root = try Self.scratch()
        let path = root + "/repo/.kit/runs.db"
        try ThreadUmask.run(0) {
            let store = try RunStore(path: path)
            try store.insert(Self.run())
            #expect(Self.mode(path) == 0o600)
            #expect(Self.mode(path + "-wal") == 0o600)
            #expect(Self.mode(path + "-shm") == 0o600)
        }
        #expect(Self.mode(root + "/repo") == 0o700)
        #expect(Self.mode(root + "/repo/.kit") == 0o700)
        #expect(Self.mode(path) == 0o600)
    }

    @Test("an existing folder keeps its mode")
    func existingFolderKeepsMode() throws {
        let root = try Self.scratch()
        chmod(root, 0o755)
        _ = try RunStore(path: root + "/runs.db")
        #expect(Self.mode(root) == 0o755)
        #expect(Self.mode(root + "/runs.db") == 0o600)
    }

    @Test("closing a store leaves its write-ahead log for the next one (no checkpoint, no syncs at exit), and the next store reads every run")
    func logKeptAcrossCloses() throws {
        let path = try Self.scratch() + "/runs.db"
        var first: Int64 = 0
        do {
            let store = try RunStore(path: path)
            first = try store.insert(Self.run("acme-dev", "vpc"))
        }
        var info = stat()
        #expect(stat(path + "-wal", &info) == 0 && info.st_size > 0, "the log was checkpointed and removed at close")
        let second = try RunStore(path: path)
        let id = try second.insert(Self.run("acme-dev", "rds", at: 60))
        #expect(try second.list().map(\.id) == [id, first])
        // Past SQLite's automatic checkpoint size the log is copied into the database: it does not grow forever.
        // (1,500 transactions write well over 1,000 log pages; the log restarts after each checkpoint.)
        for i in 0..<1_500 { try second.insert(Self.run("s", "c\(i)", at: Double(i))) }
        #expect(stat(path + "-wal", &info) == 0 && info.st_size < 6 << 20, "log size \(info.st_size)")
        #expect(try second.list().count == 1_502)
    }

    @Test("inserts from 8 threads of one store, and from a second store on the same file, all land")
    func concurrentInserts() throws {
        let path = try Self.scratch() + "/runs.db"
        let store = try RunStore(path: path)
        let other = try RunStore(path: path)
        let threads = 8, perThread = 25
        let failures = Failures()
        let group = DispatchGroup()
        for t in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                for i in 0..<perThread {
                    do { try (t == 0 ? other : store).insert(Self.run("s\(t)", "c\(i)", at: Double(i))) } catch {
                        failures.add("\(error)")
                    }
                }
            }.start()
        }
        group.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        let runs = try store.list()
        #expect(runs.count == threads * perThread)
        #expect(Set(runs.compactMap(\.id)).count == threads * perThread)
        for t in 0..<threads { #expect(try store.list(stack: "s\(t)").count == perThread) }
    }

    @Test("8 connections that create and migrate the same new database at once all succeed, as separate kit processes would")
    func concurrentOpens() throws {
        let path = try Self.scratch() + "/.kit/runs.db"
        let failures = Failures()
        let group = DispatchGroup()
        for t in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                do { try RunStore(path: path).insert(Self.run("s\(t)")) } catch { failures.add("\(error)") }
            }.start()
        }
        group.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        let store = try RunStore(path: path)
        #expect(try store.list().count == 8)
        #expect(try store.schemaVersion() == 1)
    }

    @Test("a file that is not a database is a clear error naming the path")
    func corruptFile() throws {
        let path = try Self.scratch() + "/runs.db"
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        guard case .sqlite(let p, .open, _, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(p == path)
        #expect(error?.description == "cannot open the run database '\(path)': file is not a database — the file is damaged or is not a kit run database; move it aside and kit starts a new one")
    }

    @Test("a path that is a directory is an error naming the path")
    func pathIsDirectory() throws {
        let path = try Self.scratch() + "/runs.db"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        #expect(error == .cannotOpen(path: path, reason: "is a directory"))
        #expect(error?.description.hasPrefix("cannot open the run database '\(path)': is a directory — check free space and permissions of '") == true)
    }

    @Test("a folder that is a file is an error naming the folder and the database")
    func folderIsFile() throws {
        let root = try Self.scratch()
        #expect(FileManager.default.createFile(atPath: root + "/.kit", contents: Data()))
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: root + "/.kit/runs.db") }
        #expect(error == .cannotCreateDirectory(path: root + "/.kit", database: root + "/.kit/runs.db", reason: "not a directory"))
    }

    @Test("a folder kit may not write to is an error naming the path")
    func readOnlyFolder() throws {
        // Root ignores mode bits; sysfs refuses new files even to root.
        let path: String
        if geteuid() == 0 {
            path = "/sys/kit-runs-\(getpid()).db"
        } else {
            let root = try Self.scratch()
            chmod(root, 0o500)
            path = root + "/runs.db"
        }
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        guard case .cannotOpen(let p, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(p == path)
        #expect(error?.description.contains("— check free space and permissions of '\(Paths.dirname(path))'") == true)
    }

    @Test("a write that does not fit is an error with the free-space hint, not a silent skip")
    func fullDatabase() throws {
        let path = try Self.scratch() + "/runs.db"
        let store = try RunStore(path: path)
        try store.insert(Self.run())
        let pages = try store.list().count // force a read so the pages are counted
        #expect(pages == 1)
        try store.executeUnchecked("PRAGMA max_page_count = 1")
        var big = Self.run()
        big.arguments = [String(repeating: "x", count: 200_000)]
        let error = #expect(throws: RunStoreError.self) { try store.insert(big) }
        let folder = RunStoreError.storageFolder(path)
        #expect(error?.description == "cannot record the run in '\(path)': database or disk is full — free space on the disk holding '\(folder)' (df -h '\(folder)') and run again; the database keeps every earlier run and nothing half-written")
        #expect(try store.list().count == 1)
    }

    @Test("an I/O error whose system error is a full disk (or a file size limit) is reported as a full database, with the system's reason")
    func noSpaceIsAFullDatabase() {
        for errnoValue in [ENOSPC, EDQUOT, EFBIG] {
            let failure = SQLiteFailure.classified(code: 10 | (4 << 8), message: "disk I/O error", systemErrno: errnoValue) // SQLITE_IOERR_SHORT_READ-style extended code
            #expect(failure.code == 13)
            #expect(failure.message == "disk I/O error (\(String(cString: strerror(errnoValue)).lowercased()))")
        }
        #expect(SQLiteFailure.classified(code: 10, message: "disk I/O error", systemErrno: EACCES) == SQLiteFailure(code: 10, message: "disk I/O error"))
        #expect(SQLiteFailure.classified(code: 5, message: "database is locked", systemErrno: ENOSPC) == SQLiteFailure(code: 5, message: "database is locked"))
    }

    @Test("the full-disk hint names the folder that really holds a symlinked database")
    func fullDiskHintFollowsSymlinks() throws {
        let elsewhere = try Self.scratch()
        let root = try Self.scratch()
        _ = try RunStore(path: elsewhere + "/runs.db")
        try FileManager.default.createSymbolicLink(atPath: root + "/runs.db", withDestinationPath: elsewhere + "/runs.db")
        let error = RunStoreError.sqlite(path: root + "/runs.db", operation: .insert, code: 13, message: "database or disk is full")
        let real = RunStoreError.storageFolder(elsewhere + "/runs.db")
        #expect(error.description.hasPrefix("cannot record the run in '\(root)/runs.db': database or disk is full — free space on the disk holding '\(real)'"))
        #expect(RunStoreError.storageFolder(root + "/missing.db") == root)
    }

    @Test("a database with schema version 0 (an empty file) is migrated to the current version")
    func migratesEmptyFile() throws {
        let path = try Self.scratch() + "/runs.db"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try RunStore(path: path)
        #expect(try store.schemaVersion() == RunStoreSchema.currentVersion)
        #expect(try store.insert(Self.run()) == 1)
    }

    /// A v2 like the ones this schema expects: a column with a default, and an index.
    static let version2 = RunStoreSchema.Migration(statements: [
        "ALTER TABLE runs ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default'",
        "CREATE INDEX runs_by_workspace ON runs (workspace)",
    ])

    @Test("a v1 database with runs is migrated to a v2 that adds a column; its runs survive")
    func migratesV1ToV2() throws {
        let path = try Self.scratch() + "/runs.db"
        let id = try RunStore(path: path).insert(Self.run("acme-dev", "vpc"))
        let store = try RunStore(path: path, migrations: RunStoreSchema.migrations + [Self.version2])
        #expect(try store.schemaVersion() == 2)
        #expect(try store.run(id: id)?.stack == "acme-dev")
        let second = try store.insert(Self.run("acme-prod", "rds"))
        #expect(try store.list().map(\.id) == [second, id])
        // The new column exists with its default for the old run.
        let connection = try SQLiteConnection(path: path)
        let statement = try connection.prepare("SELECT workspace FROM runs WHERE id = ?1")
        try statement.bind(1, id)
        #expect(try statement.step())
        #expect(statement.text(0) == "default")
    }

    @Test("a failing migration rolls back: version and runs stay as they were")
    func failingMigrationRollsBack() throws {
        let path = try Self.scratch() + "/runs.db"
        try RunStore(path: path).insert(Self.run())
        let broken = RunStoreSchema.Migration(statements: [
            "ALTER TABLE runs ADD COLUMN workspace TEXT", "ALTER TABLE no_such_table ADD COLUMN x TEXT",
        ])
        let error = #expect(throws: RunStoreError.self) {
            try RunStore(path: path, migrations: RunStoreSchema.migrations + [broken])
        }
        #expect(error == .sqlite(path: path, operation: .migrate, code: 1, message: "no such table: no_such_table"))
        let store = try RunStore(path: path)
        #expect(try store.schemaVersion() == 1)
        #expect(try store.list().count == 1)
        // The v2 column was rolled back with the rest, so v2 can run again later.
        _ = try RunStore(path: path, migrations: RunStoreSchema.migrations + [Self.version2])
    }

    @Test("a database from a newer kit is refused with its version")
    func newerSchema() throws {
        let path = try Self.scratch() + "/runs.db"
        _ = try RunStore(path: path, migrations: RunStoreSchema.migrations + [Self.version2])
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        #expect(error == .newerSchema(path: path, version: 2, supported: 1))
        #expect(error?.description == "the run database '\(path)' has schema version 2, but this kit supports up to version 1 — use a newer kit, or move the file aside to start a new one")
    }

    @Test("a legacy v0 database that already has a different 'runs' table is an error, untouched")
    func legacyTableConflict() throws {
        let path = try Self.scratch() + "/runs.db"
        let legacy = try SQLiteConnection(path: path)
        try legacy.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, stack TEXT)")
        try legacy.execute("INSERT INTO runs (stack) VALUES ('old')")
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        #expect(error == .sqlite(path: path, operation: .migrate, code: 1, message: "table runs already exists"))
        #expect(try legacy.integerPragma("user_version") == 0)
    }
}

/// Error messages collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = Mutex<[String]>([])
    func add(_ message: String) { lock.withLock { $0.append(message) } }
    var all: [String] { lock.withLock { $0 } }
}
