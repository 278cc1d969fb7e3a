/* xthread_cost.c - the CPU cost of one cross-thread item in rtk, split into
 * its two sides, in thread CPU time (CLOCK_THREAD_CPUTIME_ID), so that a
 * machine shared with other work (whose waits inflate the wall-clock
 * xthread rows) still gives a figure to compare builds with.
 *
 * NPROD producer threads (default 2) each rtk_schedule 60 000 tasks while
 * the loop is not running (the queue, 2^21 places, holds them all), then
 * the main thread rtk_ticks until all ran; 20 rounds, the first (cold:
 * page faults of fresh rings and FIFO levels) not counted. Prints the
 * producers' CPU per item (summed over producers) and the loop's CPU per
 * item. Run: build/release/bench/bench_xthread_cost [NPROD [ITEMS [BATCH
 * [desc]]]] (ITEMS per producer per round; BATCH > 0: rtk_schedule_many of
 * BATCH tasks per call, as the xthread_batch row; with "desc",
 * rtk_submit_many of BATCH descriptors built once; bench/instr_count.sh
 * runs two sizes under valgrind). Cost: about 2.4 M items, well under a
 * second of CPU. */
#include <rtk/rtk.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static rtk_runtime_t *g_rt;
static unsigned g_per = 60000;
static uint64_t g_ran; /* loop thread only */
static unsigned g_batch; /* 0: rtk_schedule; else a batch of this many */
static int g_descs;      /* the batch as descriptors: rtk_submit_many */

static int task(void *a)
{
    (void)a;
    g_ran++;
    return 0;
}

static void *producer(void *out)
{
    rtk_task_desc_t d[64];
    void *args[64] = {0};
    for (unsigned i = 0; i < 64; i++)
        rtk_task_desc_init(&d[i], task, NULL);
    uint64_t t0 = cpu_ns();
    for (unsigned i = 0; i < g_per;) {
        size_t n = g_batch ? (g_per - i < g_batch ? g_per - i : g_batch) : 1, taken = 0;
        int rc = !g_batch ? rtk_schedule(g_rt, task, NULL, RTK_PRIORITY_NORMAL)
                 : g_descs
                     ? rtk_submit_many(g_rt, d, n, NULL, &taken)
                     : rtk_schedule_many(g_rt, task, args, n, RTK_PRIORITY_NORMAL, &taken);
        if (rc != RTK_OK || (g_batch && taken != n)) {
            fprintf(stderr, "bench_xthread_cost: a submit was refused\n");
            exit(1);
        }
        i += (unsigned)n;
    }
    *(uint64_t *)out = cpu_ns() - t0;
    return NULL;
}

int main(int argc, char **argv)
{
    int np = argc > 1 ? atoi(argv[1]) : 2;
    long per = argc > 2 ? atol(argv[2]) : (long)g_per;
    long batch = argc > 3 ? atol(argv[3]) : 0;
    g_descs = argc > 4 && strcmp(argv[4], "desc") == 0;
    if (np < 1 || np > 16 || per < 1 || per > 100000 || batch < 0 || batch > 64 ||
        (argc > 4 && !g_descs) || argc > 5) {
        fprintf(stderr, "usage: bench_xthread_cost [NPROD 1-16 [ITEMS 1-100000 "
                        "[BATCH 0-64 [desc]]]]\n");
        return 2;
    }
    g_batch = (unsigned)batch;
    g_per = (unsigned)per;
    rtk_config_t c;
    rtk_config_init(&c);
    c.work_queue_capacity = 1u << 21;
    c.batch_size = 1u << 21;
    if (rtk_runtime_create(&c, &g_rt) != RTK_OK || rtk_boot(g_rt) != RTK_OK) {
        fprintf(stderr, "bench_xthread_cost: runtime create failed\n");
        return 1;
    }
    const unsigned rounds = 20;
    uint64_t prod = 0, cons = 0, counted = 0;
    for (unsigned k = 0; k < rounds; k++) {
        pthread_t th[16];
        uint64_t cost[16];
        for (int i = 0; i < np; i++)
            if (pthread_create(&th[i], NULL, producer, &cost[i])) {
                fprintf(stderr, "bench_xthread_cost: pthread_create failed\n");
                return 1;
            }
        for (int i = 0; i < np; i++) {
            pthread_join(th[i], NULL);
            if (k)
                prod += cost[i];
        }
        uint64_t t0 = cpu_ns();
        while (g_ran < (uint64_t)(k + 1) * g_per * (unsigned)np)
            rtk_tick(g_rt);
        if (k) {
            cons += cpu_ns() - t0;
            counted += (uint64_t)g_per * (unsigned)np;
        }
    }
    printf("RESULT\txthread_cost\trtk:%dp%s\t%.1f\tns/item\tproducers' CPU per item; "
           "loop %.1f ns/item\n",
           np, g_batch ? " batched" : "", (double)prod / (double)counted,
           (double)cons / (double)counted);
    rtk_runtime_destroy(g_rt);
    return 0;
}
