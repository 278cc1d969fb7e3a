/* cmd_summary.c - `rt-trace summary`: arguments and presentation of the
 * engine's summary (analysis/query/summary.c): tables, CSV, or the JSON
 * contract.
 *
 * The JSON is the contract for CI scripts (docs/rt-trace.md, "summary JSON
 * contract"): keys are only ever added, never renamed or removed; times are
 * integer ns (interpolated percentiles and means rounded to the nearest
 * ns); a percentile of an empty set is null.
 */
#include "args.h"
#include "commands.h"
#include "db.h"
#include "summary.h"

#include <stdio.h>

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

static void json_counter(void *ctx, const char *key, int64_t v)
{
    rtt_json_int(ctx, key, v);
}

static void rtt_interactions_stats_json(rtt_json_t *j, const char *key,
                                 const rtt_interaction_stats_t *st)
{
    rtt_json_begin_object(j, key);
    rtt_json_int(j, "count", (int64_t)st->count);
    rtt_json_int(j, "p50", st->latency.p50);
    rtt_json_int(j, "p90", st->latency.p90);
    rtt_json_int(j, "p99", st->latency.p99);
    rtt_json_int(j, "max", st->latency.max);
    rtt_json_float(j, "over_16ms_share", st->over_16ms_share);
    rtt_json_float(j, "over_8ms_share", st->over_8ms_share);
    rtt_json_int(j, "no_render", (int64_t)st->no_render);
    rtt_json_int(j, "keystrokes", (int64_t)st->keystrokes);
    rtt_json_int(j, "inputs", (int64_t)st->inputs);
    rtt_json_int(j, "blocked", (int64_t)st->blocked);
    rtt_json_int(j, "input_delay_p99", st->input_delay.p99);
    rtt_json_end_object(j);
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

static int write_json(const rtt_summary_t *sm)
{
    const rtt_bounds_t *b = &sm->bounds;
    const rtt_kind_summary_t *kr = sm->kinds;
    const rtt_tracer_loss_t *tl = &sm->loss;
    rtt_json_t j;
    rtt_json_init(&j, stdout);
    rtt_json_begin_object(&j, NULL);
    rtt_json_int(&j, "schema_version", RTT_SCHEMA_VERSION);
    rtt_json_int(&j, "traces", b->traces);
    rtt_json_int(&j, "events", b->events);
    rtt_json_int(&j, "duration_ns", b->known ? b->end - b->start : 0);
    for (size_t i = 0; i < rtt_nkinds; i++) {
        const rtt_kind_t *k = &rtt_kinds[i];
        const rtt_kind_summary_t *r = &kr[i];
        rtt_json_begin_object(&j, k->plural);
        rtt_summary_each_counter(i, r, json_counter, &j);
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
    rtt_interactions_stats_json(&j, "interactions", &sm->interactions);
    rtt_json_begin_object(&j, "drops");
    rtt_json_int(&j, "total", sm->drops_total);
    for (int i = 0; i < sm->nreasons; i++)
        rtt_json_int(&j, sm->reason_names[i], sm->drops[i]);
    rtt_json_int(&j, "tracer_discarded_events", tl->discarded_events);
    rtt_json_int(&j, "tracer_lost_packets", tl->lost_packets);
    rtt_json_int(&j, "tracer_loss_without_count", tl->unknown_count_messages);
    rtt_json_int(&j, "ingest_issues", tl->ingest_issues);
    rtt_json_int(&j, "ingest_issue_bytes", tl->ingest_issue_bytes);
    rtt_json_end_object(&j);
    rtt_json_end_object(&j);
    rtt_json_finish(&j);
    return fflush(stdout) || ferror(stdout) ? -1 : 0;
}

int rtt_cmd_summary(int argc, char **argv)
{
    rtt_qopts_t o;
    int rc = rtt_qparse(&o, "summary", argc, argv, 0, NULL, NULL, NULL, 1, 1, usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;
    rtt_summary_t sm;
    char err[512] = "";
    rc = rtt_summary_compute(db, &sm, err, sizeof err);
    sqlite3_close(db);
    if (rc)
        return rtt_qfail(&o, err);
    if (o.format == RTT_FMT_JSON) {
        if (write_json(&sm)) {
            rtt_qerr(&o, "cannot write the result: stdout");
            return 1;
        }
        return 0;
    }
    /* The hint (no keystrokes, but tasks) is for people: table only, so the
     * CSV stays what rtt_summary_result gives and the JSON contract is
     * untouched. */
    rtt_out_t *out = o.format == RTT_FMT_TABLE ? rtt_summary_table_result(&sm)
                                               : rtt_summary_result(&sm);
    if (!out) {
        rtt_qerr(&o, "out of memory");
        return 1;
    }
    return rtt_qwrite(&o, out);
}
