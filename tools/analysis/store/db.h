/* db.h - opening and creating rt-trace databases (db.c).
 *
 * The schema is schema.sql (embedded at build time); its version is
 * PRAGMA user_version. */
#ifndef RTT_DB_H
#define RTT_DB_H

#include <sqlite3.h>
#include <stddef.h>

#define RTT_SCHEMA_VERSION 4

/* Open an existing database. Fails (returns -1, err filled with one line
 * naming the path) if the file is missing, not SQLite, or of another schema
 * version. readonly: open with SQLITE_OPEN_READONLY; a hot journal (a
 * writer killed mid-transaction) is rolled back first through a
 * read-write open, or the error says it cannot be. Registers the SQL
 * functions every query uses (percentile(value, p) aggregate, see
 * sqlfuncs.c). */
int rtt_db_open(const char *path, int readonly, sqlite3 **out, char *err,
                size_t errlen);

/* Open path for writing, creating it with the schema if it does not exist;
 * an existing database must be of RTT_SCHEMA_VERSION. Same errors. */
int rtt_db_open_or_create(const char *path, sqlite3 **out, char *err,
                          size_t errlen);

/* Roll back the hot journal of path, if it has one (a writer was killed
 * mid-transaction): afterwards a read-only open works. 0, or -1 with one
 * line in err (e.g. no write permission). Cost: one open and one read of
 * the header page when there is no journal to roll back. */
int rtt_db_recover(const char *path, char *err, size_t errlen);

/* Register percentile(value, p) (p in [0,100], exact, nearest-rank with
 * linear interpolation like numpy's default) on db. sqlfuncs.c. */
int rtt_register_sql_functions(sqlite3 *db);

#endif
