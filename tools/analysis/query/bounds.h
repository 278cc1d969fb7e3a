/* bounds.h - what every query reads before its own work (bounds.c): the
 * trace's time bounds, time windows, tracer loss totals, and small SQL
 * helpers. */
#ifndef RTT_BOUNDS_H
#define RTT_BOUNDS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rtt_bounds {
    int known;       /* 0: empty database */
    int64_t start;   /* first timestamp (ns) */
    int64_t end;     /* last timestamp */
    int64_t events;  /* rtk events ingested (traces.events) */
    int64_t traces;  /* rows in traces */
} rtt_bounds_t;

/* From the traces table (first_ts/last_ts), else the items' timestamps.
 * Cost: a few indexed MIN/MAX lookups. Returns 0 or -1 (SQL error). */
int rtt_trace_bounds(sqlite3 *db, rtt_bounds_t *b);

/* Absolute [lo, hi); active = 0 when the window is the whole trace. */
typedef struct rtt_window {
    int active;
    int64_t lo, hi;
} rtt_window_t;

/* A window asked for in times from the trace start (--from/--to); an
 * absent end is open. */
typedef struct rtt_span {
    int has_from, has_to;
    int64_t from_ns, to_ns;
} rtt_span_t;

/* The absolute window of span over trace b (span NULL: the whole trace). */
void rtt_window_make(const rtt_bounds_t *b, const rtt_span_t *span, rtt_window_t *w);

/* The first row's first n columns of sql as integers (NULL -> 0; no row ->
 * all 0). Returns 0, or -1 on an SQL error. */
int rtt_sql_ints(sqlite3 *db, const char *sql, int64_t *out, int n);

/* Run sql (?1/?2 bound to w->lo/w->hi when w is active; the caller writes
 * the window test into sql) and collect column 0 as int64 values into a
 * malloc'ed *v (NULL values are counted in *excluded). Returns 0 or -1 with
 * err filled. Cost: the query's scan, amortised O(1) per value. */
int rtt_collect_values(sqlite3 *db, const char *sql, const rtt_window_t *w,
                       int64_t **v, size_t *n, int64_t *excluded, char *err,
                       size_t errlen);

/* The same on a prepared, bound statement, which it finalizes. */
int rtt_collect_stmt(sqlite3 *db, sqlite3_stmt *st, int64_t **v, size_t *n,
                     int64_t *excluded, char *err, size_t errlen);

/* Tracer loss totals: discarded events (sum of known counts), lost packets
 * (a message without a count counts 1), and discarded-events messages that
 * carried no count; beside them the ingest_issues rows (stream files read
 * only up to their damage, files skipped) and the bytes those left unread.
 * Returns 0 or -1. */
typedef struct rtt_tracer_loss {
    int64_t discarded_events, lost_packets, unknown_count_messages;
    int64_t ingest_issues, ingest_issue_bytes;
} rtt_tracer_loss_t;
int rtt_tracer_loss(sqlite3 *db, rtt_tracer_loss_t *l);

#endif
