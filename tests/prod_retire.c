/* prod_retire.c - a ring the loop has found empty leaves its watch list
 * (runtime/src/wq_producers.c, rtk__prod_retire_idle) only after
 * RTK__RETIRE_TICKS ticks *and* RTK__RETIRE_NS of the tick's clock, so
 * that a producer descheduled for a few busy ticks does not cost a
 * membarrier(2) each time. With an injected clock and rtk_tick driven by
 * this thread, and membarrier calls counted (syscall() interposed):
 *   1. a producer thread's task runs: its ring is watched;
 *   2. 3 x RTK__RETIRE_TICKS empty ticks with the clock still: watched,
 *      no membarrier;
 *   3. the clock moved on by RTK__RETIRE_NS less 1 ns, ticks: watched;
 *   4. 1 ns more, one tick: retired (the flag set, off the list), one
 *      membarrier;
 *   5. the producer sends again: it sees the flag and asks for a rescan;
 *      the next tick runs its task and watches the ring again;
 *   6. the clock set back: the wait starts again from there, and a
 *      clock that then moves on retires the ring once more.
 * Exit 0: pass; 77: membarrier(2) not available (nothing is retired
 * then); 1: the first failure, printed. */
#include "alloc_faults.h"
#include "internal.h"

#include <linux/membarrier.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_long g_membarriers;

static void syscall_hook(long nr, const long a[6])
{
    if (nr == SYS_membarrier && a[0] == MEMBARRIER_CMD_PRIVATE_EXPEDITED)
        atomic_fetch_add(&g_membarriers, 1);
}
#include "regress/syscall_hook.h"

static rtk_runtime_t *rt;
static uint64_t g_now = 1000000000u;
static long g_ran;

static uint64_t fake_clock(void *ud)
{
    (void)ud;
    return g_now;
}

static int task(void *arg)
{
    (void)arg;
    g_ran++;
    return 0;
}

static void *send_one(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)rtk_schedule(rt, task, NULL, RTK_PRIORITY_NORMAL);
}

static int fail(const char *what, long got, long want)
{
    fprintf(stderr, "prod_retire: %s: %ld, want %ld\n", what, got, want);
    return 1;
}

/* One task sent from a thread of its own (the same TLS address each time,
 * as a joined thread's is reused: one slot), then run by one tick. */
static int send_and_run(long *ran)
{
    pthread_t th;
    void *rc;
    if (pthread_create(&th, NULL, send_one, NULL) != 0 || pthread_join(th, &rc) != 0)
        return fail("producer thread", -1, 0);
    if ((intptr_t)rc != RTK_OK)
        return fail("rtk_schedule from the producer", (long)(intptr_t)rc, RTK_OK);
    if (rtk_tick(rt) != 1)
        return fail("tick", 0, 1);
    ++*ran;
    return g_ran == *ran ? 0 : fail("tasks run", g_ran, *ran);
}

static int ticks(int n)
{
    for (int i = 0; i < n; i++)
        if (rtk_tick(rt) != 1)
            return fail("tick", 0, 1);
    return 0;
}

/* The slots watched, and whether slot 0 is retired. */
static int expect_watch(const char *when, uint32_t watched, int retired, long barriers)
{
    if (rt->wq_watch_n != watched) {
        fprintf(stderr, "prod_retire: %s:\n", when);
        return fail("rings watched", rt->wq_watch_n, watched);
    }
    int r = atomic_load(&rt->wq_prod[0].retired);
    if (r != retired) {
        fprintf(stderr, "prod_retire: %s:\n", when);
        return fail("slot 0 retired", r, retired);
    }
    long mb = atomic_load(&g_membarriers);
    if (mb != barriers) {
        fprintf(stderr, "prod_retire: %s:\n", when);
        return fail("membarriers", mb, barriers);
    }
    return 0;
}

int main(void)
{
    rtk__prod_setup();
    if (!rtk__membarrier.ok) {
        printf("prod_retire: membarrier(2) not available: nothing is retired\n");
        return 77;
    }
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.clock = fake_clock;
    if (rtk_runtime_create(&cfg, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK)
        return fail("runtime", 0, 1);
    long ran = 0;
    /* 1: the first task adopts the slot; the tick after watches it */
    if (send_and_run(&ran) || expect_watch("after the first task", 1, 0, 0))
        return 1;
    atomic_store(&g_membarriers, 0);
    /* 2: many ticks, the clock still */
    if (ticks(3 * RTK__RETIRE_TICKS) ||
        expect_watch("after 48 ticks, the clock still", 1, 0, 0))
        return 1;
    /* 3: not quite long enough */
    g_now += RTK__RETIRE_NS - 1;
    if (ticks(2) || expect_watch("1 ns short of the time", 1, 0, 0))
        return 1;
    /* 4: long enough: one tick retires it, with one membarrier */
    g_now += 1;
    if (ticks(1) || expect_watch("once the time is up", 0, 1, 1))
        return 1;
    if (ticks(RTK__RETIRE_TICKS) || expect_watch("retired, ticks on", 0, 1, 1))
        return 1;
    /* 5: the producer sends: a rescan; its task runs, the ring is back */
    if (send_and_run(&ran) || expect_watch("a task sent to a retired ring", 1, 0, 1))
        return 1;
    /* 6: the clock set back while it waits: from there, the full time */
    if (ticks(RTK__RETIRE_TICKS))
        return 1;
    g_now -= 5000000;
    if (ticks(RTK__RETIRE_TICKS))
        return 1;
    g_now += RTK__RETIRE_NS - 1;
    if (ticks(1) || expect_watch("the clock set back, then moved on", 1, 0, 1))
        return 1;
    g_now += 1;
    if (ticks(1) || expect_watch("the full time after the set-back", 0, 1, 2))
        return 1;
    rtk_runtime_destroy(rt);
    printf("prod_retire: retired after %d ticks and %u ns of the tick's clock, "
           "not before\n",
           RTK__RETIRE_TICKS, RTK__RETIRE_NS);
    return 0;
}
