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
 * Live use (tools/analysis/live/): an observer sees every row as it is
 * made (the same pairing feeds the live figures), rtt_rows_checkpoint()
 * writes everything made so far so the caller can COMMIT each interval,
 * and a NULL connection pairs without storing (rows go to the observer
 * only; memory stays O(items open at once)).
 *
 * Every function returns 0 or -1 with rtt_rows_errmsg() saying why.
 */
#ifndef RTT_INGEST_ROWS_H
#define RTT_INGEST_ROWS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rtt_rows rtt_rows_t;

/* The tables rows are made for, in the order of their columns' statements
 * (rows.c sql_text): an observer gets the table and its values. */
enum rtt_row_table {
    RTT_ROW_TASK, RTT_ROW_DISPATCH, RTT_ROW_TIMER_ARM, RTT_ROW_TIMER_CANCEL,
    RTT_ROW_FIRE, RTT_ROW_COMMAND, RTT_ROW_TICK, RTT_ROW_RREQ, RTT_ROW_RENDER,
    RTT_ROW_DROP, RTT_ROW_STATE, RTT_ROW_STATS, RTT_ROW_LOSS, RTT_ROW_PROC,
    RTT_ROW_INPUT, RTT_ROW__COUNT
};

struct rtt_val;
/* Called for every row once its values are filled, before it goes to the
 * writer: v[1..] are its columns (1-based like SQL parameters, see the
 * INSERTs of rows.c). v is valid during the call only. */
typedef void (*rtt_rows_observer_fn)(void *ctx, int table, const struct rtt_val *v);

/* Prepares every statement on db (which must already be inside the ingest
 * transaction). db NULL: pair only, store nothing (rows reach the observer;
 * trace rows are numbered 1, 2, ...). NULL on failure with err filled. */
rtt_rows_t *rtt_rows_create(sqlite3 *db, char *err, size_t errlen);
void rtt_rows_destroy(rtt_rows_t *r);

const char *rtt_rows_errmsg(const rtt_rows_t *r);

/* Every row from now on is shown to fn(ctx, ...) first; fn NULL: none. */
void rtt_rows_set_observer(rtt_rows_t *r, rtt_rows_observer_fn fn, void *ctx);

/* Write every row made so far (partial batches too) and wait until the
 * writer is idle: the caller may then COMMIT and BEGIN on the connection.
 * Items still open stay open. No-op without a connection. 0 or -1. */
int rtt_rows_checkpoint(rtt_rows_t *r);

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
