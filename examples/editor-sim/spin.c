/* spin.c - CPU work bounded by CLOCK_MONOTONIC. Cost: exactly the time asked
 * for, plus one short work() call of overshoot. */
#include "spin.h"

#include <time.h>

uint64_t ed_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t ed_spin(uint64_t ns, void (*work)(void *ctx), void *ctx)
{
    uint64_t end = ed_now_ns() + ns, n = 0;
    do {
        work(ctx);
        n++;
    } while (ed_now_ns() < end);
    return n;
}
