/* summary_json.c - the summary JSON contract (docs/rt-trace.md, "summary
 * JSON contract") written from the engine's rtt_summary_t: one writer for
 * `rt-trace summary --format json`, the viewer's /api/summary and the
 * report's embedded summary, so they cannot disagree. O(kinds). */
#include "summary_json.h"

#include "db.h"
#include "format.h"

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

int rtt_summary_write_json(const rtt_summary_t *sm, FILE *f)
{
    const rtt_bounds_t *b = &sm->bounds;
    const rtt_kind_summary_t *kr = sm->kinds;
    const rtt_tracer_loss_t *tl = &sm->loss;
    rtt_json_t j;
    rtt_json_init(&j, f);
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
            if (!k->m[mi].optional)
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
    return fflush(f) || ferror(f) ? -1 : 0;
}

