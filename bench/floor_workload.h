/* floor_workload.h - what fifo_floor.c and sort_floor.c run: the
 * workload of `bench_rtk prio_drift` and `prio_spread` without rtk. 2^20
 * no-op tasks, rtk-sized items (56 bytes), each priority bench_rtk.c's
 * spread_prio. Header-only; each floor is one translation unit. */
#ifndef BENCH_FLOOR_WORKLOAD_H
#define BENCH_FLOOR_WORKLOAD_H

#include <stdint.h>

#define N (1u << 20) /* tasks per pass */

typedef struct item {
    void (*fn)(void *);
    void *arg;
    uint64_t id, cause, ts, spare;
    uint32_t priority;
} item_t;

static uint64_t g_ran; /* tasks run: each floor checks it at exit */

static __attribute__((noinline)) void task(void *arg)
{
    (void)arg;
    g_ran++;
}

/* bench_rtk.c's spread_prio: i scrambled on 20 bits (a bijection), reduced
 * to d values */
static inline uint32_t prio_of(uint32_t i, uint32_t d)
{
    return ((i * 0x9E3779B1u) & (N - 1)) % d;
}

#endif
