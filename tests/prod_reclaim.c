/* prod_reclaim.c - taking producers' idle credit back
 * (runtime/src/wq_producers.c, rtk__prod_reclaim) races their submits and
 * never gives a place back twice.
 *
 * A producer keeps places it took in a chunk as credit in its slot, read
 * and stored back with plain loads and stores; a thread refused a place
 * takes back the credit of every producer not in a submit (busy, read
 * after a membarrier). Were a producer's credit taken while it spends it,
 * the places would be released twice: wq_count below zero, read as a full
 * queue for ever (bench_rtk's one-by-one row hung so, twice, under perf).
 * In a program the reclaim runs only when the queue is full, once per
 * loop tick, a few times a second; here a third thread calls it as often
 * as the loop lets it (once a tick, while some producer holds credit:
 * hundreds to thousands of times a run, since a producer whose credit was
 * taken takes 1 place a submit for its next 64), while 2 producers send
 * one task per call into a queue that never fills, each submit a chance
 * for the race.
 *
 * Checks, each round (a runtime of its own): every task ran; after the
 * stop (which takes the credit back) wq_count is 0 exactly. Rounds run
 * until RECLAIMS_MIN reclaims have (at most ROUNDS_MAX), and some took
 * places back: else the race was not run, which fails too. Run with
 * membarrier(2) (the producers' busy store a plain one, the reclaim's
 * barrier the syscall) and, as unit.prod_reclaim.no_membarrier, without
 * (RTK_MEMBARRIER=0: a locked exchange sets busy, the reclaim's fence
 * pairs with it). Exit 0: pass; 1: a failure, printed. */
#include "internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#define PRODUCERS 2
#define PER_PRODUCER 500000
/* -DRECLAIMS_MIN=n -DROUNDS_MAX=m: a longer soak */
#ifndef RECLAIMS_MIN
#define RECLAIMS_MIN 200 /* in all rounds */
#endif
#ifndef ROUNDS_MAX
#define ROUNDS_MAX 40
#endif

static rtk_runtime_t *rt;
static uint64_t g_ran; /* the loop thread's */
static atomic_int g_senders;
static atomic_ulong g_taken; /* places the reclaims took back */

static int task(void *arg)
{
    (void)arg;
    if (++g_ran == (uint64_t)PRODUCERS * PER_PRODUCER)
        rtk_shutdown(rt);
    return 0;
}

static void *send(void *arg)
{
    (void)arg;
    for (long i = 0; i < PER_PRODUCER; i++)
        while (rtk_schedule(rt, task, NULL, RTK_PRIORITY_NORMAL) != RTK_OK)
            sched_yield();
    atomic_fetch_sub(&g_senders, 1);
    return NULL;
}

static void *reclaim(void *arg)
{
    (void)arg;
    while (atomic_load(&g_senders) > 0)
        atomic_fetch_add(&g_taken, rtk__prod_reclaim(rt));
    return NULL;
}

static void *loop(void *arg)
{
    *(int *)arg = rtk_run(rt);
    return NULL;
}

/* One runtime: the producers, the reclaimer and the loop to the stop.
 * Returns the reclaims run (reclaim_done), or -1 after printing a
 * failure. */
static long round_run(void)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = (size_t)1 << 21; /* never full */
    cfg.batch_size = 16; /* ticks often: a reclaim each at most */
    if (rtk_runtime_create(&cfg, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fprintf(stderr, "prod_reclaim: runtime create/boot failed\n");
        return -1;
    }
    g_ran = 0;
    atomic_store(&g_senders, PRODUCERS);
    int run_rc = -1;
    pthread_t lt, rc, pt[PRODUCERS];
    pthread_create(&lt, NULL, loop, &run_rc);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_create(&pt[i], NULL, send, NULL);
    pthread_create(&rc, NULL, reclaim, NULL);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(pt[i], NULL);
    pthread_join(rc, NULL);
    pthread_join(lt, NULL);

    size_t count = atomic_load(&rt->wq_count);
    long reclaims = (long)atomic_load(&rt->reclaim_done);
    int bad = 0;
    if (run_rc != RTK_OK) {
        fprintf(stderr, "prod_reclaim: rtk_run returned %d\n", run_rc);
        bad = 1;
    }
    if (g_ran != (uint64_t)PRODUCERS * PER_PRODUCER) {
        fprintf(stderr, "prod_reclaim: %llu of %llu tasks ran\n",
                (unsigned long long)g_ran,
                (unsigned long long)PRODUCERS * PER_PRODUCER);
        bad = 1;
    }
    if (count != 0) {
        fprintf(stderr,
                "prod_reclaim: wq_count is %ld after the stop, not 0 (a place "
                "%s)\n",
                (long)count, (long)count < 0 ? "released twice" : "lost");
        bad = 1;
    }
    rtk_runtime_destroy(rt);
    return bad ? -1 : reclaims;
}

int main(void)
{
    rtk__prod_setup();
    long reclaims = 0;
    int rounds = 0;
    while (reclaims < RECLAIMS_MIN && rounds < ROUNDS_MAX) {
        long r = round_run();
        if (r < 0)
            return 1;
        reclaims += r;
        rounds++;
    }
    unsigned long taken = atomic_load(&g_taken);
    if (reclaims < RECLAIMS_MIN || taken == 0) {
        fprintf(stderr,
                "prod_reclaim: %ld reclaims in %d rounds took %lu places: the "
                "race was not run (want %d reclaims and some places)\n",
                reclaims, rounds, taken, RECLAIMS_MIN);
        return 1;
    }
    printf("prod_reclaim (%s): %ld reclaims in %d rounds took %lu places back "
           "from 2 producers sending %d tasks each; wq_count 0 after every "
           "stop\n",
           rtk__membarrier.ok ? "membarrier" : "fences", reclaims, rounds, taken,
           PER_PRODUCER);
    return 0;
}
