/* summary.c - the summary query (`rt-trace summary`): one overview of a run: trace
 * identity and duration, per-kind counts with latency percentiles,
 * keystroke-to-render interactions (analysis/interactions/), runtime drops per
 * reason and tracer loss.
 *
 * It returns an rtt_summary_t (summary.h); the CLI writes it as the JSON
 * contract for CI scripts (docs/rt-trace.md) or as tables
 * (rtt_summary_result; rtt_summary_table_result adds the first-user hint
 * for a trace with tasks but no keystrokes, table output only).
 *
 * Cost: for each item table one scan (counters and latencies together)
 * plus a radix sort per measure, then the interactions rebuild (one more
 * read of the item tables); about 1 s for 1 M tasks.
 */
#include "summary.h"
#include "satmath.h"

#include "db.h"
#include "queries.h"

#include <stdio.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per-kind counters beyond "count" (rows scanned): SQL expressions summed
 * in the same scan as the latencies, and scalar queries on other tables.
 * One entry per rtt_kinds[] entry, in the same order. */
typedef struct kind_counts {
    const char *sums[RTT_MAX_SUMS + 1];     /* NULL-terminated */
    const char *sum_keys[RTT_MAX_SUMS];
    const char *extra_sql;                  /* one row of integers, or NULL */
    const char *extra_keys[3];
} kind_counts_t;

static const kind_counts_t counters[] = {
    {{"flags <> 0", "outcome IN (1, 2)", "outcome = 3", NULL},
     {"incomplete", "failed", "voided"}, NULL, {NULL}},
    {{"flags <> 0", NULL}, {"incomplete"}, NULL, {NULL}},
    {{"f.missed", NULL}, {"missed_periods"},
     "SELECT COUNT(*), SUM(cancelled_ts IS NOT NULL) FROM timers",
     {"armed", "cancelled", NULL}},
    {{"flags <> 0", NULL}, {"incomplete"}, NULL, {NULL}},
    {{"flags <> 0", "rendered = 1", NULL}, {"incomplete", "rendered"}, NULL, {NULL}},
};


/* Calls fn(key, value) for "count" and each counter of kind i, in order. */
void rtt_summary_each_counter(size_t i, const rtt_kind_summary_t *r,
                         void (*fn)(void *ctx, const char *key, int64_t v), void *ctx)
{
    const kind_counts_t *c = &counters[i];
    fn(ctx, "count", r->count);
    for (int k = 0; c->sums[k]; k++)
        fn(ctx, c->sum_keys[k], r->sums[k]);
    for (int k = 0; c->extra_sql && c->extra_keys[k]; k++)
        fn(ctx, c->extra_keys[k], r->extra[k]);
}

typedef struct row_ctx {
    rtt_out_t *out;
    const char *kind;
} row_ctx_t;

static void row_counter(void *ctx, const char *key, int64_t v)
{
    row_ctx_t *rc = ctx;
    rtt_out_row(rc->out);
    rtt_out_text(rc->out, rc->kind);
    rtt_out_text(rc->out, key);
    rtt_out_int(rc->out, v);
}

