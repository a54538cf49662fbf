import CSQLite
import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Maps `RecordedRun` to rows of the `runs` and `findings` tables and back. Every value is a bound
/// parameter; the SQL text is fixed.
enum RunRows {
    private static let columns = """
        id, run_group, started_at_ms, duration_ms, user, git_commit, stack, component, subcommand, arguments, \
        dry_run, exit_code, result, plan_add, plan_change, plan_destroy, changed_addresses, override_reason
        """

    /// Inserts `run` and its findings; returns the new id. The caller holds the transaction.
    static func insert(_ run: RecordedRun, into db: SQLiteConnection) throws(SQLiteFailure) -> Int64 {
        let statement = try db.prepare("""
            INSERT INTO runs (run_group, started_at_ms, duration_ms, user, git_commit, stack, component, subcommand, \
            arguments, dry_run, exit_code, result, plan_add, plan_change, plan_destroy, changed_addresses, override_reason)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            """)
        try statement.bind(1, run.group)
        try statement.bind(2, milliseconds(run.startedAt))
        try statement.bind(3, Int64(run.durationMilliseconds))
        try statement.bind(4, run.user)
        try statement.bind(5, run.gitCommit)
        try statement.bind(6, run.stack)
        try statement.bind(7, run.component)
        try statement.bind(8, run.subcommand)
        try statement.bind(9, jsonList(run.arguments))
        try statement.bind(10, Int64(run.dryRun ? 1 : 0))
        try statement.bind(11, Int64(run.exitCode))
        try statement.bind(12, run.result)
        try statement.bind(13, run.planAdd.map(Int64.init))
        try statement.bind(14, run.planChange.map(Int64.init))
        try statement.bind(15, run.planDestroy.map(Int64.init))
        try statement.bind(16, jsonList(run.changedAddresses))
        try statement.bind(17, run.overrideReason)
        _ = try statement.step()
        let id = db.lastInsertedRowID
        try insertFindings(run.findings, runID: id, into: db)
        return id
    }

