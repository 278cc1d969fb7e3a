/* query_summary.c - `rt-trace summary`: one overview of a run: trace
 * identity and duration, per-kind counts with latency percentiles,
 * keystroke-to-render interactions (interactions.c), runtime drops per
 * reason and tracer loss.
 *
 * Its JSON is the contract for CI scripts (docs/rt-trace.md, "summary JSON
 * contract"): keys are only ever added, never renamed or removed; times are
 * integer ns (interpolated percentiles and means rounded to the nearest
 * ns); a percentile of an empty set is null.
 *
 * Cost: for each item table one scan (counters and latencies together)
 * plus a radix sort per measure, then the interactions rebuild (one more
 * read of the item tables); about 1 s for 1 M tasks.
 */
#include "commands.h"
#include "db.h"
#include "interactions.h"
#include "query_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: rt-trace summary DB [--format table|json|csv]\n"
    "\n"
    "Overview of a run: traces, rtk events, duration, per-kind counts and\n"
    "latency percentiles (task queue wait / run time / total, dispatch, timer\n"
    "lateness, command, tick), keystroke-to-render interactions (see\n"
    "`rt-trace interactions`), runtime drops per reason and tracer loss.\n"
    "The JSON output is a stable contract for scripts: see docs/rt-trace.md.\n"
    "\n"
    "example: rt-trace summary run.db --format json | jq .tasks.run_time.p99\n";

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

typedef struct kind_result {
    int64_t count;
    int64_t sums[RTT_MAX_SUMS];
    int64_t extra[3];
    rtt_stats_t s[RTT_MAX_MEASURES];
} kind_result_t;

/* Calls fn(key, value) for "count" and each counter of kind i, in order. */
static void each_counter(size_t i, const kind_result_t *r,
                         void (*fn)(void *ctx, const char *key, int64_t v), void *ctx)
{
    const kind_counts_t *c = &counters[i];
    fn(ctx, "count", r->count);
    for (int k = 0; c->sums[k]; k++)
        fn(ctx, c->sum_keys[k], r->sums[k]);
    for (int k = 0; c->extra_sql && c->extra_keys[k]; k++)
        fn(ctx, c->extra_keys[k], r->extra[k]);
}

