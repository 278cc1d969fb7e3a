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
#include <string.h>

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

/* Past blanks, semicolons and comments ("-- to the line end", C-style
 * comments, unclosed ones to the end as SQLite reads them): what may follow
 * the one statement. */
static const char *skip_blank(const char *s)
{
    for (;;) {
        if (isspace((unsigned char)*s) || *s == ';') {
            s++;
        } else if (s[0] == '-' && s[1] == '-') {
            s += strcspn(s, "\n");
        } else if (s[0] == '/' && s[1] == '*') {
            const char *end = strstr(s + 2, "*/");
            s = end ? end + 2 : s + strlen(s);
        } else {
            return s;
        }
    }
}

/* The first 40 bytes of s on one line: control characters escaped
 * (\n, \t, \xNN), "..." when cut. */
static void one_line(const char *s, char *buf, size_t len)
{
    size_t n = 0, i = 0;
    for (; s[i] && i < 40 && n + 8 < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n')
            n += (size_t)snprintf(buf + n, len - n, "\\n");
        else if (ch == '\t')
            n += (size_t)snprintf(buf + n, len - n, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            n += (size_t)snprintf(buf + n, len - n, "\\x%02x", ch);
        else
            buf[n++] = (char)ch;
    }
    buf[n] = '\0';
    if (s[i])
        snprintf(buf + n, len - n, "...");
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
    const char *extra = tail ? skip_blank(tail) : "";
    if (*extra) {
        char shown[200];
        one_line(extra, shown, sizeof shown);
        rtt_qerr(&o, "only one SQL statement is allowed; extra text: '%s'", shown);
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
