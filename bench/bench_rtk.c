/* bench_rtk.c - the rtk side of every benchmark (built twice: bench_rtk
 * with tracing compiled in, bench_rtk_notrace against a copy of the runtime
 * built without RTK_TRACING).
 *
 *   defer         a task rtk_schedules 1024 no-op tasks, then rtk_tick runs
 *                 them (batch_size 1024, so one tick drains what one peer
 *                 loop iteration drains); the note also gives batch_size 16
 *                 and scheduling from outside a tick (the ring path); also
 *                 reported as trace_defer with the tracing mode as variant;
 *   timer_cancel  1 M rtk_timer_oneshot then rtk_timer_cancel, shuffled,
 *                 distinct us deadlines over 1 s;
 *   timer_fire    1 M rtk_timer_oneshot, then rtk_tick fires them all;
 *   xthread       2 producers rtk_schedule from their threads, two ways: a
 *                 work queue that holds every item ("bigq", like the peers'
 *                 unbounded vectors) and a 65536-slot one where producers
 *                 retry on RTK_EFULL ("q64k"; retries are reported); every
 *                 item must be delivered;
 *   xthread_batch the same in batches of 64 through rtk_submit_many (one
 *                 reservation and one ring claim per batch);
 *   wake          the same, paced: wake-up latency p50/p99 (loop in rtk_run),
 *                 by rtk_schedule ("rtk") and by RTK_CMD_SCHEDULE_TASK
 *                 commands ("rtk:cmd", an input thread's path);
 *   xthread4, xthread8  xthread with 4 and 8 producers sending the same
 *                 total (more threads than cores); every item delivered
 *                 and each producer's order checked;
 *   idle          rtk_run blocked 1 s on a timer: thread CPU used;
 *   prio_spread   a task rtk_schedules 2^20 no-op tasks whose priorities
 *                 take D distinct values in a scrambled order, then rtk_tick
 *                 runs them all; D = 1, 10, ..., 1 M (one row per D, the
 *                 variant "rtk:D"); the second of two passes on one
 *                 runtime is timed; the note gives the resident set after
 *                 the queue drained and the process's peak;
 *   prio_drift    the same 2^20 tasks 1024 at a time (queue depth 1024),
 *                 each wave the next 1024 of the same scrambled sequence,
 *                 so a long-running loop sees D distinct priorities over
 *                 time;
 *   prio_steady   Q tasks queued (Q = 1024 and 65536), and each task as it
 *                 runs schedules one more at a random priority of D values
 *                 (about half below the running one: deadlines, distance
 *                 from the cursor), 2^20 in all; D = 1, 1000, 1 M.
 * BENCH_TRACE_MODE (off|nosession|recording) names the tracing mode in the
 * trace_defer result; BENCH_DEFER_COUNT overrides the task count;
 * BENCH_XT_WQ the bounded queue's capacity (the q64k rows keep their name);
 * BENCH_XT_Q64K_ONLY=1 leaves the bigq rows out (profiling q64k alone);
 * BENCH_SPREAD_D runs prio_spread/prio_drift for that one D only,
 * BENCH_SPREAD_MAX for D up to that (an old queue takes minutes at 1 M),
 * BENCH_SPREAD_PASSES times the mean of that many passes (profiling);
 * BENCH_STEADY_Q and BENCH_STEADY_D run prio_steady for that one Q or D.
 * Usage: bench_rtk [all|defer|timer_cancel|timer_fire|xthread|xthread_batch|wake|idle|
 *                  prio_spread|prio_drift|prio_steady|xthread4|xthread8]...
 */
#include "bench_common.h"
#include "prio_workload.h"

#include <rtk/rtk.h>

#include <unistd.h>

#ifndef BENCH_RTK_TRACED
#define BENCH_RTK_TRACED 0
#endif

static uint64_t g_count;

static int on_task(void *arg)
{
    (void)arg;
    g_count++;
    return 0;
}

