/* rows.h - turns decoded rtk events into database rows (rows.c).
 *
 * Pairs the halves of each item by (proc, id): tasks (queued, started,
 * finished), dispatches (queued, dispatched), commands (sent, handled),
 * ticks (begin, end), renders (begin, end). A row is written when its item
 * closes; rtt_rows_flush() writes the items still open at the end with the
 * flags of schema.sql. Single-event rows (timer fires, drops, stats, ...)
 * are written at once. Memory is O(items open at once). Rows are written
 * asynchronously by the writer thread (writer.h); only
 * rtt_rows_trace_begin/end use the connection from the calling thread.
 *
 * Every function returns 0 or -1 with rtt_rows_errmsg() saying why.
 */
#ifndef RTT_INGEST_ROWS_H
#define RTT_INGEST_ROWS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rtt_rows rtt_rows_t;

/* Prepares every statement on db (which must already be inside the ingest
 * transaction). NULL on failure with err filled. */
rtt_rows_t *rtt_rows_create(sqlite3 *db, char *err, size_t errlen);
void rtt_rows_destroy(rtt_rows_t *r);

const char *rtt_rows_errmsg(const rtt_rows_t *r);

/* Insert a traces row; *trace_row receives its id. uuid is the identity;
 * an existing row with this uuid is an error unless force, in which case
 * that trace and all its rows are deleted first. */
int rtt_rows_trace_begin(rtt_rows_t *r, const char *uuid, const char *path,
                         const char *hostname, const char *procname,
                         int have_vpid, int64_t vpid, const char *buffering,
                         int force, int64_t *trace_row);
/* Fill in first_ts/last_ts/events at the end. */
int rtt_rows_trace_end(rtt_rows_t *r, int64_t trace_row, int have_ts,
                       int64_t first_ts, int64_t last_ts, int64_t events);

/* The handle of process (trace_row, vpid), creating its procs row on first
 * use. have_vpid 0: the process is unknown (vpid NULL). Returns -1 on error. */
int rtt_rows_proc(rtt_rows_t *r, int64_t trace_row, int have_vpid,
                  int64_t vpid, const char *procname);

/* One rtk event of kind (enum rtt_kind) for process handle proc at ts (ns
 * from the clock's origin). f: the kind's integer fields in the order of
 * ingest_events.c; str: its string field or NULL. */
int rtt_rows_event(rtt_rows_t *r, int proc, int kind, int64_t ts,
                   const int64_t *f, const char *str);

/* A discarded-events/packets message. count < 0: unknown. have_range 0:
 * no time range. */
int rtt_rows_loss(rtt_rows_t *r, int64_t trace_row, const char *stream,
                  const char *what, int64_t count, int have_range,
                  int64_t begin_ts, int64_t end_ts);

/* Write every item still open, flagged for its missing halves. */
int rtt_rows_flush(rtt_rows_t *r);

#endif
