/* window.c - rolling windows as a ring of per-interval histograms (see
 * window.h). */
#include "window.h"

#include <stdlib.h>

void rtt_window_init(rtt_window_t *w)
{
    for (int i = 0; i < RTT_WINDOW_SLOTS; i++)
        rtt_hist_clear(&w->slot[i]);
    w->cur = 0;
    w->filled = 1;
}

void rtt_window_add(rtt_window_t *w, int64_t v)
{
    rtt_hist_add(&w->slot[w->cur], v);
}

void rtt_window_pct(const rtt_window_t *w, int slots, rtt_live_pct_t *out)
{
    static rtt_hist_t sum; /* one thread computes snapshots */
    if (slots > w->filled)
        slots = w->filled;
    if (slots < 1)
        slots = 1;
    rtt_hist_clear(&sum);
    for (int k = 0; k < slots; k++)
        rtt_hist_merge(&sum, &w->slot[(w->cur - k + RTT_WINDOW_SLOTS) % RTT_WINDOW_SLOTS]);
    out->count = sum.count;
    out->p50_ns = rtt_hist_quantile(&sum, 0.50);
    out->p90_ns = rtt_hist_quantile(&sum, 0.90);
    out->p99_ns = rtt_hist_quantile(&sum, 0.99);
    out->max_ns = sum.count ? sum.max : -1;
}

void rtt_window_advance(rtt_window_t *w)
{
    w->cur = (w->cur + 1) % RTT_WINDOW_SLOTS;
    rtt_hist_clear(&w->slot[w->cur]);
    if (w->filled < RTT_WINDOW_SLOTS)
        w->filled++;
}
