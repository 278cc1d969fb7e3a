/* cpu_time.c - the workload of e2e.cpu_time: tasks whose CPU time and
 * wall-clock run time are known apart, run with config.task_cpu_time on
 * ("on") or off ("off").
 *
 *   spin   burns 20 ms of this thread's CPU (it reads the thread CPU clock
 *          until 20 ms have passed on it): cpu_ns >= 20 ms, <= its run time
 *   sleep  sleeps 30 ms (nanosleep): run time >= 30 ms, cpu_ns a sliver
 *   noop   returns at once
 * Each runs 5 times; then the loop stops. Prints nothing; exit 0. */
#define _POSIX_C_SOURCE 200809L
#include <rtk/rtk.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int spin(void *arg)
{
    (void)arg;
    uint64_t t0 = cpu_ns();
    volatile uint64_t x = 0;
    while (cpu_ns() - t0 < 20000000u)
        for (int i = 0; i < 1000; i++)
            x += (uint64_t)i;
    return 0;
}

static int nap(void *arg)
{
    (void)arg;
    struct timespec d = {0, 30000000};
    while (nanosleep(&d, &d))
        ;
    return 0;
}

static int noop(void *arg)
{
    (void)arg;
    return 0;
}

static int stop(void *arg)
{
    (void)arg;
    rtk_shutdown(rtk_current_runtime());
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off"))) {
        fprintf(stderr, "usage: rtk_cpu_time on|off\n");
        return 2;
    }
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.task_cpu_time = !strcmp(argv[1], "on");
    rtk_runtime_t *rt;
    if (rtk_runtime_create(&cfg, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK)
        return 1;
    static const struct {
        const char *name;
        rtk_task_fn fn;
    } work[] = {{"spin", spin}, {"sleep", nap}, {"noop", noop}};
    for (int i = 0; i < 5; i++)
        for (int w = 0; w < 3; w++) {
            rtk_task_desc_t d;
            rtk_task_desc_init(&d, work[w].fn, NULL);
            d.name = work[w].name;
            if (rtk_submit(rt, &d, NULL) != RTK_OK)
                return 1;
        }
    rtk_task_desc_t s;
    rtk_task_desc_init(&s, stop, NULL);
    s.name = "stop";
    s.priority = RTK_PRIORITY_LOW;
    if (rtk_submit(rt, &s, NULL) != RTK_OK)
        return 1;
    int rc = rtk_run(rt);
    rtk_runtime_destroy(rt);
    return rc == RTK_OK ? 0 : 1;
}
