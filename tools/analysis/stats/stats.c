/* stats.c - radix sort, interpolated percentiles and the statistics of one
 * series (see stats.h). O(n) time, n extra int64s. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* LSD radix sort on the sign-flipped bits, 8 bits a pass, skipping passes
 * where every key has the same byte (durations use ~5 of the 8 bytes). */
void rtt_sort_i64(int64_t *v, size_t n)
{
    if (n < 2)
        return;
    if (n < 256) {
        qsort(v, n, sizeof(int64_t), cmp_i64);
        return;
    }
    uint64_t *a = (uint64_t *)v, *tmp = malloc(n * sizeof(uint64_t));
    if (!tmp) {
        qsort(v, n, sizeof(int64_t), cmp_i64);
        return;
    }
    size_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    const uint64_t flip = (uint64_t)1 << 63;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i] ^ flip;
        for (int b = 0; b < 8; b++)
            cnt[b][(k >> (8 * b)) & 0xff]++;
    }
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        uint64_t first = ((src[0] ^ flip) >> (8 * b)) & 0xff;
        if (cnt[b][first] == n)
            continue; /* all equal in this byte */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = cnt[b][d];
            cnt[b][d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = src[i] ^ flip;
            dst[cnt[b][(k >> (8 * b)) & 0xff]++] = src[i];
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(uint64_t));
    free(tmp);
}

double rtt_percentile_sorted(const int64_t *v, size_t n, double p)
{
    if (!n)
        return NAN;
    double rank = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)floor(rank);
    double frac = rank - (double)lo;
    double r = (double)v[lo];
    if (lo + 1 < n && frac > 0)
        r += ((double)v[lo + 1] - (double)v[lo]) * frac;
    return r;
}

void rtt_stats_compute(int64_t *v, size_t n, rtt_stats_t *s)
{
    int64_t excluded = s->excluded;
    memset(s, 0, sizeof(*s));
    s->excluded = excluded;
    s->count = (int64_t)n;
    if (!n) {
        s->min = s->p50 = s->p90 = s->p99 = s->p999 = s->max = s->mean = NAN;
        return;
    }
    rtt_sort_i64(v, n);
    long double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s->min = (double)v[0];
    s->max = (double)v[n - 1];
    s->mean = (double)(sum / (long double)n);
    s->p50 = rtt_percentile_sorted(v, n, 50);
    s->p90 = rtt_percentile_sorted(v, n, 90);
    s->p99 = rtt_percentile_sorted(v, n, 99);
    s->p999 = rtt_percentile_sorted(v, n, 99.9);
}
