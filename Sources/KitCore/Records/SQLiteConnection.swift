import CSQLite
import Foundation
import KitModel
import KitStacks
import KitTerraform

/// SQLite's "copy the bytes now" destructor for bound text.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A failed SQLite call: the result code and SQLite's own message.
struct SQLiteFailure: Error, Equatable {
    /// The primary result code (`SQLITE_FULL`, `SQLITE_BUSY`, …).
    var code: Int32
    /// SQLite's message, e.g. `database or disk is full`.
    var message: String

    /// The failure for a result code. An I/O failure whose system error says the disk is full
    /// (`ENOSPC`, `EDQUOT`, or `EFBIG` past a file size limit) becomes `SQLITE_FULL` with the system's
    /// reason appended: SQLite reports a full disk met while sizing its shared-memory or journal
    /// file as a plain `disk I/O error`.
    static func classified(code: Int32, message: String, systemErrno: Int32) -> SQLiteFailure {
        let primary = code & 0xFF
        guard [ENOSPC, EDQUOT, EFBIG].contains(systemErrno), [SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN].contains(primary) else {
            return SQLiteFailure(code: primary, message: message)
        }
        let reason = String(cString: strerror(systemErrno)).lowercased()
        return SQLiteFailure(code: SQLITE_FULL, message: message.contains(reason) ? message : "\(message) (\(reason))")
    }
}

/// One open SQLite database handle. Not thread-safe by itself: `RunStore` keeps it behind a mutex.
// @unchecked: wraps a C `sqlite3 *`; RunStore only touches it while holding its Mutex.
final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Opens the existing or new database file at `path` for reading and writing.
    init(path: String) throws(SQLiteFailure) {
        var db: OpaquePointer?
        // NOFOLLOW: the database (and its -wal/-shm files) are never opened through a symbolic link.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            let systemErrno = db.map { sqlite3_system_errno($0) } ?? 0
            if let db { sqlite3_close_v2(db) }
            throw SQLiteFailure.classified(code: rc, message: message, systemErrno: systemErrno)
        }
        handle = db
        sqlite3_extended_result_codes(db, 0)
        // Every kit run opens and closes the database; a checkpoint at each close cost two syncs.
        let keep = kit_sqlite3_keep_wal_on_close(db)
        if keep != SQLITE_OK { throw failure(keep) }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs SQL that binds nothing and returns no rows (schema, pragmas, transactions).
    func execute(_ sql: String) throws(SQLiteFailure) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        if rc != SQLITE_OK { throw failure(rc) }
    }

    /// A prepared statement for `sql`.
    func prepare(_ sql: String) throws(SQLiteFailure) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw failure(rc) }
        return SQLiteStatement(statement, connection: self)
    }

    /// The rowid of the last successful insert.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int32 { sqlite3_changes(handle) }

    /// The value of an integer pragma such as `user_version`.
    func integerPragma(_ name: String) throws(SQLiteFailure) -> Int64 {
        let statement = try prepare("PRAGMA \(name)")
        guard try statement.step() else { return 0 }
        return statement.int64(0)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT` (the write lock is taken up front, so the busy
    /// timeout applies instead of a deadlock between two readers upgrading); rolls back on error.
    func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The failure for result code `rc`, with the connection's current message.
    func failure(_ rc: Int32) -> SQLiteFailure {
        SQLiteFailure.classified(code: rc, message: String(cString: sqlite3_errmsg(handle)), systemErrno: sqlite3_system_errno(handle))
    }
}

/// A prepared statement: bind by 1-based index, step, read columns by 0-based index.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection

    fileprivate init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds text, or NULL for nil.
    func bind(_ index: Int32, _ value: String?) throws(SQLiteFailure) {
        let rc = value.map { sqlite3_bind_text(statement, index, $0, -1, transient) } ?? sqlite3_bind_null(statement, index)
        if rc != SQLITE_OK { throw connection.failure(rc) }
    }

    /// Binds an integer, or NULL for nil.
    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteFailure) {
        let rc = value.map { sqlite3_bind_int64(statement, index, $0) } ?? sqlite3_bind_null(statement, index)
        if rc != SQLITE_OK { throw connection.failure(rc) }
    }

    /// Steps once: true when a row is available, false when the statement is done.
    func step() throws(SQLiteFailure) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw connection.failure(rc)
        }
    }

    /// Resets the statement so it can run again with new bindings.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// True when column `index` of the current row is NULL.
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    /// Column `index` as an integer (0 for NULL).
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(statement, index) }

    /// Column `index` as an integer, nil for NULL.
    func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

    /// Column `index` as text, nil for NULL.
    func optionalText(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Column `index` as text ("" for NULL).
    func text(_ index: Int32) -> String { optionalText(index) ?? "" }
}
