/* export_internal.h - what chrome.c (the slices, instants and counters),
 * flows.c (the cause links) and lanes.c (processes and tracks) share: the
 * statement loop (each_row.c) and the stream context. Private to export/. */
#ifndef RTT_EXPORT_INTERNAL_H
#define RTT_EXPORT_INTERNAL_H

#include "chrome.h"
#include "jsonw.h"
#include "lanes.h"

typedef struct xctx {
    sqlite3 *db;
    jw_t *w;
    const lanes_t *lanes;
    const rtt_export_opts_t *o;
    rtt_export_counts_t *n;
    char *err;
    size_t errlen;
    void *aux; /* the current stream's own state (flows.c) */
} xctx_t;

/* Called per row; returns 0, or -1 with x->err filled. */
typedef int (*x_row_fn)(xctx_t *x, sqlite3_stmt *st);

/* Called per row of x_rows with its ctx: 0 to go on, else the value
 * x_rows returns (-1 with the error filled by fn). */
typedef int (*x_rows_fn)(void *ctx, sqlite3_stmt *st);

/* Prepare sql (no parameters) on db, call fn on each row, finalize: the
 * only statement loop of export/ (each_row.c). 0; -1 SQL error, err
 * "what: SQLite's message"; else fn's nonzero return, err as fn left it.
 * One query's scan. */
int x_rows(sqlite3 *db, const char *sql, const char *what, char *err, size_t errlen,
           x_rows_fn fn, void *ctx);

/* x_rows for a stream: fn gets x. 0; -1 SQL error (err names what) or fn
 * failed; -2 the sink failed (checked after each row). One query's scan. */
int x_each(xctx_t *x, const char *sql, const char *what, x_row_fn fn);

/* flows.c: one "s"/"f" pair per cause link between two slices, and per
 * render request to the render that served it. Three streaming queries
 * plus up to five primary-key lookups per link. Same returns. */
int x_flows(xctx_t *x);

#endif
