/* range.h - the absolute window and bucket width of a range request, shared
 * by buckets.c and slices.c (range.c). O(1). */
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

/* The "range" record every range answer starts with. */
void rtt_range_out(rtt_out_t *o, const rtt_abs_range_t *a, const char *count_name,
                   int64_t count);



/* Step st (bound, prepared), appending one row per result row to the
 * current section of o (integers, floats, text, null as SQLite types
 * them), then finalize it. Returns 0, or -1 with err filled. */
int rtt_range_rows(sqlite3 *db, sqlite3_stmt *st, rtt_out_t *o, char *err, size_t errlen);

/* Prepare sql and bind ?1..?n to v[0..n-1]. NULL with err filled. */
sqlite3_stmt *rtt_range_prepare(sqlite3 *db, const char *sql, const int64_t *v, int n,
                                char *err, size_t errlen);
#endif
