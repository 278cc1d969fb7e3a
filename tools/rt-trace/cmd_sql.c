/* cmd_sql.c - `rt-trace sql`: run one SQL statement on the database
 * (opened read-only) and print its rows in the chosen format (the rows
 * become a result in analysis/query/rows.c). The SQL
 * functions of sqlfuncs.c (percentile, duration_text) are available.
 *
 * Cost: the statement's own; every row is buffered for output.
 */
#include "args.h"
#include "commands.h"
#include "queries.h"

#include <ctype.h>
#include <stdio.h>

static const char usage[] =
    "usage: rt-trace sql DB \"SELECT ...\" [--format table|json|csv]\n"
    "\n"
    "Runs one SQL statement on DB (read-only) and prints its rows. Tables and\n"
    "columns: docs/schema.md. Extra functions:\n"
    "  percentile(value, p)  aggregate, exact, p in [0, 100], numpy-style\n"
    "                        linear interpolation; NULLs ignored\n"
    "  duration_text(ns)     \"1.23 ms\"\n"
    "\n"
    "example: rt-trace sql run.db \"SELECT priority, COUNT(*),\n"
    "           percentile(finished_ts - started_ts, 99) AS p99_ns\n"
    "         FROM tasks GROUP BY priority\" --format csv\n";

static int only_space(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s) && *s != ';')
            return 0;
    return 1;
}

int rtt_cmd_sql(int argc, char **argv)
{
    rtt_qopts_t o;
    int rc = rtt_qparse(&o, "sql", argc, argv, 0, NULL, NULL, NULL, 2, 2, usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, o.pos[1], -1, &st, &tail) != SQLITE_OK) {
        rtt_qerr(&o, "%s: %s", sqlite3_errmsg(db), o.pos[0]);
        sqlite3_close(db);
        return 1;
    }
    if (!st) {
        rtt_qerr(&o, "no SQL statement given");
        sqlite3_close(db);
        return 2;
    }
    if (tail && !only_space(tail)) {
        rtt_qerr(&o, "only one SQL statement is allowed; extra text: '%.40s'", tail);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return 2;
    }
    rtt_out_t *out = NULL;
    char err[512] = "";
    rc = rtt_query_rows(db, st, &out, err, sizeof err);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc ? rtt_qfail(&o, err) : rtt_qwrite(&o, out);
}
