/* each_row.c - the export's one statement loop (export_internal.h):
 * prepare, step every row through a callback, finalize, with the error
 * named by what the query reads. lanes.c reads its tables through x_rows,
 * chrome.c's streams and flows.c's links through x_each (x_rows with the
 * sink's failure checked after each row). Cost: one query's scan plus
 * the callback per row. */
#include "export_internal.h"

#include <stdio.h>

int x_rows(sqlite3 *db, const char *sql, const char *what, char *err, size_t errlen,
           x_rows_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int r = fn(ctx, st);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

typedef struct each {
    xctx_t *x;
    x_row_fn fn;
} each_t;

/* A row of x_each: the stream's callback, then the sink's state. */
static int each_row(void *ctx, sqlite3_stmt *st)
{
    each_t *e = ctx;
    if (e->fn(e->x, st))
        return -1;
    return e->x->w->failed ? -2 : 0;
}

int x_each(xctx_t *x, const char *sql, const char *what, x_row_fn fn)
{
    each_t e = {x, fn};
    return x_rows(x->db, sql, what, x->err, x->errlen, each_row, &e);
}
