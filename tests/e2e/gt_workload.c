/* gt_workload.c - a workload on librtk whose trace has known answers, for
 * rt-trace's ground-truth test (e2e_test.sh):
 *   A  71 no-op submits into a work queue of capacity 64, between ticks:
 *      64 queued and run, exactly 7 dropped (work_queue_full);
 *   B  50 tasks named "spin" spinning 0.2, 0.4, ... 10.0 ms (run-time p50
 *      5.1 ms);
 *   C  25 ScheduleTask commands sent from another thread;
 *   D  20 one-shot timers due 3, 6, ... 60 ms after arming; the last one's
 *      task sends Shutdown (a 26th command).
 * At the end it prints the runtime's own counters as key=value lines, and
 * the shortest and longest spin as the spin itself measured them (from its
 * first clock read to its last: on a loaded machine a spin preempted past
 * its end runs longer than asked, and the trace must say so too). */
#define _GNU_SOURCE
#include <rtk/rtk.h>

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define OVERFLOW_K 7
#define CAPACITY 64
#define SPINS 50
#define COMMANDS 25
#define TIMERS 20

static rtk_runtime_t *rt;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int noop(void *a)
{
    (void)a;
    return 0;
}

static uint64_t spin_min = UINT64_MAX, spin_max;

static int spin(void *a)
{
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)(uintptr_t)a, t;
    while ((t = now_ns()) < end)
        ;
    if (t - t0 < spin_min)
        spin_min = t - t0;
    if (t - t0 > spin_max)
        spin_max = t - t0;
    return 0;
}

static int timer_done(void *a)
{
    if ((uintptr_t)a == TIMERS)
        rtk_command_send(rt, RTK_CMD_SHUTDOWN, NULL, NULL);
    return 0;
}

static void *commander(void *a)
{
    (void)a;
    for (int i = 0; i < COMMANDS; i++) {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, noop, NULL);
        d.name = "from_thread";
        if (rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, NULL) != RTK_OK)
            fprintf(stderr, "gt_workload: command %d refused\n", i);
    }
    return NULL;
}

static void drain(void)
{
    while (!rtk_is_idle(rt))
        rtk_tick(rt);
}

int main(void)
{
    rtk_config_t c;
    rtk_config_init(&c);
    c.work_queue_capacity = CAPACITY;
    c.batch_size = CAPACITY;
    if (rtk_runtime_create(&c, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fputs("gt_workload: cannot start the runtime\n", stderr);
        return 2;
    }
    for (int i = 0; i < CAPACITY + OVERFLOW_K; i++) /* A */
        rtk_schedule(rt, noop, NULL, RTK_PRIORITY_NORMAL);
    drain();
    for (uintptr_t i = 1; i <= SPINS; i++) { /* B */
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, spin, (void *)(i * 200000u));
        d.name = "spin";
        rtk_submit(rt, &d, NULL);
    }
    drain();
    pthread_t th; /* C */
    pthread_create(&th, NULL, commander, NULL);
    pthread_join(th, NULL);
    for (uintptr_t k = 1; k <= TIMERS; k++) /* D */
        rtk_timer_oneshot(rt, k * 3000000u, timer_done, (void *)k, NULL);
    if (rtk_run(rt) != RTK_OK)
        return 2;
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    printf("tasks_executed=%llu\ntasks_failed=%llu\ntimers_fired=%llu\n"
           "commands_handled=%llu\ndrops_work_queue_full=%llu\n"
           "drops_total=%llu\nspin_min_ns=%llu\nspin_max_ns=%llu\n",
           (unsigned long long)s.tasks_executed,
           (unsigned long long)s.tasks_failed,
           (unsigned long long)s.timers_fired,
           (unsigned long long)s.commands_handled,
           (unsigned long long)s.drops[RTK_DROP_WORK_QUEUE_FULL],
           (unsigned long long)s.drops_total, (unsigned long long)spin_min,
           (unsigned long long)spin_max);
    rtk_runtime_destroy(rt);
    return 0;
}
