#include <sqlite3.h>

/// Leaves the write-ahead log in place when the connection closes instead of checkpointing it into the
/// database: closing the last connection would otherwise sync the log and the database (and a new log
/// would be created, and its folder synced, by the next process), several milliseconds per kit run.
/// The log is checkpointed when it grows past SQLite's automatic checkpoint size. A shim because
/// `sqlite3_db_config` is variadic, which Swift cannot call. Returns an SQLite result code.
static inline int kit_sqlite3_keep_wal_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