static rtk_runtime_t *make_runtime(size_t wq, size_t batch, size_t timers)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = wq;
    cfg.batch_size = batch;
    cfg.max_timers = timers;
    rtk_runtime_t *rt = NULL;
    int rc = rtk_runtime_create(&cfg, &rt);
    if (rc == RTK_OK)
        rc = rtk_boot(rt);
    if (rc != RTK_OK) {
        fprintf(stderr, "bench_rtk: runtime create/boot: %s\n", rtk_strerror(rc));
        exit(1);
    }
    return rt;
}

static void check_stats(rtk_runtime_t *rt, const char *what)
{
    rtk_stats_t st;
    rtk_stats_get(rt, &st);
    if (st.drops_total || st.tasks_failed)
        fprintf(stderr, "bench_rtk: %s: %llu drops, %llu failed tasks\n", what,
                (unsigned long long)st.drops_total,
                (unsigned long long)st.tasks_failed);
}

/* A task that schedules one batch of no-op tasks: scheduling from inside
 * the loop (a task, handler or timer), the usual case, which takes the
 * loop's private queue. */
static int schedule_batch(void *arg)
{
    rtk_runtime_t *rt = arg;
    for (uint32_t i = 0; i < BENCH_DEFER_BATCH; i++)
        rtk_schedule(rt, on_task, NULL, RTK_PRIORITY_NORMAL);
    return 0;
}

/* inloop: batches scheduled by a task; else from the loop thread between
 * ticks (the cross-thread ring path, as a foreign thread would). */
static double run_defer(uint32_t n, uint32_t batch, int inloop)
{
    rtk_runtime_t *rt = make_runtime(BENCH_DEFER_BATCH + 1, batch, 0);
    g_count = 0;
    uint64_t t0 = bench_cpu_ns();
    for (uint32_t done = 0; done < n; done += BENCH_DEFER_BATCH) {
        if (inloop)
            rtk_schedule(rt, schedule_batch, rt, RTK_PRIORITY_NORMAL);
        else
            schedule_batch(rt);
        uint64_t target = (uint64_t)done + BENCH_DEFER_BATCH;
        while (g_count < target)
            rtk_tick(rt);
    }
    uint64_t t1 = bench_cpu_ns();
    check_stats(rt, "defer");
    rtk_runtime_destroy(rt);
    return (double)(t1 - t0) / n;
}

static void bench_defer(void)
{
    uint32_t n = BENCH_DEFER_N;
    const char *env = getenv("BENCH_DEFER_COUNT");
    if (env && atol(env) > 0)
        n = (uint32_t)atol(env);
    n = (n + BENCH_DEFER_BATCH - 1) / BENCH_DEFER_BATCH * BENCH_DEFER_BATCH;
    /* BENCH_TRACE_MODE names the tracing row; unset: the peer row */
    const char *mode = getenv("BENCH_TRACE_MODE");
    int plain = !mode || !*mode;
    if (plain)
        mode = BENCH_RTK_TRACED ? "nosession" : "off";

    run_defer(n / 8, BENCH_DEFER_BATCH, 1); /* warm up */
    double ns = run_defer(n, BENCH_DEFER_BATCH, 1);
    char lib[32], note[128];
    /* one row per run: the tracing rows (mode given, or the untraced build)
     * and the peer comparison (traced build, no mode) sample separately */
    if (!BENCH_RTK_TRACED || !plain) {
        snprintf(lib, sizeof lib, "rtk:%s", mode);
        snprintf(note, sizeof note, "%u tasks, batch_size %u", n, BENCH_DEFER_BATCH);
        bench_result("trace_defer", lib, ns, "ns/op", note);
    } else {
        double b16 = run_defer(n, 16, 1);
        double ext = run_defer(n, BENCH_DEFER_BATCH, 0);
        snprintf(note, sizeof note,
                 "scheduled by a task; batch_size 16: %.1f ns; "
                 "scheduled between ticks: %.1f ns", b16, ext);
        bench_result("defer", "rtk", ns, "ns/op", note);
    }
}

