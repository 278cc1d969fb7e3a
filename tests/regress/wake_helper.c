/* wake_helper.c - regression: a producer preempted inside its wake-up
 * syscall (after raising wake_pending, before the loop is woken) must not
 * hold back the other producers' items. syscall() is interposed (this
 * executable's definition wins over libc's for librtk's calls): producer A's
 * FUTEX_WAKE is held until the test releases it; producer B submits
 * meanwhile, and its task must run while A is still held. With "one wake
 * per sleep" trusting the raiser, B skipped its wake and the idle loop slept
 * until A ran again. Exit 0 when B's task ran while A was held, 1 when it
 * did not within 2 s, 2 on setup failure. Takes a few ms when it passes. */
#define _GNU_SOURCE
#include <rtk/rtk.h>

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_int g_held;    /* 1 while A is inside its held FUTEX_WAKE */
static atomic_int g_release; /* set by main: A's FUTEX_WAKE may proceed */
static atomic_int g_b_ran;   /* 1: B's task ran while A was held; 2: after */
static atomic_int g_a_ran;
static _Thread_local int t_hold;

static void syscall_hook(long nr, const long a[6])
{
    if (t_hold && nr == SYS_futex && (a[1] & FUTEX_CMD_MASK) == FUTEX_WAKE) {
        t_hold = 0;
        atomic_store(&g_held, 1);
        while (!atomic_load(&g_release))
            sched_yield();
        atomic_store(&g_held, 0);
    }
}
#include "syscall_hook.h"

static rtk_runtime_t *rt;

static int task_a(void *x)
{
    (void)x;
    atomic_store(&g_a_ran, 1);
    return 0;
}
static int task_b(void *x)
{
    (void)x;
    atomic_store(&g_b_ran, atomic_load(&g_held) ? 1 : 2);
    return 0;
}
static void *run(void *x)
{
    (void)x;
    rtk_run(rt);
    return NULL;
}
static void *producer_a(void *x)
{
    (void)x;
    t_hold = 1;
    rtk_schedule(rt, task_a, NULL, RTK_PRIORITY_NORMAL);
    return NULL;
}
static void *producer_b(void *x)
{
    (void)x;
    rtk_schedule(rt, task_b, NULL, RTK_PRIORITY_NORMAL);
    return NULL;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int sleeping(void)
{
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    return s.sleeping;
}

int main(void)
{
    if (rtk_runtime_create(NULL, &rt) || rtk_boot(rt))
        return 2;
    pthread_t loop, a, b;
    pthread_create(&loop, NULL, run, NULL);
    while (!sleeping())
        sched_yield();
    pthread_create(&a, NULL, producer_a, NULL);
    while (!atomic_load(&g_held))
        sched_yield();
    pthread_create(&b, NULL, producer_b, NULL);
    pthread_join(b, NULL);
    /* a bound, not a sleep: B's task runs in microseconds when the
     * protocol is right, never while A is held when it is wrong */
    uint64_t end = now_ns() + 2000000000ull;
    while (!atomic_load(&g_b_ran) && now_ns() < end)
        sched_yield();
    int b_ran = atomic_load(&g_b_ran);
    atomic_store(&g_release, 1);
    pthread_join(a, NULL);
    rtk_command_send(rt, RTK_CMD_SHUTDOWN, NULL, NULL);
    pthread_join(loop, NULL);
    rtk_runtime_destroy(rt);
    printf("wake_helper: B's task %s; A's task %s\n",
           b_ran == 1   ? "ran while A was held in its wake"
           : b_ran == 2 ? "ran only after A was released"
                        : "did not run within 2 s",
           atomic_load(&g_a_ran) ? "ran" : "did not run");
    if (!atomic_load(&g_a_ran) || atomic_load(&g_b_ran) == 0)
        return 2;
    return b_ran == 1 ? 0 : 1;
}
