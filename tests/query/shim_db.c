/* shim_db.c - stand-in for tools/analysis/store/db.c, used only to build
 * rt-trace-query-shim when the real rt-trace target is not in the build
 * (this directory configured on its own). Opens an existing database
 * read-only or read-write, checks PRAGMA user_version, registers the SQL
 * functions. O(1).
 */
#include "db.h"

#include <stdio.h>
#include <sys/stat.h>

int rtt_db_open(const char *path, int readonly, sqlite3 **out, char *err,
                size_t errlen)
{
    struct stat sb;
    *out = NULL;
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "no such database: %s", path);
        return -1;
    }
    sqlite3 *db;
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database: %s", path);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_stmt *st;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (version < 0 ||
        sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL)) {
        snprintf(err, errlen, "not an rt-trace database (not SQLite): %s", path);
        sqlite3_close(db);
        return -1;
    }
    if (version != RTT_SCHEMA_VERSION) {
        snprintf(err, errlen, "database schema version %d, expected %d: %s", version,
                 RTT_SCHEMA_VERSION, path);
        sqlite3_close(db);
        return -1;
    }
    rtt_register_sql_functions(db);
    *out = db;
    return 0;
}
