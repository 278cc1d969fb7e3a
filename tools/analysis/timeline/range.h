/* range.h - the absolute window and bucket width of a range request, and
 * the setup of a windowed answer, shared by buckets.c and slices.c
 * (range.c). O(1) but for the row count of rtt_range_begin. */
#ifndef RTT_TIMELINE_RANGE_H
#define RTT_TIMELINE_RANGE_H

#include "timeline.h"

typedef struct rtt_abs_range {
    int64_t lo, hi; /* absolute [lo, hi) */
    int64_t from, to; /* the same from the trace start */
    int buckets;
} rtt_abs_range_t;

/* Clamp r to the trace and make it absolute. Returns 0, or -1 with err
 * filled (bad bucket count). */
int rtt_range_resolve(const rtt_timeline_t *tl, const rtt_trange_t *r, rtt_abs_range_t *a,
                      char *err, size_t errlen);

/* 1 when a covers more than a quarter of the run: its queries scan the
 * table rather than walk the time index (each index entry costs a probe of
 * the table: on a wide range twice a plain scan). */
int rtt_range_wide(const rtt_timeline_t *tl, const rtt_abs_range_t *a);

/* The bucket of an item that began at ts: (ts - lo) * buckets / (hi - lo),
 * truncated, and 0 for one that began before the window and reaches into
 * it. At least `buckets` for ts >= hi (a task queued in the window that
 * started after it: its lane lies beyond the window, as it always has). */
int64_t rtt_range_bucket(const rtt_abs_range_t *a, int64_t ts);
/* The "range" record every range answer starts with. */
void rtt_range_out(rtt_out_t *o, const rtt_abs_range_t *a, const char *count_name,
                   int64_t count);



/* A windowed answer under way (rtt_range_begin): the window, its bound
 * values, the query form and the row count. */
typedef struct rtt_range_query {
    rtt_abs_range_t a;
    int64_t v[6];     /* ?1 lo, ?2 hi, ?3 buckets, ?4 longest; ?5.. the caller's */
    const char *scan; /* "+" on a wide range (rtt_range_wide), else "" */
    int64_t count;    /* the rows count_sql counted */
    rtt_out_t *o;     /* holds the "range" record */
} rtt_range_query_t;

/* The setup ticks and tasks share: resolve r, bind lo, hi, buckets and
 * longest_ns (the longest item, so one that began before the window and
 * overlaps it is counted), count the rows of count_sql (a format whose
 * two %s take q->scan), and start the answer with the "range" record
 * naming the count count_name. Returns 0, or -1 with err filled (bad
 * range, SQL error, out of memory; nothing to free). Cost: count_sql's
 * scan (an index range over the window, or the table when wide). */
int rtt_range_begin(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t longest_ns,
                    const char *count_sql, const char *count_name, rtt_range_query_t *q,
                    char *err, size_t errlen);

/* sql (a format whose two %s take q->scan) prepared with ?1..?nbind bound
 * from q->v: for a caller that reads the rows itself. NULL with err
 * filled. */
sqlite3_stmt *rtt_range_stmt(const rtt_timeline_t *tl, const rtt_range_query_t *q,
                             const char *sql, int nbind, char *err, size_t errlen);
/* The end they share: the rows of sql (a format whose two %s take
 * q->scan) with ?1..?nbind bound from q->v, appended to q->o's current
 * section, then *result = q->o. Returns 0, or -1 with err filled and q->o
 * freed. Cost: sql's scan. */
int rtt_range_end(const rtt_timeline_t *tl, rtt_range_query_t *q, const char *sql,
                  int nbind, rtt_out_t **result, char *err, size_t errlen);

/* The same end for an answer whose rows a function of the caller's makes
 * (sums them itself): sum(tl, q, ...) appends them to q->o's current
 * section, then *result = q->o; on its failure -1, err filled, q->o
 * freed. */
typedef int (*rtt_range_sum_fn)(const rtt_timeline_t *tl, rtt_range_query_t *q, char *err,
                                size_t errlen);
int rtt_range_end_with(const rtt_timeline_t *tl, rtt_range_query_t *q, rtt_range_sum_fn sum,
                       rtt_out_t **result, char *err, size_t errlen);
/* Step st (bound, prepared), appending one row per result row to the
 * current section of o (integers, floats, text, null as SQLite types
 * them), then finalize it. Returns 0, or -1 with err filled. */
int rtt_range_rows(sqlite3 *db, sqlite3_stmt *st, rtt_out_t *o, char *err, size_t errlen);

/* Prepare sql and bind ?1..?n to v[0..n-1]. NULL with err filled. */
sqlite3_stmt *rtt_range_prepare(sqlite3 *db, const char *sql, const int64_t *v, int n,
                                char *err, size_t errlen);
#endif
