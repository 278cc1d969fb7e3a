/* timeline.h - the viewer's range and distribution queries (this folder):
 * what `rt-trace view` and `rt-trace report` serve besides the CLI's own
 * queries. Like queries.h they return a typed result (result.h) and print
 * nothing, so any front-end can present them.
 *
 * Times in and out are ns from the trace start (the CLI's --from/--to),
 * never absolute trace timestamps: those exceed JavaScript's 2^53.
 *
 *   buckets.c    rtt_timeline_ticks, rtt_timeline_drops: a range cut into
 *                N equal buckets, summed in one pass over the rows, or
 *                the rows themselves when there are no more than N
 *   slices.c     rtt_timeline_tasks: the tasks overlapping a range as
 *                slices, or per (bucket, priority) aggregates above a limit
 *   waterfall.c  rtt_timeline_chain: one interaction's tree as a waterfall
 *   dist.c       rtt_query_dist, rtt_query_shift: log-binned histogram and
 *                quantiles of one measure; two runs' shift function with
 *                compare's estimator and bootstrap interval (shift.h)
 *
 * Each returns 0 with *result set (caller frees), or -1 with err filled.
 */
#ifndef RTT_TIMELINE_H
#define RTT_TIMELINE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "interactions.h"
#include "measures.h"
#include "result.h"

/* What the range queries read once per database and keep: the bounds and
 * the longest task and tick (so that "overlaps [lo, hi)" can use the
 * index on the start time). rtt_timeline_open: one scan of tasks and
 * ticks. The interactions set is loaded on first use (chain, the
 * interaction distributions), each kind's values likewise (dist.c). */
#define RTT_TL_KINDS 8 /* at least rtt_nkinds */

typedef struct rtt_timeline {
    sqlite3 *db;
    rtt_bounds_t b;
    int64_t max_task_ns; /* longest finished - queued */
    int64_t max_tick_ns;
    rtt_interactions_t *ix; /* NULL until loaded */
    /* Each kind's whole-run values of every measure in the run's order
     * (rtt_kind_collect, ungrouped; index as rtt_kinds[]), kept from the
     * first distribution or shift of that kind: one scan per kind, not
     * one per measure asked. NULL until then. */
    rtt_groups_t *whole[RTT_TL_KINDS];
} rtt_timeline_t;

int rtt_timeline_open(sqlite3 *db, rtt_timeline_t *tl, char *err, size_t errlen);
void rtt_timeline_close(rtt_timeline_t *tl); /* does not close db */

/* A range [from, to) in ns from the trace start; to <= from or to < 0: to
 * the end of the trace. buckets: 1 to 20000. */
typedef struct rtt_trange {
    int64_t from, to;
    int buckets;
} rtt_trange_t;

/* Ticks: section "range" (from, to, buckets, width, budget, ticks), then
 * either "ticks" (start, duration, rendered, over) when the range holds at
 * most `buckets` ticks, or "buckets" (bucket, count, max, over, rendered):
 * only non-empty buckets. over: duration > budget_ns (<= 0: 16.7 ms). */
int rtt_timeline_ticks(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t budget_ns,
                       rtt_out_t **result, char *err, size_t errlen);

/* Runtime drops per bucket and reason (bucket, reason, count), and tracer
 * loss per bucket (bucket, events, packets) from tracer_loss begin_ts. */
int rtt_timeline_drops(const rtt_timeline_t *tl, const rtt_trange_t *r,
                       rtt_out_t **result, char *err, size_t errlen);

/* Tasks overlapping the range: "range" (from, to, buckets, tasks), then
 * "tasks" (proc, id, cause, priority, name, queued, started, finished)
 * when at most limit, else "lanes" (bucket, priority, count, busy, max):
 * per bucket of its start, the tasks that started there, their summed and
 * longest run time. */
int rtt_timeline_tasks(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t limit,
                       rtt_out_t **result, char *err, size_t errlen);

/* The interaction whose root is command `command_id` of `proc`: sections
 * "interaction" (its cut points p0..p4, latency and parts, name),
 * "items" (kind, id, cause, name, priority, queued, started, finished: every
 * item of its tree plus its render) and "meanwhile" (the tasks outside its
 * tree that ran during it, longest first, at most 20). Loads the
 * interactions once (tl->ix). Error "no interaction ..." when none. */
int rtt_timeline_chain(rtt_timeline_t *tl, int64_t proc, int64_t command_id,
                       rtt_out_t **result, char *err, size_t errlen);

/* One measure (kind "task", measure "run_time"; kind "interaction",
 * measure "latency" too) over the whole run, optionally one group (by
 * "priority"/"type"/"name" and key, its value as text): "stats" (count,
 * min, p50, p90, p99, max), "hist" (lo, hi, count: nbins log-spaced bins
 * from min to max), "quantiles" (q, value: 101 points, 0 to 1). */
int rtt_query_dist(rtt_timeline_t *tl, const char *kind, const char *measure,
                   const char *by, const char *key, int nbins, rtt_out_t **result,
                   char *err, size_t errlen);

/* The shift function of two runs for one measure: "shift" (q, base, new,
 * diff, diff_lo, diff_hi, rel, rel_lo, rel_hi, assessed, method) at the
 * deciles 0.1 .. 0.9: rt-trace compare's Harrell-Davis estimates and 99%
 * bootstrap interval (rtt_cmp_quantiles, its defaults; values in run
 * order, time blocks resampled); intervals null where not assessed. */
int rtt_query_shift(rtt_timeline_t *base, rtt_timeline_t *cur, const char *kind,
                    const char *measure, const char *by, const char *key,
                    rtt_out_t **result, char *err, size_t errlen);

#endif