static void bench_timers(int cancel, int fire)
{
    const uint32_t n = BENCH_TIMERS_N;
    rtk_runtime_t *rt = make_runtime((size_t)n + 1024, n, (size_t)n + 1024);
    rtk_id_t *ids = bench_xmalloc((size_t)n * sizeof *ids);
    uint32_t *when = bench_permutation(n, 1), *order = bench_permutation(n, 2);
    if (cancel) {
        uint64_t t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            if (rtk_timer_oneshot(rt, (1000ull + when[i]) * 1000ull, on_task,
                                  NULL, &ids[i]) != RTK_OK) {
                fprintf(stderr, "bench_rtk: timer start %u failed\n", i);
                exit(1);
            }
        for (uint32_t i = 0; i < n; i++)
            rtk_timer_cancel(rt, ids[order[i]]);
        uint64_t t1 = bench_cpu_ns();
        bench_result("timer_cancel", "rtk", (double)(t1 - t0) / n, "ns/timer",
                     "1M start + cancel, us deadlines");
    }
    if (fire) {
        g_count = 0;
        uint64_t w0 = bench_now_ns(), t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            if (rtk_timer_oneshot(rt, (1000ull + when[i]) * 1000ull, on_task,
                                  NULL, &ids[i]) != RTK_OK) {
                fprintf(stderr, "bench_rtk: timer start %u failed\n", i);
                exit(1);
            }
        uint64_t t1 = bench_cpu_ns();
        bench_sleep_until(w0 + (BENCH_TIMER_SPAN_US + 20000) * 1000ull);
        uint64_t t2 = bench_cpu_ns();
        while (g_count < n)
            rtk_tick(rt);
        uint64_t t3 = bench_cpu_ns();
        bench_result("timer_fire", "rtk", (double)(t1 - t0 + t3 - t2) / n,
                     "ns/timer", "1M start + fire (wait excluded)");
    }
    check_stats(rt, "timers");
    rtk_runtime_destroy(rt);
    free(ids);
    free(when);
    free(order);
}

/* --- cross-thread ------------------------------------------------------- */

/* The producers read the first line at every send (item_fn); the loop
 * writes the second at every item. On one line, each send waited for the
 * line the loop had just written: a cost of the harness, not of rtk. The
 * peers' harnesses keep their consumer's count on a line of its own too
 * (there it shared a line with their queue's length). */
static struct {
    rtk_runtime_t *rt;
    uint64_t expected;
    uint64_t *lat; /* NULL: throughput run */
    _Alignas(64) uint64_t received;
    uint64_t done_ns;
} __attribute__((aligned(64))) g_x;

/* The last item: the run's end time, and the loop stopped. Out of line, so
 * that the tasks below save no register for the call it makes. */
static __attribute__((noinline)) void items_done(void)
{
    g_x.done_ns = bench_now_ns();
    rtk_shutdown(g_x.rt);
}

/* A throughput run's task: each producer's order checked, the item
 * counted; what the peers' drain loops do per item. */
static int on_item(void *arg)
{
    bench_word_check((uint64_t)(uintptr_t)arg); /* bench_item_word */
    if (++g_x.received == g_x.expected)
        items_done();
    return 0;
}

/* A paced run's task: the latency from the send time the item carries. */
static int on_item_lat(void *arg)
{
    g_x.lat[g_x.received] = bench_now_ns() - (uint64_t)(uintptr_t)arg;
    if (++g_x.received == g_x.expected)
        items_done();
    return 0;
}

static rtk_task_fn item_fn(void)
{
    return g_x.lat ? on_item_lat : on_item;
}

static int rtk_send(void *ctx, bench_item_t it)
{
    return rtk_schedule((rtk_runtime_t *)ctx, item_fn(),
                        (void *)(uintptr_t)bench_item_word(it), RTK_PRIORITY_NORMAL) ==
                   RTK_EFULL;
}

/* The command form (wake row "rtk:cmd"): RTK_CMD_SCHEDULE_TASK, the path an
 * input thread's keystroke takes (rtk/input.h). */
static int rtk_send_cmd(void *ctx, bench_item_t it)
{
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, item_fn(), (void *)(uintptr_t)bench_item_word(it));
    return rtk_command_send((rtk_runtime_t *)ctx, RTK_CMD_SCHEDULE_TASK, &d, NULL) ==
           RTK_EFULL;
}
static int g_wake_cmd; /* the paced run sends commands, not submits */

