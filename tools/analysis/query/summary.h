/* summary.h - the overview of a run (summary.c): trace identity and
 * duration, per-kind counts and latency statistics, interactions, drops per
 * reason and tracer loss, as one structure. Cost: one scan per item table
 * plus a radix sort per measure, then the interactions rebuild; about 1 s
 * for 1 M tasks. */
#ifndef RTT_SUMMARY_H
#define RTT_SUMMARY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "interactions.h"
#include "measures.h"
#include "queries.h"
#include "result.h"

#define RTT_MAX_REASONS 32

/* One kind (rtt_kinds[] order): rows, its counters, its measures' stats. */
typedef struct rtt_kind_summary {
    int64_t count;
    int64_t sums[RTT_MAX_SUMS];
    int64_t extra[3];
    rtt_stats_t s[RTT_MAX_MEASURES];
} rtt_kind_summary_t;

typedef struct rtt_summary {
    rtt_bounds_t bounds;
    rtt_kind_summary_t kinds[8];
    rtt_interaction_stats_t interactions;
    char reason_names[RTT_MAX_REASONS][32]; /* every known drop reason */
    int64_t drops[RTT_MAX_REASONS];
    int nreasons;
    int64_t drops_total;
    rtt_tracer_loss_t loss;
    rtt_ix_hint_t hint; /* why 0 keystrokes (queries.h); not in the JSON */
} rtt_summary_t;

/* Returns 0, or -1 with one line in err. Loads the interactions model
 * (the larger part of the cost: every item row read again). */
int rtt_summary_compute(sqlite3 *db, rtt_summary_t *sm, char *err, size_t errlen);

/* The same, with the interactions model of the whole of db already loaded
 * (rtt_interactions_load): a caller that keeps one (the viewer's API) does
 * not pay for a second load. ix NULL: loaded here, as above. */
int rtt_summary_compute_with(sqlite3 *db, const rtt_interactions_t *ix, rtt_summary_t *sm,
                             char *err, size_t errlen);

/* Calls fn(ctx, key, value) for "count" and each counter of kind i
 * (incomplete, failed, voided, ...), in the contract's order. */
void rtt_summary_each_counter(size_t i, const rtt_kind_summary_t *r,
                              void (*fn)(void *ctx, const char *key, int64_t v),
                              void *ctx);

/* The summary as result tables: trace, counts, latency, interactions,
 * drops. NULL if out of memory. */
rtt_out_t *rtt_summary_result(const rtt_summary_t *sm);

/* The same for people (table format): when sm->hint applies, a "hint"
 * record (rtt_out_interactions_hint) follows "interactions". JSON and CSV
 * use rtt_summary_result, so the hint is never part of them. */
rtt_out_t *rtt_summary_table_result(const rtt_summary_t *sm);

#endif
