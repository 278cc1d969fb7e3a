/* floor_workload.h - what fifo_floor.c and sort_floor.c run: the
 * workload of `bench_rtk prio_drift` and `prio_spread` without rtk. 2^20
 * no-op tasks, rtk-sized items (56 bytes), the priorities bench_rtk's
 * (prio_workload.h). Header-only; each floor is one translation unit. */
#ifndef BENCH_FLOOR_WORKLOAD_H
#define BENCH_FLOOR_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prio_workload.h"

#define N PRIO_WORKLOAD_N /* tasks per pass */

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

/* This thread's CPU time, ns. */
static inline uint64_t floor_cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The floors' command line, [REPS]: --help prints the usage (`what`: the
 * queue) and returns 0; a REPS below 1 is a one-line error, -2; else the
 * timed passes to take the best of (default `dflt`). */
static inline int floor_reps(int argc, char **argv, const char *what, int dflt)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: %s [REPS]\n"
               "Runs prio_drift's and prio_spread's workload %s;\n"
               "best of REPS (>= 1) timed passes, a RESULT line per depth and priority count.\n",
               argv[0], what);
        return 0;
    }
    int reps = argc > 1 ? atoi(argv[1]) : dflt;
    if (reps < 1) {
        fprintf(stderr, "usage: %s [REPS]  (REPS >= 1)\n", argv[0]);
        return -2;
    }
    return reps;
}

#endif
