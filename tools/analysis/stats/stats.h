/* stats.h - latency statistics (stats.c): where every percentile rt-trace
 * prints is computed (count, min, p50, p90, p99, p99.9, max, mean).
 *
 * Statistics are computed in C: one SQLite scan collects the values (no SQL
 * sort), then one radix sort per series; on 1 M rows this is several times
 * faster than a percentile() aggregate per quantile. Percentiles interpolate
 * linearly between ranks (numpy's default), like percentile() in SQL.
 */
#ifndef RTT_STATS_H
#define RTT_STATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rtt_stats {
    int64_t count;    /* values measured */
    int64_t excluded; /* items that could not give this measure */
    double min, p50, p90, p99, p999, max, mean; /* NaN when count == 0 */
} rtt_stats_t;

/* Sort v (radix sort, O(n), n extra int64s) and compute the statistics. */
void rtt_stats_compute(int64_t *v, size_t n, rtt_stats_t *s);
void rtt_sort_i64(int64_t *v, size_t n);
/* p-th percentile of sorted v, numpy's linear interpolation; NaN if n == 0. */
double rtt_percentile_sorted(const int64_t *v, size_t n, double p);

#endif
