/* mono.h - the live stage's clock for deadlines and intervals:
 * CLOCK_MONOTONIC in seconds, as a double (ns resolution kept for about
 * 100 days of uptime). Header-only: the relay daemon's waits, the
 * viewer's steps, the snapshot intervals and cmd_live.c's loop all read
 * the same clock. */
#ifndef RTT_LIVE_MONO_H
#define RTT_LIVE_MONO_H

#include <time.h>

static inline double rtt_mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#endif
