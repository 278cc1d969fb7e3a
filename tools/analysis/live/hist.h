/* hist.h - a log-linear histogram of non-negative nanosecond values in
 * fixed memory (hist.c), for the live view's rolling percentiles.
 *
 * Values below 64 have a bucket each; above, every power of two is split
 * into 64 equal buckets, so a bucket's upper bound is at most 1/64 (1.6%)
 * above any value in it. RTT_HIST_BUCKETS buckets cover 0 .. 2^63 - 1.
 * Cost: rtt_hist_add O(1) (a bit scan); merging and percentiles
 * O(RTT_HIST_BUCKETS); memory 4 * RTT_HIST_BUCKETS bytes + 16.
 */
#ifndef RTT_LIVE_HIST_H
#define RTT_LIVE_HIST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTT_HIST_SUB 64
#define RTT_HIST_BUCKETS (RTT_HIST_SUB + (63 - 6) * RTT_HIST_SUB)

typedef struct rtt_hist {
    int64_t count, max;   /* max -1 when empty */
    uint32_t b[RTT_HIST_BUCKETS];
} rtt_hist_t;

void rtt_hist_clear(rtt_hist_t *h);
/* v < 0 counts as 0. */
void rtt_hist_add(rtt_hist_t *h, int64_t v);
/* into += from */
void rtt_hist_merge(rtt_hist_t *into, const rtt_hist_t *from);
/* The bucket index of v, and the largest value a bucket holds. */
int rtt_hist_bucket(int64_t v);
int64_t rtt_hist_upper(int bucket);
/* The nearest-rank p-quantile (0 < p <= 1): the upper bound of the bucket
 * holding the value of rank ceil(p * count), never above max; -1 if empty. */
int64_t rtt_hist_quantile(const rtt_hist_t *h, double p);

#ifdef __cplusplus
}
#endif

#endif
