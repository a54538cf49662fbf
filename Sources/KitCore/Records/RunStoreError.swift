import CSQLite
import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Errors from the run store. Messages are lowercase, name the database file, carry SQLite's (or
/// the system's) message, and end with what to do. A failed write is always one of these: the store
/// never drops a run silently.
public enum RunStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the store was doing when SQLite failed.
    public enum Operation: String, Equatable, Sendable {
        /// Opening the file and setting up the connection.
        case open = "cannot open the run database"
        /// Bringing the schema up to date.
        case migrate = "cannot upgrade the schema of the run database"
        /// Inserting a run.
        case insert = "cannot record the run in"
        /// Reading runs.
        case read = "cannot read runs from"
    }

    /// A folder on the way to the database could not be created.
    case cannotCreateDirectory(path: String, database: String, reason: String)
    /// The database file could not be created or opened (the path is a directory, a folder is
    /// read-only, …).
    case cannotOpen(path: String, reason: String)
    /// The database path is a symbolic link or a hard-linked file: writes would land elsewhere.
    case linked(path: String, reason: String)
    /// SQLite failed; `code` is its primary result code (`SQLITE_FULL` = 13, …).
    case sqlite(path: String, operation: Operation, code: Int32, message: String)
    /// The database has a schema version newer than this kit knows.
    case newerSchema(path: String, version: Int, supported: Int)
    /// A caller asked for a run id that the database does not hold.
    case unknownRun(path: String, id: Int64)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let database, let reason):
            return "cannot create the folder '\(path)' for the run database '\(database)': \(reason) — check free space and permissions of '\(Paths.dirname(path))'"
        case .cannotOpen(let path, let reason):
            return "cannot open the run database '\(path)': \(reason) — \(Self.permissionsHint(path))"
        case .linked(let path, let reason):
            return "refusing to open the run database '\(path)': \(reason) — kit writes run records only to a file of its own and never follows a link there; remove the link (or move the real database to '\(path)')"
        case .sqlite(let path, let operation, let code, let message):
            return "\(operation.rawValue) '\(path)': \(message) — \(Self.hint(code: code, path: path))"
        case .newerSchema(let path, let version, let supported):
            return "the run database '\(path)' has schema version \(version), but this kit supports up to version \(supported) — use a newer kit, or move the file aside to start a new one"
        case .unknownRun(let path, let id):
            return "no run with id '\(id)' in '\(path)' — run 'kit runs list' to see the recorded ids"
        }
    }

    /// The hint for an SQLite result code.
    static func hint(code: Int32, path: String) -> String {
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "another kit process held the database for longer than \(RunStore.busyTimeoutMilliseconds / 1000) s; try again"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return "the file is damaged or is not a kit run database; move it aside and kit starts a new one"
        case SQLITE_FULL:
            let folder = storageFolder(path)
            return "free space on the disk holding '\(folder)' (df -h '\(folder)') and run again; the database keeps every earlier run and nothing half-written"
        default:
            return permissionsHint(path)
        }
    }

    /// The folder that really holds the database file (a symlinked `runs.db` lives elsewhere).
    static func storageFolder(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return Paths.dirname(path) }
        defer { free(resolved) }
        return Paths.dirname(String(cString: resolved))
    }

    /// "check free space and permissions of '<folder>'".
    static func permissionsHint(_ path: String) -> String {
        let folder = Paths.dirname(path)
        return "check free space and permissions of '\(folder.isEmpty ? "." : folder)'"
    }
}
