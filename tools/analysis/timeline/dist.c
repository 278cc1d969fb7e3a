/* dist.c - one measure's distribution (histogram on log-spaced bins,
 * quantiles) and two runs' shift function (timeline.h). The values come
 * from the same collection as `rt-trace latency` (measures.c) or, for
 * kind "interaction", from the interactions model, and the quantiles from
 * the same interpolation (stats.c), so the page's p99 is the CLI's.
 * Cost: one scan of the kind's table (or the interactions load, once),
 * a radix sort, O(n) binning; the shift, compare's bootstrap (below). */
#include "measures.h"
#include "stats.h"
#include "timeline.h"

#include "shift.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Measure mi of kind k over the whole run, copied into *v and *n from the
 * timeline's collection of the kind (made on first use, then kept). */
static int whole_run(rtt_timeline_t *tl, const rtt_kind_t *k, int mi, int sorted,
                     int64_t **v, size_t *n, char *err, size_t errlen)
{
    size_t ki = (size_t)(k - rtt_kinds);
    if (ki >= RTT_TL_KINDS) {
        snprintf(err, errlen, "kind %s: no room in the timeline's cache", k->name);
        return -1;
    }
    if (!tl->whole[ki]) {
        rtt_groups_t *g = calloc(1, sizeof *g);
        rtt_window_t w = {0, 0, 0};
        if (!g) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        if (rtt_kind_collect(tl->db, k, NULL, 0, &w, NULL, g, err, errlen)) {
            free(g);
            return -1;
        }
        tl->whole[ki] = g;
    }
    const rtt_series_t *s = &tl->whole[ki]->g[0];
    *n = s->n[mi];
    *v = malloc((*n ? *n : 1) * sizeof **v);
    if (!*v) {
        *n = 0;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (*n)
        memcpy(*v, s->v[mi], *n * sizeof **v);
    if (sorted)
        rtt_sort_i64(*v, *n);
    return 0;
}

/* Collect the values into *v and *n: sorted when sorted is set, else in
 * the run's order (the order rt-trace compare resamples blocks of).
 * Returns 0 or -1 with err. */
static int collect(rtt_timeline_t *tl, const char *kind, const char *measure,
                   const char *by, const char *key, int sorted, int64_t **v, size_t *n,
                   char *err, size_t errlen)
{
    *v = NULL;
    *n = 0;
    if (!strcmp(kind, "interaction")) {
        static const char *ms[] = {"latency", "queue", "run", "frame_wait", "render"};
        int mi = -1;
        for (int i = 0; i < 5; i++)
            if (!strcmp(measure, ms[i]))
                mi = i;
        if (mi < 0) {
            snprintf(err, errlen, "unknown interaction measure '%s': expected latency, "
                     "queue, run, frame_wait or render", measure);
            return -1;
        }
        if (by && strcmp(by, "name")) {
            snprintf(err, errlen, "interactions group only by name");
            return -1;
        }
        if (!tl->ix && rtt_interactions_load(tl->db, &tl->ix, err, errlen))
            return -1;
        size_t cnt = rtt_interactions_count(tl->ix);
        int64_t *a = malloc((cnt ? cnt : 1) * sizeof *a);
        if (!a) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < cnt; i++) {
            const rtt_interaction_t *x = rtt_interactions_get(tl->ix, i);
            if (!x->has_render || (by && key && strcmp(x->name, key)))
                continue;
            int64_t vals[5] = {x->latency_ns, x->queue_ns, x->run_ns, x->frame_wait_ns,
                               x->render_ns};
            a[(*n)++] = vals[mi];
        }
        *v = a;
        if (sorted)
            rtt_sort_i64(a, *n);
        return 0;
    }
    const rtt_kind_t *k = rtt_kind_find(kind);
    if (!k) {
        snprintf(err, errlen, "unknown kind '%s': expected task, dispatch, timer, "
                 "command, tick or interaction", kind);
        return -1;
    }
    int mi = -1;
    for (int i = 0; i < k->nmeasures; i++)
        if (!strcmp(measure, k->m[i].name))
            mi = i;
    if (mi < 0) {
        snprintf(err, errlen, "kind %s has no measure '%s'", kind, measure);
        return -1;
    }
    const char *gexpr = by ? rtt_kind_group(k, by) : NULL;
    if (by && !gexpr) {
        snprintf(err, errlen, "kind %s cannot be grouped by '%s'", kind, by);
        return -1;
    }
    if (by && !key) {
        snprintf(err, errlen, "by=%s needs the group's key", by);
        return -1;
    }
    rtt_window_t w = {0, 0, 0};
    if (!gexpr)
        return whole_run(tl, k, mi, sorted, v, n, err, errlen);
    rtt_groups_t g;
    memset(&g, 0, sizeof g);
    if (rtt_kind_collect(tl->db, k, gexpr, gexpr && k->by_join && strcmp(by, "priority"),
                         &w, NULL, &g, err, errlen))
        return -1;
    for (size_t i = 0; i < g.n; i++) {
        rtt_series_t *s = &g.g[i];
        char kb[32];
        const char *ks = s->key_type == SQLITE_TEXT ? s->key_s : NULL;
        if (s->key_type == SQLITE_INTEGER) {
            snprintf(kb, sizeof kb, "%lld", (long long)s->key_i);
            ks = kb;
        }
        if (gexpr && key && (!ks || strcmp(ks, key)))
            continue;
        *v = s->v[mi];
        *n = s->n[mi];
        s->v[mi] = NULL;
        break;
    }
    rtt_groups_free(&g);
    if (*v && sorted)
        rtt_sort_i64(*v, *n);
    return 0;
}

