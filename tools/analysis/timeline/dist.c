/* dist.c - one measure's distribution (histogram on log-spaced bins,
 * quantiles) and two runs' shift function (timeline.h). The values come
 * from the same collection as `rt-trace latency` (measures.c) or, for
 * kind "interaction", from the interactions model, and the quantiles from
 * the same interpolation (stats.c), so the page's p99 is the CLI's.
 * Cost: one scan of the kind's table (or the interactions load, once),
 * a radix sort, O(n) binning. */
#include "measures.h"
#include "stats.h"
#include "timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collect the sorted values into *v and *n. Returns 0 or -1 with err. */
static int collect(rtt_timeline_t *tl, const char *kind, const char *measure,
                   const char *by, const char *key, int64_t **v, size_t *n, char *err,
                   size_t errlen)
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
    rtt_groups_t g;
    memset(&g, 0, sizeof g);
    rtt_window_t w = {0, 0, 0};
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
    if (*v)
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
    if (collect(tl, kind, measure, by, key, &v, &n, err, errlen))
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

int rtt_query_shift(rtt_timeline_t *base, rtt_timeline_t *cur, const char *kind,
                    const char *measure, const char *by, const char *key,
                    rtt_out_t **result, char *err, size_t errlen)
{
    int64_t *a, *b;
    size_t na, nb;
    if (collect(base, kind, measure, by, key, &a, &na, err, errlen))
        return -1;
    if (collect(cur, kind, measure, by, key, &b, &nb, err, errlen)) {
        free(a);
        return -1;
    }
    rtt_out_t *o = rtt_out_new();
    if (!o) {
        free(a);
        free(b);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_out_section(o, "shift", 0);
    rtt_out_column(o, "q", RTT_UNIT_PLAIN);
    rtt_out_column(o, "base", RTT_UNIT_NS);
    rtt_out_column(o, "new", RTT_UNIT_NS);
    rtt_out_column(o, "diff", RTT_UNIT_NS);
    for (int d = 1; na && nb && d <= 9; d++) {
        double x = round(rtt_percentile_sorted(a, na, d * 10));
        double y = round(rtt_percentile_sorted(b, nb, d * 10));
        rtt_out_row(o);
        rtt_out_float(o, d / 10.0);
        rtt_out_float(o, x);
        rtt_out_float(o, y);
        rtt_out_float(o, y - x);
    }
    free(a);
    free(b);
    *result = o;
    return 0;
}