static void json_counter(void *ctx, const char *key, int64_t v)
{
    rtt_json_int(ctx, key, v);
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

static void json_stats(rtt_json_t *j, const char *key, const rtt_stats_t *s)
{
    rtt_json_begin_object(j, key);
    rtt_json_int(j, "count", s->count);
    rtt_json_int(j, "excluded", s->excluded);
    rtt_json_ns(j, "min", s->min);
    rtt_json_ns(j, "p50", s->p50);
    rtt_json_ns(j, "p90", s->p90);
    rtt_json_ns(j, "p99", s->p99);
    rtt_json_ns(j, "p999", s->p999);
    rtt_json_ns(j, "max", s->max);
    rtt_json_ns(j, "mean", s->mean);
    rtt_json_end_object(j);
}

static int write_json(const rtt_bounds_t *b, const kind_result_t *kr,
                      const rtt_interaction_stats_t *is, const int64_t *drops,
                      int64_t drops_total, const rtt_tracer_loss_t *tl,
                      char names[][32], int nreasons)
{
    rtt_json_t j;
    rtt_json_init(&j, stdout);
    rtt_json_begin_object(&j, NULL);
    rtt_json_int(&j, "schema_version", RTT_SCHEMA_VERSION);
    rtt_json_int(&j, "traces", b->traces);
    rtt_json_int(&j, "events", b->events);
    rtt_json_int(&j, "duration_ns", b->known ? b->end - b->start : 0);
    for (size_t i = 0; i < rtt_nkinds; i++) {
        const rtt_kind_t *k = &rtt_kinds[i];
        const kind_result_t *r = &kr[i];
        rtt_json_begin_object(&j, k->plural);
        each_counter(i, r, json_counter, &j);
        const rtt_stats_t *m = &r->s[k->main];
        rtt_json_ns(&j, "p50", m->p50);
        rtt_json_ns(&j, "p90", m->p90);
        rtt_json_ns(&j, "p99", m->p99);
        rtt_json_ns(&j, "p999", m->p999);
        rtt_json_ns(&j, "max", m->max);
        for (int mi = 0; mi < k->nmeasures; mi++)
            json_stats(&j, k->m[mi].name, &r->s[mi]);
        rtt_json_end_object(&j);
    }
    rtt_interactions_stats_json(&j, "interactions", is);
    rtt_json_begin_object(&j, "drops");
    rtt_json_int(&j, "total", drops_total);
    for (int i = 0; i < nreasons; i++)
        rtt_json_int(&j, names[i], drops[i]);
    rtt_json_int(&j, "tracer_discarded_events", tl->discarded_events);
    rtt_json_int(&j, "tracer_lost_packets", tl->lost_packets);
    rtt_json_int(&j, "tracer_loss_without_count", tl->unknown_count_messages);
    rtt_json_end_object(&j);
    rtt_json_end_object(&j);
    rtt_json_finish(&j);
    return fflush(stdout) || ferror(stdout) ? -1 : 0;
}

static int write_tables(const rtt_qopts_t *o, const rtt_bounds_t *b,
                        const kind_result_t *kr, const rtt_interaction_stats_t *is,
                        const int64_t *drops, int64_t drops_total,
                        const rtt_tracer_loss_t *tl, char names[][32], int nreasons)
{
    rtt_out_t *out = rtt_out_new();
    if (!out)
        return 1;
    rtt_out_section(out, "trace", 1);
    rtt_out_column(out, "schema_version", RTT_UNIT_PLAIN);
    rtt_out_column(out, "traces", RTT_UNIT_PLAIN);
    rtt_out_column(out, "events", RTT_UNIT_PLAIN);
    rtt_out_column(out, "duration", RTT_UNIT_NS);
    rtt_out_row(out);
    rtt_out_int(out, RTT_SCHEMA_VERSION);
    rtt_out_int(out, b->traces);
    rtt_out_int(out, b->events);
    rtt_out_int(out, b->known ? b->end - b->start : 0);

    rtt_out_section(out, "counts", 0);
    rtt_out_column(out, "kind", RTT_UNIT_PLAIN);
    rtt_out_column(out, "counter", RTT_UNIT_PLAIN);
    rtt_out_column(out, "value", RTT_UNIT_PLAIN);
    for (size_t i = 0; i < rtt_nkinds; i++) {
        row_ctx_t rc = {out, rtt_kinds[i].name};
        each_counter(i, &kr[i], row_counter, &rc);
    }

    rtt_out_section(out, "latency", 0);
    rtt_out_column(out, "kind", RTT_UNIT_PLAIN);
    rtt_out_column(out, "measure", RTT_UNIT_PLAIN);
    rtt_out_stats_columns(out);
    for (size_t i = 0; i < rtt_nkinds; i++)
        for (int m = 0; m < rtt_kinds[i].nmeasures; m++) {
            rtt_out_row(out);
            rtt_out_text(out, rtt_kinds[i].name);
            rtt_out_text(out, rtt_kinds[i].m[m].name);
            rtt_out_stats_cells(out, &kr[i].s[m]);
        }

    rtt_interactions_out_summary(out, "interactions", is);

    rtt_out_section(out, "drops", 0);
    rtt_out_column(out, "reason", RTT_UNIT_PLAIN);
    rtt_out_column(out, "count", RTT_UNIT_PLAIN);
    for (int i = 0; i < nreasons; i++) {
        rtt_out_row(out);
        rtt_out_text(out, names[i]);
        rtt_out_int(out, drops[i]);
    }
    rtt_out_row(out);
    rtt_out_text(out, "total");
    rtt_out_int(out, drops_total);
    rtt_out_row(out);
    rtt_out_text(out, "tracer_discarded_events");
    rtt_out_int(out, tl->discarded_events);
    rtt_out_row(out);
    rtt_out_text(out, "tracer_lost_packets");
    rtt_out_int(out, tl->lost_packets);
    return rtt_qwrite(o, out);
}

#define MAX_REASONS 32

int rtt_cmd_summary(int argc, char **argv)
{
    rtt_qopts_t o;
    int rc = rtt_qparse(&o, "summary", argc, argv, 0, NULL, NULL, NULL, 1, 1, usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;

    rtt_bounds_t b;
    kind_result_t kr[8];
    char err[256] = "";
    memset(kr, 0, sizeof kr);
    if (rtt_trace_bounds(db, &b))
        goto sqlerr;
    for (size_t i = 0; i < rtt_nkinds; i++) {
        const rtt_kind_t *k = &rtt_kinds[i];
        if (counters[i].extra_sql && rtt_sql_ints(db, counters[i].extra_sql, kr[i].extra, 3))
            goto sqlerr;
        rtt_groups_t gs;
        if (rtt_kind_collect(db, k, NULL, 0, NULL, counters[i].sums, &gs, err, sizeof err))
            goto fail;
        kr[i].count = gs.g[0].rows;
        memcpy(kr[i].sums, gs.g[0].sums, sizeof kr[i].sums);
        for (int m = 0; m < k->nmeasures; m++) {
            kr[i].s[m].excluded = gs.g[0].excluded[m];
            rtt_stats_compute(gs.g[0].v[m], gs.g[0].n[m], &kr[i].s[m]);
        }
        rtt_groups_free(&gs);
    }

    /* Drops per reason, every reason listed (zero when none). */
    char names[MAX_REASONS][32];
    int64_t drops[MAX_REASONS], drops_total = 0;
    int nreasons = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.name, COUNT(d.reason) FROM drop_reasons r"
                           " LEFT JOIN drops d ON d.reason = r.reason"
                           " GROUP BY r.reason ORDER BY r.reason",
                           -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW && nreasons < MAX_REASONS) {
        snprintf(names[nreasons], sizeof names[0], "%s",
                 (const char *)sqlite3_column_text(st, 0));
        drops[nreasons] = sqlite3_column_int64(st, 1);
        nreasons++;
    }
    sqlite3_finalize(st);
    int64_t total[1];
    if (rtt_sql_ints(db, "SELECT COUNT(*) FROM drops", total, 1))
        goto sqlerr;
    drops_total = total[0];
    rtt_tracer_loss_t tl;
    if (rtt_tracer_loss(db, &tl))
        goto sqlerr;
    rtt_interaction_stats_t is;
    if (rtt_interactions_summarize(db, &is, err, sizeof err))
        goto fail;
    sqlite3_close(db);

    if (o.format == RTT_FMT_JSON) {
        if (write_json(&b, kr, &is, drops, drops_total, &tl, names, nreasons)) {
            rtt_qerr(&o, "cannot write the result: stdout");
            return 1;
        }
        return 0;
    }
    return write_tables(&o, &b, kr, &is, drops, drops_total, &tl, names, nreasons);

sqlerr:
    snprintf(err, sizeof err, "%s", sqlite3_errmsg(db));
fail:
    rtt_qerr(&o, "%s: %s", err, o.pos[0]);
    sqlite3_close(db);
    return 1;
}