int rtt_query_dist(rtt_timeline_t *tl, const char *kind, const char *measure,
                   const char *by, const char *key, int nbins, rtt_out_t **result,
                   char *err, size_t errlen)
{
    if (nbins < 1 || nbins > 1000) {
        snprintf(err, errlen, "bins must be 1 to 1000, not %d", nbins);
        return -1;
    }
    int64_t *v;
    size_t n;
    if (collect(tl, kind, measure, by, key, 1, &v, &n, err, errlen))
        return -1;
    rtt_out_t *o = rtt_out_new();
    if (!o) {
        free(v);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_out_section(o, "stats", 1);
    rtt_out_column(o, "count", RTT_UNIT_PLAIN);
    static const char *sc[] = {"min", "p50", "p90", "p99", "max"};
    for (int i = 0; i < 5; i++)
        rtt_out_column(o, sc[i], RTT_UNIT_NS);
    rtt_out_row(o);
    rtt_out_int(o, (int64_t)n);
    double ps[5] = {0, 50, 90, 99, 100};
    for (int i = 0; i < 5; i++)
        rtt_out_float(o, n ? round(rtt_percentile_sorted(v, n, ps[i])) : NAN);

    rtt_out_section(o, "hist", 0);
    rtt_out_column(o, "lo", RTT_UNIT_NS);
    rtt_out_column(o, "hi", RTT_UNIT_NS);
    rtt_out_column(o, "count", RTT_UNIT_PLAIN);
    if (n) {
        double lmin = log((double)(v[0] > 1 ? v[0] : 1));
        double lmax = log((double)(v[n - 1] > 1 ? v[n - 1] : 1)) + 1e-9;
        double step = (lmax - lmin) / nbins;
        size_t j = 0;
        for (int b = 0; b < nbins; b++) {
            double lo = exp(lmin + step * b), hi = exp(lmin + step * (b + 1));
            int64_t c = 0;
            /* the last bin takes the rest (the max itself) */
            while (j < n && ((double)v[j] < hi || b == nbins - 1)) {
                c++;
                j++;
            }
            rtt_out_row(o);
            rtt_out_float(o, b == 0 ? (double)v[0] : lo);
            rtt_out_float(o, b == nbins - 1 ? (double)v[n - 1] : hi);
            rtt_out_int(o, c);
        }
    }
    rtt_out_section(o, "quantiles", 0);
    rtt_out_column(o, "q", RTT_UNIT_PLAIN);
    rtt_out_column(o, "value", RTT_UNIT_NS);
    for (int q = 0; n && q <= 100; q++) {
        rtt_out_row(o);
        rtt_out_float(o, q / 100.0);
        rtt_out_float(o, round(rtt_percentile_sorted(v, n, q)));
    }
    free(v);
    if (o->oom) {
        rtt_out_free(o);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *result = o;
    return 0;
}

/* The shift function is rt-trace compare's statistics at each decile: exact
 * Harrell-Davis quantiles of each side and the block bootstrap's interval
 * of their difference (shift.h), with compare's defaults (seed, replicates,
 * blocks, alpha 0.01), so the page's p50 and p90 shift, and their
 * intervals, are compare's for the same measure. Deciles go three at a
 * time (a call takes at most RTT_CMP_MAX_Q); every replicate resamples the
 * same blocks whatever quantiles it is asked for, so the split changes
 * nothing. Cost: three bootstrap runs over the two value sets (~20 ms
 * each at 1 M values a side). */
int rtt_query_shift(rtt_timeline_t *base, rtt_timeline_t *cur, const char *kind,
                    const char *measure, const char *by, const char *key,
                    rtt_out_t **result, char *err, size_t errlen)
{
    int64_t *a, *b;
    size_t na, nb;
    if (collect(base, kind, measure, by, key, 0, &a, &na, err, errlen))
        return -1;
    if (collect(cur, kind, measure, by, key, 0, &b, &nb, err, errlen)) {
        free(a);
        return -1;
    }
    rtt_cmp_result_t r[3];
    memset(r, 0, sizeof r);
    if (na && nb) {
        rtt_cmp_run_t ra = {a, na}, rb = {b, nb};
        rtt_cmp_side_t sa = {&ra, 1}, sb = {&rb, 1};
        for (int c = 0; c < 3; c++) {
            double ps[3] = {(3 * c + 1) / 10.0, (3 * c + 2) / 10.0, (3 * c + 3) / 10.0};
            if (rtt_cmp_quantiles(&sa, &sb, ps, 3, NULL, &r[c])) {
                free(a);
                free(b);
                snprintf(err, errlen, "%s", errno == ENOMEM ? "out of memory"
                                                            : "shift: bad values");
                return -1;
            }
        }
    }
    free(a);
    free(b);
    rtt_out_t *o = rtt_out_new();
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_out_section(o, "shift", 0);
    static const char *cols[] = {"q",       "base",    "new",    "diff",   "diff_lo",
                                 "diff_hi", "rel",     "rel_lo", "rel_hi", "assessed",
                                 "method"};
    for (int c = 0; c < 11; c++)
        rtt_out_column(o, cols[c],
                       c == 0 || c >= 6 ? RTT_UNIT_PLAIN : RTT_UNIT_NS);
    for (int d = 0; na && nb && d < 9; d++) {
        const rtt_cmp_quant_t *q = &r[d / 3].q[d % 3];
        rtt_out_row(o);
        rtt_out_float(o, q->p);
        rtt_out_float(o, q->base);
        rtt_out_float(o, q->cur);
        /* an interval only where compare gives one: enough values beyond
         * the decile on both sides (RTT_CMP_MIN_TAIL), else null */
        double gap = q->assessed ? 0 : NAN;
        rtt_out_float(o, q->diff);
        rtt_out_float(o, q->diff_lo + gap);
        rtt_out_float(o, q->diff_hi + gap);
        rtt_out_float(o, q->rel);
        rtt_out_float(o, q->rel_lo + gap);
        rtt_out_float(o, q->rel_hi + gap);
        rtt_out_int(o, q->assessed);
        rtt_out_text(o, rtt_cmp_method_name(r[0].method));
    }
    if (o->oom) {
        rtt_out_free(o);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *result = o;
    return 0;
}