/* The batch form: rtk_schedule_many (one function, the items its
 * arguments), the longest prefix that fits taken. BENCH_XT_DESCS=1 sends
 * the same batch as descriptors through rtk_submit_many instead. */
static int g_xt_descs = -1;
static uint32_t rtk_send_many(void *ctx, const bench_item_t *its, uint32_t n)
{
    size_t taken = 0;
    if (g_xt_descs) {
        rtk_task_desc_t d[BENCH_XT_BATCH];
        for (uint32_t i = 0; i < n; i++)
            rtk_task_desc_init(&d[i], item_fn(),
                               (void *)(uintptr_t)bench_item_word(its[i]));
        rtk_submit_many((rtk_runtime_t *)ctx, d, n, NULL, &taken);
        return (uint32_t)taken;
    }
    void *args[BENCH_XT_BATCH];
    for (uint32_t i = 0; i < n; i++)
        args[i] = (void *)(uintptr_t)bench_item_word(its[i]);
    rtk_schedule_many((rtk_runtime_t *)ctx, item_fn(), args, n, RTK_PRIORITY_NORMAL,
                      &taken);
    return (uint32_t)taken;
}

/* The bounded queue of the "q64k" runs: 65536, or BENCH_XT_WQ. */
static size_t xt_small_queue(void)
{
    const char *env = getenv("BENCH_XT_WQ");
    return env && atol(env) > 0 ? (size_t)atol(env) : 65536;
}

/* The bigq runs, unless BENCH_XT_Q64K_ONLY is set (profiling the q64k
 * row alone: bigq's first touches of 2 M cells swamp a profile). */
static int xt_bigq(void)
{
    const char *env = getenv("BENCH_XT_Q64K_ONLY");
    return !(env && *env && *env != '0');
}

/* wq: work queue capacity; 2^21 holds every item (the peers' vectors are
 * unbounded too), 65536 makes producers meet RTK_EFULL and retry. */
static void bench_xthread(int paced, size_t wq, int batched)
{
    uint32_t per = bench_per_producer(paced ? BENCH_LAT_PER_PRODUCER : BENCH_XT_PER_PRODUCER);
    g_x.rt = make_runtime(wq, 1024, 0);
    if (g_xt_descs < 0) {
        const char *e = getenv("BENCH_XT_DESCS");
        g_xt_descs = e && *e && *e != '0';
    }
    g_x.received = 0;
    g_x.expected = (uint64_t)bench_nprod * per;
    g_x.lat = paced ? bench_xmalloc(g_x.expected * sizeof *g_x.lat) : NULL;

    bench_producer_t p[BENCH_MAX_PRODUCERS];
    uint64_t t0 = bench_now_ns();
    if (batched)
        bench_producers_start_many(p, rtk_send_many, g_x.rt, per);
    else
        bench_producers_start(p, g_wake_cmd ? rtk_send_cmd : rtk_send, g_x.rt, per,
                              paced ? BENCH_LAT_PERIOD_NS : 0);
    int rc = rtk_run(g_x.rt);
    uint64_t retries = bench_producers_join(p);
    if (rc != RTK_OK)
        fprintf(stderr, "bench_rtk: rtk_run: %s\n", rtk_strerror(rc));
    rtk_stats_t st;
    rtk_stats_get(g_x.rt, &st);
    char extra[96];
    snprintf(extra, sizeof extra, " executed=%llu ticks=%llu idle_ms=%.1f",
             (unsigned long long)st.tasks_executed,
             (unsigned long long)st.loop_count, (double)st.idle_ns / 1e6);
    bench_report_xthread_as(bench_xt_name(batched),
                         paced ? (g_wake_cmd ? "rtk:cmd" : "rtk")
                               : wq >= g_x.expected ? "rtk:bigq" : "rtk:q64k",
                         paced,
                         g_x.received, g_x.expected, retries, g_x.lat, t0,
                         g_x.done_ns, extra);
    rtk_runtime_destroy(g_x.rt);
    free(g_x.lat);
    g_x.lat = NULL;
}

/* --- idle --------------------------------------------------------------- */

static int on_idle_done(void *arg)
{
    rtk_shutdown((rtk_runtime_t *)arg);
    return 0;
}

