/* stats.c - aggregates over a rebuilt set of interactions: percentiles of
 * the latency and its parts, shares over the budget, and the worst list
 * (see interactions.h). O(n log n) (sorts). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks (numpy's default). */
static int64_t pct(const int64_t *v, size_t n, double p)
{
    if (!n)
        return 0;
    double rank = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)rank;
    if (lo >= n - 1)
        return v[n - 1];
    double frac = rank - (double)lo;
    double x = (double)v[lo] + frac * ((double)v[lo + 1] - (double)v[lo]);
    x += x >= 0 ? 0.5 : -0.5;
    /* Near the ends of the range, x rounds to +-2^63, outside int64. */
    if (x >= 9223372036854775807.0)
        return INT64_MAX;
    return x <= -9223372036854775808.0 ? INT64_MIN : (int64_t)x;
}

void rtt_interactions_dist(int64_t *v, size_t n, rtt_dist_t *d)
{
    memset(d, 0, sizeof *d);
    if (!n)
        return;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)v[i];
    qsort(v, n, sizeof *v, cmp_i64);
    d->p50 = pct(v, n, 50);
    d->p90 = pct(v, n, 90);
    d->p99 = pct(v, n, 99);
    d->max = v[n - 1];
    d->mean = sum / (double)n;
}

void rtt_interactions_stats(const rtt_interactions_t *s, int64_t budget_ns,
                            rtt_interaction_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->budget_ns = budget_ns > 0 ? budget_ns : RTT_INTERACTION_16MS_NS;
    if (!s)
        return;
    out->keystrokes = s->n_ix;
    size_t n = 0;
    for (size_t i = 0; i < s->n_ix; i++) {
        n += s->ix[i].has_render != 0;
        out->inputs += s->ix[i].input_id != 0;
        out->blocked += s->ix[i].has_render && s->ix[i].blocked;
    }
    out->count = n;
    out->no_render = s->n_ix - n;
    if (!n)
        return;
    int64_t *v = malloc(n * sizeof *v);
    if (!v)
        return;
    uint64_t over_b = 0, over_hb = 0, over16 = 0, over8 = 0;
    for (int part = 0; part < 8; part++) {
        size_t j = 0;
        for (size_t i = 0; i < s->n_ix; i++) {
            const rtt_interaction_t *x = &s->ix[i];
            if (!x->has_render)
                continue;
            int64_t val = part == 0 ? x->latency_ns : part == 1 ? x->queue_ns
                        : part == 2 ? x->run_ns : part == 3 ? x->frame_wait_ns
                        : part == 4 ? x->render_ns : part == 5 ? x->input_delay_ns
                        : part == 6 ? x->processing_ns : x->presentation_ns;
            v[j++] = val;
            if (part == 0) {
                over_b += val > out->budget_ns;
                over_hb += val > out->budget_ns / 2;
                over16 += val > RTT_INTERACTION_16MS_NS;
                over8 += val > RTT_INTERACTION_8MS_NS;
            }
        }
        rtt_dist_t *d = part == 0 ? &out->latency : part == 1 ? &out->queue
                      : part == 2 ? &out->run : part == 3 ? &out->frame_wait
                      : part == 4 ? &out->render : part == 5 ? &out->input_delay
                      : part == 6 ? &out->processing : &out->presentation;
        rtt_interactions_dist(v, n, d);
    }
    free(v);
    out->over_budget_share = (double)over_b / (double)n;
    out->over_half_budget_share = (double)over_hb / (double)n;
    out->over_16ms_share = (double)over16 / (double)n;
    out->over_8ms_share = (double)over8 / (double)n;
}

static const rtt_interaction_t *g_sort_ix;
static int cmp_worst(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int64_t x = g_sort_ix[i].latency_ns, y = g_sort_ix[j].latency_ns;
    if (x != y)
        return x > y ? -1 : 1;
    return i < j ? -1 : i > j; /* set order: proc, sent, id */
}

size_t rtt_interactions_worst(const rtt_interactions_t *s, size_t n,
                              size_t *idx)
{
    if (!s || !n)
        return 0;
    size_t m = 0;
    size_t *all = malloc((s->n_ix ? s->n_ix : 1) * sizeof *all);
    if (!all)
        return 0;
    for (size_t i = 0; i < s->n_ix; i++)
        if (s->ix[i].has_render)
            all[m++] = i;
    g_sort_ix = s->ix;
    qsort(all, m, sizeof *all, cmp_worst);
    if (m > n)
        m = n;
    memcpy(idx, all, m * sizeof *idx);
    free(all);
    return m;
}

int rtt_interactions_summarize(sqlite3 *db, rtt_interaction_stats_t *st,
                               char *err, size_t errlen)
{
    rtt_interactions_t *s;
    if (rtt_interactions_load(db, &s, err, errlen) < 0)
        return -1;
    rtt_interactions_stats(s, 0, st);
    rtt_interactions_free(s);
    return 0;
}
