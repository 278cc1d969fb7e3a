/* timer_clock.c - the clock a timer start or rearm reads for its deadline.
 *
 * A deadline is "now + delay", and now was a CLOCK_MONOTONIC read (~25 ns
 * through the vDSO on this project's VMs: half of a start at 1 M timers).
 * A burst of starts, as a task that arms many timers makes, does not need
 * a fresh read each time: an upper bound of now that is at most
 * RTK__TCLOCK_SLACK_NS late does, as a timer may fire late but never
 * early. So a read is reused while the CPU's time-stamp counter (rdtsc,
 * ~10 ns) shows that less than half the slack has passed since it was
 * taken, and the value given is that read plus the slack:
 *
 *   true now <= value <= true now + RTK__TCLOCK_SLACK_NS (1 us)
 *
 * and values never go down from one call to the next (equal delays keep
 * their start order). The counter's rate is measured against the clock
 * itself over the first 2 ms of reads (until then every call reads the
 * clock), and the counter is used only where the kernel's own clocksource
 * is "tsc" (invariant and synchronised across CPUs, or the kernel would
 * not use it), on x86-64; elsewhere, or with a clock set in rtk_config_t,
 * every call reads the clock as before. Loop thread only (the timers'
 * thread): no atomics.
 *
 * Cost: a cached call ~10 ns (one rdtsc), a read ~30 ns; O(1). */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#define HAVE_TSC 1
static inline uint64_t tsc_read(void) { return __rdtsc(); }
#else
#define HAVE_TSC 0
static inline uint64_t tsc_read(void) { return 0; }
#endif

#define CALIBRATE_NS 2000000ull /* rate measured over the first 2 ms */

static pthread_once_t tsc_once = PTHREAD_ONCE_INIT;
static bool tsc_ok;

/* The kernel keeps CLOCK_MONOTONIC on the TSC only when it trusts it. */
static void tsc_check(void)
{
    if (!HAVE_TSC)
        return;
    FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/"
                    "current_clocksource", "r");
    if (!f)
        return;
    char name[32] = {0};
    if (fgets(name, sizeof name, f))
        tsc_ok = strncmp(name, "tsc\n", 4) == 0;
    fclose(f);
}

void rtk__tclock_init(rtk__tclock_t *c)
{
    pthread_once(&tsc_once, tsc_check);
    *c = (rtk__tclock_t){.usable = tsc_ok};
}

/* A fresh read; while calibrating, also the counter's rate. */
static uint64_t tclock_read(rtk__tclock_t *c)
{
    uint64_t tsc = tsc_read(); /* before the read: the read is no earlier */
    uint64_t ns = rtk__monotonic_ns();
    if (c->usable && c->window == 0) {
        if (c->cal_ns == 0) {
            c->cal_tsc = tsc;
            c->cal_ns = ns;
        } else if (ns - c->cal_ns >= CALIBRATE_NS) {
            /* ticks in half the slack, the rate rounded down */
            uint64_t ticks = tsc - c->cal_tsc, span = ns - c->cal_ns;
            uint64_t w = (uint64_t)((double)ticks / (double)span *
                                    (RTK__TCLOCK_SLACK_NS / 2));
            if (tsc > c->cal_tsc && w > 0)
                c->window = w;
            else
                c->usable = false; /* a counter that does not advance */
        }
    }
    c->tsc = tsc;
    c->ns = ns;
    return ns;
}

uint64_t rtk__tclock_now(rtk__tclock_t *c)
{
    uint64_t v;
    if (c->window && tsc_read() - c->tsc < c->window)
        v = c->ns + RTK__TCLOCK_SLACK_NS; /* < half the slack since c->ns */
    else
        v = tclock_read(c);
    if (v < c->last)
        v = c->last; /* never back: a fresh read may be below a bound */
    c->last = v;
    return v;
}