static void bench_idle(void)
{
    rtk_runtime_t *rt = make_runtime(0, 0, 0);
    rtk_timer_oneshot(rt, BENCH_IDLE_NS, on_idle_done, rt, NULL);
    bench_usage_t u0 = bench_usage_now();
    rtk_run(rt);
    rtk_stats_t st;
    rtk_stats_get(rt, &st);
    char extra[64];
    snprintf(extra, sizeof extra, " loops=%llu idle_ms=%.1f",
             (unsigned long long)st.loop_count, (double)st.idle_ns / 1e6);
    bench_report_idle("rtk", u0, extra);
    rtk_runtime_destroy(rt);
}

/* ---- prio_spread / prio_drift ------------------------------------------ */

#define SPREAD_N PRIO_WORKLOAD_N

static struct {
    rtk_runtime_t *rt;
    uint32_t d, wave, from, n;
} g_sp;

static int spread_fill(void *arg)
{
    (void)arg;
    for (uint32_t i = g_sp.from; i < g_sp.from + g_sp.n; i++)
        rtk_schedule(g_sp.rt, on_task, NULL, prio_workload_of(i, g_sp.d));
    return 0;
}

/* Resident set now (statm), MiB. */
static double rss_mib(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return (double)rss * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* One pass: SPREAD_N tasks, `wave` queued at a time. */
static void spread_pass(rtk_runtime_t *rt, uint32_t wave)
{
    g_count = 0;
    for (uint32_t from = 0; from < SPREAD_N; from += wave) {
        g_sp.from = from;
        g_sp.n = wave;
        rtk_schedule(rt, spread_fill, NULL, 0);
        uint64_t target = (uint64_t)from + wave;
        while (g_count < target)
            rtk_tick(rt);
    }
}

/* wave: tasks queued at a time (SPREAD_N: all at once). ns per task of
 * the second of two passes on one runtime (the first faults the queue's
 * pages in, as a long-running program's would be). */
static double run_spread(uint32_t d, uint32_t wave, double *rss_after)
{
    rtk_runtime_t *rt = make_runtime((size_t)wave + 1, wave + 1, 0);
    g_sp.rt = rt;
    g_sp.d = d;
    const char *env = getenv("BENCH_SPREAD_PASSES"); /* timed passes */
    uint32_t passes = env && atol(env) > 0 ? (uint32_t)atol(env) : 1;
    spread_pass(rt, wave);
    uint64_t t0 = bench_cpu_ns();
    for (uint32_t p = 0; p < passes; p++)
        spread_pass(rt, wave);
    uint64_t t1 = bench_cpu_ns();
    *rss_after = rss_mib();
    check_stats(rt, "prio_spread");
    rtk_runtime_destroy(rt);
    return (double)(t1 - t0) / SPREAD_N / passes;
}

static void bench_spread(const char *bench, uint32_t wave)
{
    static const uint32_t ds[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    double rss;
    const char *only = getenv("BENCH_SPREAD_D"); /* one D (profiling) */
    const char *max = getenv("BENCH_SPREAD_MAX"); /* D up to this only */
    run_spread(1, wave, &rss); /* warm up */
    for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
        if ((only && (uint32_t)atol(only) != ds[k]) ||
            (max && (uint32_t)atol(max) < ds[k]))
            continue;
        double ns = run_spread(ds[k], wave, &rss);
        char lib[32], note[160];
        snprintf(lib, sizeof lib, "rtk:%u", ds[k]);
        snprintf(note, sizeof note,
                 "%u tasks, %u queued at a time, %u distinct priorities; "
                 "rss after drain %.1f MiB, peak %.1f MiB",
                 SPREAD_N, wave, ds[k], rss, peak_mib());
        bench_result(bench, lib, ns, "ns/task", note);
    }
}

/* ---- prio_steady --------------------------------------------------------- */

static struct {
    rtk_runtime_t *rt;
    uint32_t d;
    uint64_t left, rng;
} g_st;

/* A random one of D values: the top 32 bits times D, shifted (a multiply,
 * not a division: prio_workload.h says why). */
static rtk_priority_t steady_prio(void)
{
    return (rtk_priority_t)(((bench_rand(&g_st.rng) >> 32) * g_st.d) >> 32);
}

static int steady_task(void *arg)
{
    (void)arg;
    g_count++;
    if (g_st.left) {
        g_st.left--;
        rtk_schedule(g_st.rt, steady_task, NULL, steady_prio());
    }
    return 0;
}

/* One pass: q queued, then 2^20 tasks each scheduling the next. ns/task
 * (thread CPU). */
static double steady_pass(rtk_runtime_t *rt, uint32_t q)
{
    g_count = 0;
    g_st.left = SPREAD_N - q;
    for (uint32_t i = 0; i < q; i++)
        rtk_schedule(rt, steady_task, NULL, steady_prio());
    uint64_t t0 = bench_cpu_ns();
    while (g_count < SPREAD_N)
        rtk_tick(rt);
    return (double)(bench_cpu_ns() - t0) / SPREAD_N;
}

static void bench_steady(void)
{
    static const uint32_t qs[] = {1024, 65536};
    static const uint32_t ds[] = {1, 1000, 1000000};
    const char *only_q = getenv("BENCH_STEADY_Q"), *only_d = getenv("BENCH_STEADY_D");
    for (size_t a = 0; a < 2; a++)
        for (size_t b = 0; b < 3; b++) {
            if ((only_q && (uint32_t)atol(only_q) != qs[a]) ||
                (only_d && (uint32_t)atol(only_d) != ds[b]))
                continue;
            rtk_runtime_t *rt = make_runtime((size_t)qs[a] + 16, 1024, 0);
            g_st.rt = rt;
            g_st.d = ds[b];
            g_st.rng = 0x9E3779B97F4A7C15ull;
            steady_pass(rt, qs[a]); /* warm: the queue's memory */
            double ns = steady_pass(rt, qs[a]);
            check_stats(rt, "prio_steady");
            rtk_runtime_destroy(rt);
            char lib[48], note[128];
            snprintf(lib, sizeof lib, "rtk:q%u:%u", qs[a], ds[b]);
            snprintf(note, sizeof note,
                     "%u tasks, %u queued throughout, each scheduling the next "
                     "at a random one of %u priorities",
                     SPREAD_N, qs[a], ds[b]);
            bench_result("prio_steady", lib, ns, "ns/task", note);
        }
}

int main(int argc, char **argv)
{
    bench_args(argc, argv);
    if (bench_want(argc, argv, "defer"))
        bench_defer();
    if (bench_want(argc, argv, "timer_cancel") || bench_want(argc, argv, "timer_fire"))
        bench_timers(bench_want(argc, argv, "timer_cancel"),
                     bench_want(argc, argv, "timer_fire"));
    if (bench_want(argc, argv, "xthread")) {
        if (xt_bigq())
            bench_xthread(0, (size_t)1 << 21, 0);
        bench_xthread(0, xt_small_queue(), 0);
    }
    if (bench_want(argc, argv, "xthread_batch")) {
        if (xt_bigq())
            bench_xthread(0, (size_t)1 << 21, 1);
        bench_xthread(0, xt_small_queue(), 1);
    }
    if (bench_want(argc, argv, "wake")) {
        bench_xthread(1, 65536, 0);
        g_wake_cmd = 1; /* the same through rtk_command_send */
        bench_xthread(1, 65536, 0);
        g_wake_cmd = 0;
    }
    for (uint32_t n = 4; n <= 8; n *= 2) {
        if (!bench_want(argc, argv, n == 4 ? "xthread4" : "xthread8"))
            continue;
        bench_nprod = n;
        if (xt_bigq())
            bench_xthread(0, (size_t)1 << 21, 0);
        bench_xthread(0, xt_small_queue(), 0);
        bench_nprod = 2;
    }
    if (bench_want(argc, argv, "idle"))
        bench_idle();
    if (bench_want(argc, argv, "prio_spread"))
        bench_spread("prio_spread", SPREAD_N);
    if (bench_want(argc, argv, "prio_drift"))
        bench_spread("prio_drift", 1024);
    if (bench_want(argc, argv, "prio_steady"))
        bench_steady();
    return 0;
}
