/* mono.h - the engine's clock for deadlines, intervals and progress:
 * CLOCK_MONOTONIC in seconds, as a double (ns resolution kept for about
 * 100 days of uptime). Header-only, in decode/ because the stages that
 * read it (decode's sink, ingest's isolation, live) all build on decode:
 * the sink's progress, ingest's child deadlines, the relay daemon's waits,
 * the viewer's steps, the snapshot intervals and cmd_live.c's loop read
 * the same clock. */
#ifndef RTT_MONO_H
#define RTT_MONO_H

#include <time.h>

static inline double rtt_mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#endif
