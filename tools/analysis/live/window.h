/* window.h - rolling windows of one measure (window.c): a ring of one
 * histogram per interval, so "the last 1 s / 10 s / 60 s" is the merge of
 * the newest 1 / 10 / 60 intervals (at --interval 1). Fixed memory:
 * RTT_WINDOW_SLOTS histograms (about 15 KiB each), whatever the rate.
 * Cost: add O(1); rtt_window_pct O(slots x buckets) once per interval.
 */
#ifndef RTT_LIVE_WINDOW_H
#define RTT_LIVE_WINDOW_H

#include "hist.h"
#include "snapshot.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTT_WINDOW_SLOTS 60

typedef struct rtt_window {
    rtt_hist_t slot[RTT_WINDOW_SLOTS];
    int cur;     /* the slot of the running interval */
    int filled;  /* slots holding an interval (up to RTT_WINDOW_SLOTS) */
} rtt_window_t;

void rtt_window_init(rtt_window_t *w);
void rtt_window_add(rtt_window_t *w, int64_t v);
/* The figures of the newest `slots` intervals (the running one included). */
void rtt_window_pct(const rtt_window_t *w, int slots, rtt_live_pct_t *out);
/* The interval ended: the next one starts in the oldest slot. */
void rtt_window_advance(rtt_window_t *w);

#ifdef __cplusplus
}
#endif

#endif
