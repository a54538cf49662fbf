import KitModel
import KitStacks
import KitTerraform
/// The run store's schema, as a list of migrations. `PRAGMA user_version` holds the number of
/// migrations applied; opening a store applies the missing ones in one transaction.
///
/// Policy: a released migration is never edited. A new version appends one migration (e.g. v2 adds a
/// column with `ALTER TABLE runs ADD COLUMN … DEFAULT …`) and bumps nothing else; readers of older
/// versions refuse a newer database instead of guessing (see `RunStoreError.newerSchema`).
enum RunStoreSchema {
    /// One step: the SQL statements that take the schema from version `index` to `index + 1`.
    struct Migration: Sendable {
        /// Statements run in order inside the migration transaction.
        var statements: [String]
    }

    /// Every migration in order; `migrations.count` is the current version.
    static let migrations: [Migration] = [version1]

    /// The schema version this kit writes.
    static var currentVersion: Int { migrations.count }

    /// v1: runs, their findings, and the indexes `kit runs list` needs.
    static let version1 = Migration(statements: [
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_group TEXT,
            started_at_ms INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            user TEXT NOT NULL,
            git_commit TEXT,
            stack TEXT NOT NULL,
            component TEXT NOT NULL,
            subcommand TEXT NOT NULL,
            arguments TEXT NOT NULL,
            dry_run INTEGER NOT NULL,
            exit_code INTEGER NOT NULL,
            result TEXT NOT NULL,
            plan_add INTEGER,
            plan_change INTEGER,
            plan_destroy INTEGER,
            changed_addresses TEXT NOT NULL,
            override_reason TEXT
        )
        """,
        """
        CREATE TABLE findings (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            severity TEXT NOT NULL,
            policy TEXT NOT NULL,
            message TEXT NOT NULL,
            path TEXT,
            PRIMARY KEY (run_id, position)
        )
        """,
        "CREATE INDEX runs_by_time ON runs (started_at_ms DESC, id DESC)",
        "CREATE INDEX runs_by_stack_component ON runs (stack, component, started_at_ms DESC)",
    ])
}