static rtt_out_t *result(const rtt_summary_t *sm, int hints)
{
    const rtt_bounds_t *b = &sm->bounds;
    const rtt_kind_summary_t *kr = sm->kinds;
    const rtt_tracer_loss_t *tl = &sm->loss;
    rtt_out_t *out = rtt_out_new();
    if (!out)
        return NULL;
    rtt_out_section(out, "trace", 1);
    rtt_out_column(out, "schema_version", RTT_UNIT_PLAIN);
    rtt_out_column(out, "traces", RTT_UNIT_PLAIN);
    rtt_out_column(out, "events", RTT_UNIT_PLAIN);
    rtt_out_column(out, "duration", RTT_UNIT_NS);
    rtt_out_row(out);
    rtt_out_int(out, RTT_SCHEMA_VERSION);
    rtt_out_int(out, b->traces);
    rtt_out_int(out, b->events);
    rtt_out_int(out, b->known ? rtt_sat_sub(b->end, b->start) : 0);

    rtt_out_section(out, "counts", 0);
    rtt_out_column(out, "kind", RTT_UNIT_PLAIN);
    rtt_out_column(out, "counter", RTT_UNIT_PLAIN);
    rtt_out_column(out, "value", RTT_UNIT_PLAIN);
    for (size_t i = 0; i < rtt_nkinds; i++) {
        row_ctx_t rc = {out, rtt_kinds[i].name};
        rtt_summary_each_counter(i, &kr[i], row_counter, &rc);
    }

    rtt_out_section(out, "latency", 0);
    rtt_out_column(out, "kind", RTT_UNIT_PLAIN);
    rtt_out_column(out, "measure", RTT_UNIT_PLAIN);
    rtt_out_stats_columns(out);
    for (size_t i = 0; i < rtt_nkinds; i++)
        for (int m = 0; m < rtt_kinds[i].nmeasures; m++) {
            if (rtt_kinds[i].m[m].optional)
                continue;
            rtt_out_row(out);
            rtt_out_text(out, rtt_kinds[i].name);
            rtt_out_text(out, rtt_kinds[i].m[m].name);
            rtt_out_stats_cells(out, &kr[i].s[m]);
        }

    rtt_interactions_out_summary(out, "interactions", &sm->interactions);
    if (hints)
        rtt_out_interactions_hint(out, &sm->hint);

    rtt_out_section(out, "drops", 0);
    rtt_out_column(out, "reason", RTT_UNIT_PLAIN);
    rtt_out_column(out, "count", RTT_UNIT_PLAIN);
    for (int i = 0; i < sm->nreasons; i++) {
        rtt_out_row(out);
        rtt_out_text(out, sm->reason_names[i]);
        rtt_out_int(out, sm->drops[i]);
    }
    rtt_out_row(out);
    rtt_out_text(out, "total");
    rtt_out_int(out, sm->drops_total);
    rtt_out_row(out);
    rtt_out_text(out, "tracer_discarded_events");
    rtt_out_int(out, tl->discarded_events);
    rtt_out_row(out);
    rtt_out_text(out, "tracer_lost_packets");
    rtt_out_int(out, tl->lost_packets);
    rtt_out_row(out);
    rtt_out_text(out, "ingest_issues");
    rtt_out_int(out, tl->ingest_issues);
    return out;
}

rtt_out_t *rtt_summary_result(const rtt_summary_t *sm)
{
    return result(sm, 0);
}

rtt_out_t *rtt_summary_table_result(const rtt_summary_t *sm)
{
    return result(sm, 1);
}


int rtt_summary_compute(sqlite3 *db, rtt_summary_t *sm, char *err, size_t errlen)
{
    return rtt_summary_compute_with(db, NULL, sm, err, errlen);
}

int rtt_summary_compute_with(sqlite3 *db, const rtt_interactions_t *ix, rtt_summary_t *sm,
                             char *err, size_t errlen)
{
    memset(sm, 0, sizeof *sm);
    rtt_kind_summary_t *kr = sm->kinds;
    if (rtt_trace_bounds(db, &sm->bounds))
        goto sqlerr;
    for (size_t i = 0; i < rtt_nkinds; i++) {
        const rtt_kind_t *k = &rtt_kinds[i];
        if (counters[i].extra_sql && rtt_sql_ints(db, counters[i].extra_sql, kr[i].extra, 3))
            goto sqlerr;
        rtt_groups_t gs;
        if (rtt_kind_collect(db, k, NULL, 0, NULL, counters[i].sums, &gs, err, errlen))
            return -1;
        kr[i].count = gs.g[0].rows;
        memcpy(kr[i].sums, gs.g[0].sums, sizeof kr[i].sums);
        for (int m = 0; m < k->nmeasures; m++) {
            kr[i].s[m].excluded = gs.g[0].excluded[m];
            rtt_stats_compute(gs.g[0].v[m], gs.g[0].n[m], &kr[i].s[m]);
        }
        rtt_groups_free(&gs);
    }

    /* Drops per reason, every reason listed (zero when none). */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.name, COUNT(d.reason) FROM drop_reasons r"
                           " LEFT JOIN drops d ON d.reason = r.reason"
                           " GROUP BY r.reason ORDER BY r.reason",
                           -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW && sm->nreasons < RTT_MAX_REASONS) {
        snprintf(sm->reason_names[sm->nreasons], sizeof sm->reason_names[0], "%s",
                 (const char *)sqlite3_column_text(st, 0));
        sm->drops[sm->nreasons] = sqlite3_column_int64(st, 1);
        sm->nreasons++;
    }
    sqlite3_finalize(st);
    int64_t total[1];
    if (rtt_sql_ints(db, "SELECT COUNT(*) FROM drops", total, 1))
        goto sqlerr;
    sm->drops_total = total[0];
    if (rtt_tracer_loss(db, &sm->loss))
        goto sqlerr;
    if (ix)
        rtt_interactions_stats(ix, 0, &sm->interactions);
    else if (rtt_interactions_summarize(db, &sm->interactions, err, errlen))
        return -1;
    if (sm->interactions.keystrokes == 0 &&
        rtt_interactions_hint(db, -1, NULL, &sm->hint, err, errlen))
        return -1;
    return 0;

sqlerr:
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    return -1;
}
