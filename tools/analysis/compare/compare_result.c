/* compare_result.c - a comparison as a typed result (see compare.h): the
 * one shape every front-end presents (table, JSON, CSV, markdown), so the
 * figures are computed once. O(measures). */
#include "compare.h"

#include <math.h>
#include <stdio.h>

static const char *const qnames[RTT_CMP_NQ] = {"p50", "p90", "p99"};

static void put_record(rtt_out_t *out, const rtt_comparison_t *c, int status)
{
    const rtt_cmp_opts_t *o = &c->opts;
    rtt_out_section(out, "comparison", 1);
    static const char *const cols[] = {"base_runs", "new_runs", "resampling",
                                       "blocks_per_run", "replicates", "seed",
                                       "alpha", "correction", "tests"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        rtt_out_column(out, cols[i], RTT_UNIT_PLAIN);
    rtt_out_column(out, "threshold_rel", RTT_UNIT_RATIO);
    rtt_out_column(out, "threshold_abs", RTT_UNIT_NS);
    static const char *const counts[] = {"same", "improved", "regressed",
                                         "inconclusive", "not_assessed", "status"};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        rtt_out_column(out, counts[i], RTT_UNIT_PLAIN);
    rtt_out_row(out);
    rtt_out_int(out, (int64_t)c->nbase);
    rtt_out_int(out, (int64_t)c->ncur);
    rtt_out_text(out, c->method == RTT_CMP_BY_RUN ? "runs, then time blocks within each"
                                                  : "time blocks within each run");
    if (o->prm.blocks_per_run > 0)
        rtt_out_int(out, o->prm.blocks_per_run);
    else
        rtt_out_text(out, "auto");
    rtt_out_int(out, o->prm.replicates);
    rtt_out_int(out, (int64_t)o->prm.seed);
    rtt_out_float(out, o->prm.alpha);
    rtt_out_text(out, "holm");
    rtt_out_int(out, (int64_t)c->tests);
    rtt_out_float(out, o->thr.rel);
    rtt_out_float(out, o->thr.abs_ns);
    for (int v = 0; v < 5; v++)
        rtt_out_int(out, (int64_t)c->count[v]);
    rtt_out_int(out, status);
}

static void put_verdicts(rtt_out_t *out, const rtt_comparison_t *c)
{
    rtt_out_section(out, "verdicts", 0);
    rtt_out_column(out, "measure", RTT_UNIT_PLAIN);
    rtt_out_column(out, "verdict", RTT_UNIT_PLAIN);
    rtt_out_column(out, "n_base", RTT_UNIT_PLAIN);
    rtt_out_column(out, "n_new", RTT_UNIT_PLAIN);
    for (int j = 0; j < RTT_CMP_NQ; j++) {
        char name[32];
        snprintf(name, sizeof name, "%s_change", qnames[j]);
        rtt_out_column(out, name, RTT_UNIT_RATIO);
    }
    rtt_out_column(out, "mean_change", RTT_UNIT_PLAIN);
    rtt_out_column(out, "runs_needed", RTT_UNIT_PLAIN);
    rtt_out_column(out, "note", RTT_UNIT_PLAIN);
    for (size_t r = 0; r < c->n; r++) {
        const rtt_cmp_row_t *row = &c->rows[r];
        int dur = row->kind == RTT_SK_DURATION;
        rtt_out_row(out);
        rtt_out_text(out, row->name);
        rtt_out_text(out, rtt_verdict_name(row->verdict));
        rtt_out_int(out, dur ? row->q.n_base : row->mean.n_base);
        rtt_out_int(out, dur ? row->q.n_cur : row->mean.n_cur);
        for (int j = 0; j < RTT_CMP_NQ; j++)
            if (dur && row->q.q[j].assessed)
                rtt_out_float(out, row->q.q[j].rel);
            else
                rtt_out_null(out);
        if (dur)
            rtt_out_null(out);
        else
            rtt_out_float(out, row->mean.diff);
        if (row->runs_needed)
            rtt_out_int(out, row->runs_needed);
        else
            rtt_out_null(out);
        rtt_out_text(out, row->note[0] ? row->note : NULL);
    }
}

static void put_quantiles(rtt_out_t *out, const rtt_comparison_t *c)
{
    rtt_out_section(out, "quantiles", 0);
    rtt_out_column(out, "measure", RTT_UNIT_PLAIN);
    rtt_out_column(out, "stat", RTT_UNIT_PLAIN);
    rtt_out_column(out, "base", RTT_UNIT_NS);
    rtt_out_column(out, "new", RTT_UNIT_NS);
    rtt_out_column(out, "change", RTT_UNIT_RATIO);
    rtt_out_column(out, "ci_low", RTT_UNIT_RATIO);
    rtt_out_column(out, "ci_high", RTT_UNIT_RATIO);
    rtt_out_column(out, "p_adjusted", RTT_UNIT_PLAIN);
    rtt_out_column(out, "verdict", RTT_UNIT_PLAIN);
    for (size_t r = 0; r < c->n; r++) {
        const rtt_cmp_row_t *row = &c->rows[r];
        if (row->kind != RTT_SK_DURATION)
            continue;
        for (int j = 0; j < RTT_CMP_NQ; j++) {
            const rtt_cmp_quant_t *q = &row->q.q[j];
            rtt_out_row(out);
            rtt_out_text(out, row->name);
            rtt_out_text(out, qnames[j]);
            rtt_out_float(out, q->base);
            rtt_out_float(out, q->cur);
            rtt_out_float(out, q->rel);
            rtt_out_float(out, q->assessed ? q->rel_lo : NAN);
            rtt_out_float(out, q->assessed ? q->rel_hi : NAN);
            rtt_out_float(out, row->p_adj[j]);
            rtt_out_text(out, rtt_verdict_name(row->qv[j]));
        }
        rtt_out_row(out);
        rtt_out_text(out, row->name);
        rtt_out_text(out, "max");
        rtt_out_float(out, row->q.max_base);
        rtt_out_float(out, row->q.max_cur);
        rtt_out_float(out, (row->q.max_cur - row->q.max_base) / (row->q.max_base + 1));
        for (int k = 0; k < 3; k++)
            rtt_out_null(out);
        rtt_out_text(out, NULL);
    }
}

static void put_means(rtt_out_t *out, const rtt_comparison_t *c)
{
    rtt_out_section(out, "means", 0);
    rtt_out_column(out, "measure", RTT_UNIT_PLAIN);
    rtt_out_column(out, "unit", RTT_UNIT_PLAIN);
    rtt_out_column(out, "base", RTT_UNIT_PLAIN);
    rtt_out_column(out, "new", RTT_UNIT_PLAIN);
    rtt_out_column(out, "change", RTT_UNIT_PLAIN);
    rtt_out_column(out, "ci_low", RTT_UNIT_PLAIN);
    rtt_out_column(out, "ci_high", RTT_UNIT_PLAIN);
    rtt_out_column(out, "p_adjusted", RTT_UNIT_PLAIN);
    rtt_out_column(out, "verdict", RTT_UNIT_PLAIN);
    for (size_t r = 0; r < c->n; r++) {
        const rtt_cmp_row_t *row = &c->rows[r];
        if (row->kind == RTT_SK_DURATION)
            continue;
        const rtt_cmp_mean_t *m = &row->mean;
        rtt_out_row(out);
        rtt_out_text(out, row->name);
        rtt_out_text(out, row->kind == RTT_SK_SHARE ? "share" : "per_second");
        rtt_out_float(out, m->base);
        rtt_out_float(out, m->cur);
        rtt_out_float(out, m->diff);
        rtt_out_float(out, m->diff_lo);
        rtt_out_float(out, m->diff_hi);
        rtt_out_float(out, row->p_adj[0]);
        rtt_out_text(out, rtt_verdict_name(row->verdict));
    }
}

rtt_out_t *rtt_comparison_result(const rtt_comparison_t *c, int fail_on_inconclusive,
                                 int details)
{
    rtt_out_t *out = rtt_out_new();
    if (!out)
        return NULL;
    put_record(out, c, rtt_comparison_status(c, fail_on_inconclusive));
    put_verdicts(out, c);
    if (details) {
        put_quantiles(out, c);
        put_means(out, c);
    }
    rtt_out_section(out, "warnings", 0);
    rtt_out_column(out, "warning", RTT_UNIT_PLAIN);
    for (size_t i = 0; i < c->nwarnings; i++) {
        rtt_out_row(out);
        rtt_out_text(out, c->warnings[i]);
    }
    if (out->oom) {
        rtt_out_free(out);
        return NULL;
    }
    return out;
}
