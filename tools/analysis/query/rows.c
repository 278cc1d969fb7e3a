/* rows.c - any prepared statement's rows as a result (`rt-trace sql`):
 * each column typed as SQLite returns it. Cost: the statement's own; every
 * row is buffered. */
#include "queries.h"

#include <stdio.h>

int rtt_query_rows(sqlite3 *db, sqlite3_stmt *st, rtt_out_t **result, char *err,
                   size_t errlen)
{
    int rc;
    rtt_out_t *out = rtt_out_new();
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int ncols = sqlite3_column_count(st);
    rtt_out_section(out, "rows", 0);
    for (int c = 0; c < ncols; c++)
        rtt_out_column(out, sqlite3_column_name(st, c), RTT_UNIT_PLAIN);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rtt_out_row(out);
        for (int c = 0; c < ncols; c++) {
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER:
                rtt_out_int(out, sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT:
                rtt_out_float(out, sqlite3_column_double(st, c));
                break;
            case SQLITE_NULL:
                rtt_out_null(out);
                break;
            case SQLITE_BLOB: {
                char buf[48];
                snprintf(buf, sizeof buf, "<blob %d bytes>", sqlite3_column_bytes(st, c));
                rtt_out_text(out, buf);
                break;
            }
            default:
                rtt_out_text(out, (const char *)sqlite3_column_text(st, c));
            }
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        rtt_out_free(out);
        return -1;
    }
    *result = out;
    return 0;
}