    /// Inserts `findings` of run `id` in order.
    private static func insertFindings(_ findings: [RecordedFinding], runID id: Int64, into db: SQLiteConnection) throws(SQLiteFailure) {
        if findings.isEmpty { return }
        let finding = try db.prepare("""
            INSERT INTO findings (run_id, position, severity, policy, message, path) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        for (position, f) in findings.enumerated() {
            finding.reset()
            try finding.bind(1, id)
            try finding.bind(2, Int64(position))
            try finding.bind(3, f.severity)
            try finding.bind(4, f.policy)
            try finding.bind(5, f.message)
            try finding.bind(6, f.path)
            _ = try finding.step()
        }
    }

    /// Rewrites run `id` with `run`'s fields (its `started_at_ms` and group stay) and replaces its
    /// findings. The caller holds the transaction. False when there is no such row.
    static func update(id: Int64, with run: RecordedRun, in db: SQLiteConnection) throws(SQLiteFailure) -> Bool {
        let statement = try db.prepare("""
            UPDATE runs SET duration_ms = ?2, user = ?3, git_commit = ?4, subcommand = ?5, arguments = ?6, dry_run = ?7, \
            exit_code = ?8, result = ?9, plan_add = ?10, plan_change = ?11, plan_destroy = ?12, changed_addresses = ?13, \
            override_reason = ?14 WHERE id = ?1
            """)
        try statement.bind(1, id)
        try statement.bind(2, Int64(run.durationMilliseconds))
        try statement.bind(3, run.user)
        try statement.bind(4, run.gitCommit)
        try statement.bind(5, run.subcommand)
        try statement.bind(6, jsonList(run.arguments))
        try statement.bind(7, Int64(run.dryRun ? 1 : 0))
        try statement.bind(8, Int64(run.exitCode))
        try statement.bind(9, run.result)
        try statement.bind(10, run.planAdd.map(Int64.init))
        try statement.bind(11, run.planChange.map(Int64.init))
        try statement.bind(12, run.planDestroy.map(Int64.init))
        try statement.bind(13, jsonList(run.changedAddresses))
        try statement.bind(14, run.overrideReason)
        _ = try statement.step()
        guard db.changes > 0 else { return false }
        let clear = try db.prepare("DELETE FROM findings WHERE run_id = ?1")
        try clear.bind(1, id)
        _ = try clear.step()
        try insertFindings(run.findings, runID: id, into: db)
        return true
    }

    /// Runs matching the filters, newest first, ties broken by id (higher first).
    static func select(stack: String?, component: String?, since: Date?, limit: Int?,
                       from db: SQLiteConnection) throws(SQLiteFailure) -> [RecordedRun] {
        // A NULL parameter disables its filter, so the SQL text never depends on the values.
        let statement = try db.prepare("""
            SELECT \(columns) FROM runs
            WHERE (?1 IS NULL OR stack = ?1) AND (?2 IS NULL OR component = ?2) AND (?3 IS NULL OR started_at_ms >= ?3)
            ORDER BY started_at_ms DESC, id DESC
            LIMIT ?4
            """)
        try statement.bind(1, stack)
        try statement.bind(2, component)
        try statement.bind(3, since.map(milliseconds))
        try statement.bind(4, Int64(limit.map { max($0, 0) } ?? -1))
        var runs: [RecordedRun] = []
        while try statement.step() { runs.append(try run(from: statement)) }
        return try withFindings(runs, from: db)
    }

    /// The run with `id`, or nil.
    static func select(id: Int64, from db: SQLiteConnection) throws(SQLiteFailure) -> RecordedRun? {
        let statement = try db.prepare("SELECT \(columns) FROM runs WHERE id = ?1")
        try statement.bind(1, id)
        guard try statement.step() else { return nil }
        return try withFindings([try run(from: statement)], from: db).first
    }

    /// `runs` with their findings filled in, in position order.
    private static func withFindings(_ runs: [RecordedRun], from db: SQLiteConnection) throws(SQLiteFailure) -> [RecordedRun] {
        if runs.isEmpty { return runs }
        let statement = try db.prepare(
            "SELECT severity, policy, message, path FROM findings WHERE run_id = ?1 ORDER BY position")
        var out = runs
        for index in out.indices {
            statement.reset()
            try statement.bind(1, out[index].id)
            while try statement.step() {
                out[index].findings.append(RecordedFinding(
                    severity: statement.text(0), policy: statement.text(1),
                    message: statement.text(2), path: statement.optionalText(3)))
            }
        }
        return out
    }

    /// The run in the current row of a `SELECT \(columns)` statement (without findings).
    private static func run(from row: SQLiteStatement) throws(SQLiteFailure) -> RecordedRun {
        let id = row.int64(0)
        return RecordedRun(
            id: id,
            group: row.optionalText(1),
            startedAt: Date(timeIntervalSince1970: Double(row.int64(2)) / 1000),
            durationMilliseconds: Int(row.int64(3)),
            user: row.text(4),
            gitCommit: row.optionalText(5),
            stack: row.text(6),
            component: row.text(7),
            subcommand: row.text(8),
            arguments: try stringList(row.text(9), column: "arguments", run: id),
            dryRun: row.int64(10) != 0,
            exitCode: Int32(truncatingIfNeeded: row.int64(11)),
            result: row.text(12),
            planAdd: row.optionalInt64(13).map { Int($0) },
            planChange: row.optionalInt64(14).map { Int($0) },
            planDestroy: row.optionalInt64(15).map { Int($0) },
            changedAddresses: try stringList(row.text(16), column: "changed_addresses", run: id),
            findings: [],
            overrideReason: row.optionalText(17))
    }

    /// Milliseconds since 1970 UTC, rounded.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// A list of strings as compact JSON text.
    private static func jsonList(_ items: [String]) -> String {
        JSONWriter.compact(.list(items.map(Value.string)))
    }

    /// The strings of a JSON list column; a damaged value is a corruption error naming the run.
    private static func stringList(_ text: String, column: String, run: Int64) throws(SQLiteFailure) -> [String] {
        guard let items = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw SQLiteFailure(code: SQLITE_CORRUPT, message: "column '\(column)' of run \(run) is not a JSON list of strings")
        }
        return items
    }
}
