/* hist.c - log-linear histograms (see hist.h). O(1) insert, O(buckets)
 * merge and quantile; no allocation. */
#include "hist.h"

#include <math.h>
#include <string.h>

void rtt_hist_clear(rtt_hist_t *h)
{
    memset(h, 0, sizeof *h);
    h->max = -1;
}

int rtt_hist_bucket(int64_t v)
{
    if (v < RTT_HIST_SUB)
        return v < 0 ? 0 : (int)v;
    int e = 63 - __builtin_clzll((unsigned long long)v); /* 6 .. 62 */
    int sub = (int)((v >> (e - 6)) & (RTT_HIST_SUB - 1));
    return RTT_HIST_SUB + (e - 6) * RTT_HIST_SUB + sub;
}

int64_t rtt_hist_upper(int bucket)
{
    if (bucket < RTT_HIST_SUB)
        return bucket;
    int e = (bucket - RTT_HIST_SUB) / RTT_HIST_SUB + 6;
    int64_t sub = (bucket - RTT_HIST_SUB) % RTT_HIST_SUB;
    int64_t lo = ((int64_t)1 << e) + (sub << (e - 6));
    return lo + (((int64_t)1 << (e - 6)) - 1); /* the top bucket ends at INT64_MAX */
}

void rtt_hist_add(rtt_hist_t *h, int64_t v)
{
    if (v < 0)
        v = 0;
    h->b[rtt_hist_bucket(v)]++;
    h->count++;
    if (v > h->max)
        h->max = v;
}

void rtt_hist_merge(rtt_hist_t *into, const rtt_hist_t *from)
{
    if (from->count == 0)
        return;
    for (int i = 0; i < RTT_HIST_BUCKETS; i++)
        into->b[i] += from->b[i];
    into->count += from->count;
    if (from->max > into->max)
        into->max = from->max;
}

int64_t rtt_hist_quantile(const rtt_hist_t *h, double p)
{
    if (h->count == 0)
        return -1;
    int64_t rank = (int64_t)ceil(p * (double)h->count);
    if (rank < 1)
        rank = 1;
    int64_t seen = 0;
    for (int i = 0; i < RTT_HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank) {
            int64_t u = rtt_hist_upper(i);
            return u < h->max ? u : h->max;
        }
    }
    return h->max;
}
