/* wake_race.c - regression: a wake-up that lands after the loop cleared
 * wake_pending must not leave an idle loop spinning. Two modes:
 *   wake_race          the loop waits on rtk_backend_fd's eventfd: write()
 *                      is interposed (this executable's definition wins over
 *                      libc's for librtk's calls) to hold the producer in
 *                      the window between its wake_pending exchange and its
 *                      write(), so the write lands after the drain;
 *   wake_race futex    rtk_run waits on its futex: syscall() is interposed
 *                      to hold the producer before its FUTEX_WAKE, which
 *                      then lands on a later, unrelated wait.
 * The producer submits until one of its wake-ups was held (one that lands
 * while the loop is awake makes none). Exit 0 when the loop stays idle, 1
 * when it spins, 2 on setup failure. Takes ~0.2 s. */
#define _GNU_SOURCE
#include <rtk/rtk.h>

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_int g_efd = -1;
static atomic_int g_wakes_held; /* write()s or FUTEX_WAKEs held */
static atomic_int g_stop;       /* the periodic timer cancels itself */
static _Thread_local int t_producer;

/* preempted between the exchange and the wake: the loop's 1 ms timer
 * wakes it meanwhile and it clears wake_pending before the wake lands */
static void hold(void)
{
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    if (t_producer && fd == atomic_load(&g_efd)) {
        atomic_fetch_add(&g_wakes_held, 1);
        hold();
    }
    return syscall(SYS_write, fd, buf, n);
}

static void syscall_hook(long nr, const long a[6])
{
    if (t_producer && nr == SYS_futex &&
        (a[1] & FUTEX_CMD_MASK) == FUTEX_WAKE) {
        atomic_fetch_add(&g_wakes_held, 1);
        hold();
    }
}
#include "syscall_hook.h"

static rtk_runtime_t *rt;
static rtk_id_t tid;

static int on_timer(void *a)
{
    (void)a;
    if (atomic_load(&g_stop))
        rtk_timer_cancel(rt, tid);
    return 0;
}
static int arm(void *a)
{
    (void)a;
    return rtk_timer_periodic(rt, 1000000, on_timer, NULL, &tid);
}
static int nop(void *a)
{
    (void)a;
    return 0;
}
static void *run(void *a)
{
    (void)a;
    rtk_run(rt);
    return NULL;
}
static void *produce(void *a)
{
    (void)a;
    t_producer = 1;
    rtk_schedule(rt, nop, NULL, RTK_PRIORITY_NORMAL);
    return NULL;
}

static rtk_stats_t stats(void)
{
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    return s;
}

int main(int argc, char **argv)
{
    int futex_mode = argc > 1 && strcmp(argv[1], "futex") == 0;
    if (rtk_runtime_create(NULL, &rt) || rtk_boot(rt))
        return 2;
    if (!futex_mode)
        atomic_store(&g_efd, rtk_backend_fd(rt));
    rtk_schedule(rt, arm, NULL, RTK_PRIORITY_NORMAL);
    pthread_t loop, producer;
    pthread_create(&loop, NULL, run, NULL);
    /* The producer must find the loop asleep between two timer fires to
     * make a wake-up at all; one that lands while the loop is awake (a
     * fire every 1 ms, long ticks under TSan) makes none: try again. */
    int attempts = 0;
    while (atomic_load(&g_wakes_held) == 0 && attempts++ < 50) {
        while (!stats().sleeping || stats().active_timers == 0)
            sched_yield();
        pthread_create(&producer, NULL, produce, NULL);
        pthread_join(producer, NULL);
    }
    atomic_store(&g_stop, 1);
    while (stats().active_timers != 0 || !stats().sleeping)
        sched_yield();
    /* idle now: count ticks over 100 ms of wall time (measuring idleness
     * needs time to pass; nothing is awaited by sleeping) */
    uint64_t before = stats().loop_count;
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
    uint64_t ticks = stats().loop_count - before;
    rtk_command_send(rt, RTK_CMD_SHUTDOWN, NULL, NULL);
    pthread_join(loop, NULL);
    rtk_runtime_destroy(rt);
    printf("wake_race%s: %llu ticks during 100 ms idle (at most 2 allowed)\n",
           futex_mode ? " futex" : "", (unsigned long long)ticks);
    if (atomic_load(&g_wakes_held) != 1) {
        printf("wake_race%s: %d wake-ups held in %d attempts, expected 1 (not the %s path?)\n",
               futex_mode ? " futex" : "", atomic_load(&g_wakes_held), attempts,
               futex_mode ? "futex" : "eventfd");
        return 2;
    }
    return ticks > 2;
}
