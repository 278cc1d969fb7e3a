/* export_internal.h - what chrome.c (the slices, instants and counters)
 * and flows.c (the cause links) share. Private to export/. */
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

/* Run sql (no parameters) and call fn on each row. 0; -1 SQL error (err
 * names what); -2 the sink failed. One query's scan. */
int x_each(xctx_t *x, const char *sql, const char *what, x_row_fn fn);

/* flows.c: one "s"/"f" pair per cause link between two slices, and per
 * render request to the render that served it. Three streaming queries
 * plus up to five primary-key lookups per link. Same returns. */
int x_flows(xctx_t *x);

#endif
