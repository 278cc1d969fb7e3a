/* prod_fenced.c - the producers' fenced mode (runtime/src/wq_producers.c,
 * rtk__prod_sleep_barrier): a loop that sleeps after every few tasks has
 * the threads with rings of their own fence their submits and skips the
 * membarrier before it sleeps; a flood makes them light again, and the
 * loop pays the membarrier at its sleeps. Through the internal fields and a
 * count of membarrier(2) calls (syscall() interposed).
 *
 * The loop runs rtk_run on a thread of its own; this thread submits:
 *   1. 400 round trips (submit one task, wait until it ran): the loop
 *      sleeps before each; after the first sleeps the mode is fenced, and
 *      the rest need no membarrier (at most 4 in all, where each sleep
 *      paid one before);
 *   2. a flood of 20 000 tasks, submitted while a gate task holds the
 *      loop, so that it runs them all without sleeping: the mode is light
 *      by the time the loop sleeps again, and that sleep pays a
 *      membarrier. (Without the gate, a loop faster than this thread
 *      drains the flood as it comes and sleeps within it after fewer than
 *      FENCED_BELOW tasks: fenced again, rightly, and the check failed
 *      about once in 40 runs of the notrace build.)
 *   3. 400 round trips again: fenced again, at most 4 membarriers more.
 * A wake-up lost in either mode, or at a switch, shows as a round trip
 * that does not come back within 10 s. Exit 0: pass; 1: the first
 * failure, printed. */
#include "alloc_faults.h"
#include "internal.h"

#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_long g_membarriers;

static void syscall_hook(long nr, const long a[6])
{
    /* the barriers only (not LTTng's or rtk's query and registration) */
    if (nr == SYS_membarrier && a[0] == MEMBARRIER_CMD_PRIVATE_EXPEDITED)
        atomic_fetch_add(&g_membarriers, 1);
}
#include "regress/syscall_hook.h"

static rtk_runtime_t *rt;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static long g_ran;     /* under mu */
static int g_gate_open; /* under mu */

static int task(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    g_ran++;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

/* Holds the loop until the flood is submitted; counts as a task run. */
static int gate_task(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!g_gate_open)
        pthread_cond_wait(&gate_cv, &mu);
    g_ran++;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static int stop_task(void *arg)
{
    (void)arg;
    return rtk_shutdown(rt) == RTK_OK ? 0 : 1;
}

static void *loop_main(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)rtk_run(rt);
}

static int fail(const char *what, long got, long want)
{
    fprintf(stderr, "prod_fenced: %s: %ld, want %ld\n", what, got, want);
    return 1;
}

/* Wait until `want` tasks ran; 10 s at most. */
static int await_ran(long want)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    int ok = 1;
    pthread_mutex_lock(&mu);
    while (g_ran < want && ok)
        ok = pthread_cond_timedwait(&cv, &mu, &until) == 0;
    long ran = g_ran;
    pthread_mutex_unlock(&mu);
    return ran >= want ? 0 : fail("tasks run within 10 s", ran, want);
}

/* Wait until the loop is blocked (rtk_stats_get's `sleeping`); 10 s. */
static int await_sleeping(void)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        rtk_stats_t st;
        rtk_stats_get(rt, &st);
        if (st.sleeping)
            return 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec > 10)
            return fail("the loop asleep within 10 s", 0, 1);
        sched_yield();
    }
}

/* Wait until `want` membarriers were counted; 10 s. */
static int await_membarriers(long want)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (atomic_load(&g_membarriers) < want) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec > 10)
            return fail("membarriers at the flood's sleep, within 10 s",
                        atomic_load(&g_membarriers), want);
        sched_yield();
    }
    return 0;
}

static int round_trips(long *done, int n)
{
    for (int i = 0; i < n; i++) {
        if (rtk_schedule(rt, task, NULL, 0) != RTK_OK)
            return fail("submit", i, -1);
        if (await_ran(++*done))
            return 1;
        if (await_sleeping())
            return 1;
    }
    return 0;
}

int main(void)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = 32768;
    if (rtk_runtime_create(&cfg, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK)
        return fail("runtime", 0, 1);
    /* set at the first runtime's creation; RTK_MEMBARRIER=0 clears it */
    if (!rtk__membarrier.ok) {
        printf("SKIP: membarrier(2) cannot be registered here\n");
        rtk_runtime_destroy(rt);
        return 77;
    }
    pthread_t loop;
    pthread_create(&loop, NULL, loop_main, NULL);
    long done = 0;

    /* 1: round trips */
    if (round_trips(&done, 400))
        return 1;
    if (atomic_load(&rt->prod_fenced) != 1)
        return fail("fenced after round trips", atomic_load(&rt->prod_fenced), 1);
    long mb1 = atomic_load(&g_membarriers);
    if (mb1 > 4)
        return fail("membarriers in 400 round trips", mb1, 4);

    /* 2: a flood, behind the gate (the loop runs the gate first: one
     * producer's tasks keep their order) */
    if (rtk_schedule(rt, gate_task, NULL, 0) != RTK_OK)
        return fail("gate submit", 0, -1);
    for (int i = 0; i < 20000; i++)
        if (rtk_schedule(rt, task, NULL, 0) != RTK_OK)
            return fail("flood submit", i, -1);
    pthread_mutex_lock(&mu);
    g_gate_open = 1;
    pthread_cond_signal(&gate_cv);
    pthread_mutex_unlock(&mu);
    done += 20001;
    if (await_ran(done) || await_sleeping())
        return 1;
    if (atomic_load(&rt->prod_fenced) != 0)
        return fail("light after a flood", atomic_load(&rt->prod_fenced), 0);
    /* `sleeping` is set as the pre-sleep check begins, before its
     * membarrier: await that too */
    if (await_membarriers(mb1 + 1))
        return 1;
    long mb2 = atomic_load(&g_membarriers) - mb1;

    /* 3: round trips again */
    long before = atomic_load(&g_membarriers);
    if (round_trips(&done, 400))
        return 1;
    if (atomic_load(&rt->prod_fenced) != 1)
        return fail("fenced again", atomic_load(&rt->prod_fenced), 1);
    long mb3 = atomic_load(&g_membarriers) - before;
    if (mb3 > 4)
        return fail("membarriers in 400 more round trips", mb3, 4);

    /* rtk_shutdown is the loop's own call: from here, through a task */
    if (rtk_schedule(rt, stop_task, NULL, 0) != RTK_OK)
        return fail("stop submit", 0, -1);
    done++;
    void *rc;
    pthread_join(loop, &rc);
    if ((intptr_t)rc != RTK_OK)
        return fail("rtk_run", (intptr_t)rc, RTK_OK);
    rtk_stats_t st;
    rtk_stats_get(rt, &st);
    if ((long)st.tasks_executed != done)
        return fail("tasks executed", (long)st.tasks_executed, done);
    rtk_runtime_destroy(rt);
    printf("prod_fenced: ok (membarriers: %ld, %ld, %ld)\n", mb1, mb2, mb3);
    return 0;
}
