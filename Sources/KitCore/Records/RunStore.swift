import CSQLite
import Foundation
import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// The run records database: an SQLite file, normally `<repo>/.kit/runs.db`.
///
/// Opening creates missing folders (mode 0700) and the file (mode 0600), sets a busy timeout so several
/// kit processes can write at once, switches to the WAL journal, and migrates the schema to the current
/// version (see `RunStoreSchema`). One store may be shared by many threads: calls are serialised on
/// one connection. Every failure is a `RunStoreError`; a run that cannot be written is never dropped.
public final class RunStore: Sendable {
    /// How long a call waits for another process's lock before failing, in milliseconds.
    public static let busyTimeoutMilliseconds: Int32 = 10_000

    /// The database file.
    public let path: String
    private let connection: Mutex<SQLiteConnection>

    /// Where the run database of a repository lives: `<state directory>/runs.db`.
    public static func path(in config: KitConfig) -> String {
        Paths.join(config.stateDirectory, "runs.db")
    }

    /// Opens the database at `path`, creating it (and its folders) when missing, and migrates it.
    public convenience init(path: String) throws {
        try self.init(path: path, migrations: RunStoreSchema.migrations)
    }

    /// Opens the database with an explicit migration list (tests add a future version with it).
    init(path: String, migrations: [RunStoreSchema.Migration]) throws(RunStoreError) {
        self.path = path
        try RunStoreFile.prepare(path)
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)")
            try connection.execute("PRAGMA foreign_keys = ON")
            // Reading the header here turns a file that is not a database into an error at open time.
            _ = try connection.integerPragma("user_version")
            // Switching a new database to WAL needs an exclusive lock, and SQLite does not call the busy
            // handler for it: when another kit process is creating the database at the same moment, retry.
            var attempts = 0
            while true {
                do {
                    try connection.execute("PRAGMA journal_mode = WAL")
                    break
                } catch where (error.code & 0xFF) == 5 && attempts < Int(Self.busyTimeoutMilliseconds / 20) {
                    attempts += 1
                    usleep(20_000)
                }
            }
            try connection.execute("PRAGMA synchronous = NORMAL")
        } catch {
            throw .sqlite(path: path, operation: .open, code: error.code, message: error.message)
        }
        try Self.migrate(connection, path: path, migrations: migrations)
        self.connection = Mutex(connection)
    }

    /// Applies the migrations the database lacks, all in one transaction.
    private static func migrate(_ connection: SQLiteConnection, path: String,
                                migrations: [RunStoreSchema.Migration]) throws(RunStoreError) {
        do {
            try connection.immediateTransaction {
                let version = Int(try connection.integerPragma("user_version"))
                if version > migrations.count {
                    throw RunStoreError.newerSchema(path: path, version: version, supported: migrations.count)
                }
                if version == migrations.count { return }
                for migration in migrations[version...] {
                    for statement in migration.statements { try connection.execute(statement) }
                }
                // A pragma takes no bound parameters; the value is our own integer.
                try connection.execute("PRAGMA user_version = \(migrations.count)")
            }
        } catch let error as RunStoreError {
            throw error
        } catch let error as SQLiteFailure {
            throw .sqlite(path: path, operation: .migrate, code: error.code, message: error.message)
        } catch {
            throw .sqlite(path: path, operation: .migrate, code: SQLITE_ERROR, message: "\(error)")
        }
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try connection.withLock { connection throws(RunStoreError) in
            do throws(SQLiteFailure) { return Int(try connection.integerPragma("user_version")) } catch {
                throw .sqlite(path: path, operation: .read, code: error.code, message: error.message)
            }
        }
    }

    /// Stores `run` (its `id` is ignored) with its findings, and returns the id it was given.
    @discardableResult
    public func insert(_ run: RecordedRun) throws -> Int64 {
        try connection.withLock { connection throws(RunStoreError) in
            do {
                return try connection.immediateTransaction { try RunRows.insert(run, into: connection) }
            } catch let error as SQLiteFailure {
                throw .sqlite(path: path, operation: .insert, code: error.code, message: error.message)
            } catch {
                throw .sqlite(path: path, operation: .insert, code: SQLITE_ERROR, message: "\(error)")
            }
        }
    }

    /// Rewrites run `id` (recorded `running` when it started) with how it ended; its start time and
    /// group stay. Inserts `run` instead when the row is gone; returns the id.
    @discardableResult
    public func update(id: Int64, with run: RecordedRun) throws -> Int64 {
        try connection.withLock { connection throws(RunStoreError) in
            do {
                return try connection.immediateTransaction {
                    try RunRows.update(id: id, with: run, in: connection) ? id : try RunRows.insert(run, into: connection)
                }
            } catch let error as SQLiteFailure {
                throw .sqlite(path: path, operation: .insert, code: error.code, message: error.message)
            } catch {
                throw .sqlite(path: path, operation: .insert, code: SQLITE_ERROR, message: "\(error)")
            }
        }
    }

    /// Runs matching every given filter, newest first (ties: higher id first), at most `limit` of them.
    ///
    /// - Parameters:
    ///   - stack: only runs in this stack.
    ///   - component: only runs of this component.
    ///   - since: only runs that started at or after this time.
    ///   - limit: at most this many runs; nil for all.
    public func list(stack: String? = nil, component: String? = nil, since: Date? = nil, limit: Int? = nil) throws -> [RecordedRun] {
        try read { db throws(SQLiteFailure) in
            try RunRows.select(stack: stack, component: component, since: since, limit: limit, from: db)
        }
    }

    /// The run with `id`, or nil when there is none.
    public func run(id: Int64) throws -> RecordedRun? {
        try read { db throws(SQLiteFailure) in try RunRows.select(id: id, from: db) }
    }

    /// Runs SQL on the store's connection (tests use it to damage or limit the database).
    func executeUnchecked(_ sql: String) throws {
        try connection.withLock { connection throws(SQLiteFailure) in try connection.execute(sql) }
    }

    /// Runs a read in one transaction, so a run and its findings are seen together.
    private func read<T>(_ body: (SQLiteConnection) throws(SQLiteFailure) -> T) throws(RunStoreError) -> T {
        try connection.withLock { connection throws(RunStoreError) in
            do throws(SQLiteFailure) {
                try connection.execute("BEGIN")
                defer { try? connection.execute("COMMIT") }
                return try body(connection)
            } catch {
                throw .sqlite(path: path, operation: .read, code: error.code, message: error.message)
            }
        }
    }
}
