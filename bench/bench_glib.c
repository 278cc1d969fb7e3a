/* bench_glib.c - the peer benchmarks on GLib's main loop (Debian glib 2.74).
 *
 *   defer         g_idle_add of a callback returning G_SOURCE_REMOVE
 *                 (allocates a GSource, takes the context lock);
 *   timer_cancel  1 M g_timeout_add then g_source_remove(id), shuffled;
 *   timer_fire    1 M g_timeout_add, then the loop fires them all;
 *   xthread       2 producers, two ways, best kept: g_main_context_invoke
 *                 per item ("invoke", the documented cross-thread call) and
 *                 locked queue + one g_main_context_invoke of a drain when
 *                 the queue was empty ("lockq");
 *   xthread_batch the locked queue in batches of 64 under one lock each;
 *   xthread4, xthread8  xthread with 4 and 8 producers, the same total;
 *   wake          the same, paced: wake-up latency p50/p99;
 *   idle          main loop blocked 1 s on a timeout: thread CPU used.
 * Usage: bench_glib [all|defer|timer_cancel|timer_fire|xthread|xthread_batch|wake|idle|
 *        xthread4|xthread8]...
 */
#include "bench_common.h"

#include <glib.h>

static uint64_t g_count;

static gboolean on_once(gpointer ud)
{
    (void)ud;
    g_count++;
    return G_SOURCE_REMOVE;
}

static void bench_defer(void)
{
    const uint32_t n = BENCH_DEFER_N, b = BENCH_DEFER_BATCH;
    GMainContext *ctx = g_main_context_default();
    g_count = 0;
    uint64_t t0 = bench_cpu_ns();
    for (uint32_t done = 0; done < n; done += b) {
        for (uint32_t i = 0; i < b; i++)
            g_idle_add(on_once, NULL);
        while (g_main_context_iteration(ctx, FALSE)) {
        }
    }
    uint64_t t1 = bench_cpu_ns();
    if (g_count != n)
        fprintf(stderr, "bench_glib: idle ran %llu of %u\n",
                (unsigned long long)g_count, n);
    bench_result("defer", "glib", (double)(t1 - t0) / n, "ns/op",
                 "g_idle_add, G_SOURCE_REMOVE");
}

static void bench_timers(int cancel, int fire)
{
    const uint32_t n = BENCH_TIMERS_N;
    GMainContext *ctx = g_main_context_default();
    guint *ids = bench_xmalloc((size_t)n * sizeof *ids);
    uint32_t *when = bench_permutation(n, 1), *order = bench_permutation(n, 2);
    if (cancel) {
        uint64_t t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            ids[i] = g_timeout_add(1 + when[i] / 1000, on_once, NULL);
        for (uint32_t i = 0; i < n; i++)
            g_source_remove(ids[order[i]]);
        uint64_t t1 = bench_cpu_ns();
        bench_result("timer_cancel", "glib", (double)(t1 - t0) / n,
                     "ns/timer", "1M g_timeout_add + g_source_remove, ms deadlines");
    }
    if (fire) {
        g_count = 0;
        uint64_t w0 = bench_now_ns(), t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            ids[i] = g_timeout_add(1 + when[i] / 1000, on_once, NULL);
        uint64_t t1 = bench_cpu_ns();
        bench_sleep_until(w0 + (BENCH_TIMER_SPAN_US + 20000) * 1000ull);
        uint64_t t2 = bench_cpu_ns();
        while (g_count < n)
            g_main_context_iteration(ctx, FALSE);
        uint64_t t3 = bench_cpu_ns();
        bench_result("timer_fire", "glib", (double)(t1 - t0 + t3 - t2) / n,
                     "ns/timer", "1M start + fire (wait excluded)");
    }
    free(ids);
    free(when);
    free(order);
}

/* --- cross-thread ------------------------------------------------------- */

typedef struct gx {
    GMainContext *ctx;
    GMainLoop *loop;
    bench_lockq_t q;
    bench_item_t *spare;
    size_t spare_cap;
    uint64_t expected;
    uint64_t *lat; /* NULL: throughput run */
    /* the consumer's, written at every item: on a line of its own, apart
     * from what the producers touch (bench_xmalloc_lines) */
    _Alignas(64) uint64_t received;
    uint64_t done_ns;
} gx_t;

static gx_t *g_x; /* the one consumer (invoke passes only a pointer) */

/* w: bench_item_word */
static void gx_got(gx_t *x, uint64_t w)
{
    if (x->received == x->expected)
        return; /* nothing is sent twice; defensive */
    if (x->lat)
        x->lat[x->received] = bench_now_ns() - w;
    else
        bench_word_check(w);
    if (++x->received == x->expected) {
        x->done_ns = bench_now_ns();
        g_main_loop_quit(x->loop);
    }
}

static gboolean gx_one(gpointer ud)
{
    gx_got(g_x, (uint64_t)(uintptr_t)ud);
    return G_SOURCE_REMOVE;
}

static int gx_send_invoke(void *ctx, bench_item_t it)
{
    gx_t *x = ctx;
    g_main_context_invoke(x->ctx, gx_one, (gpointer)(uintptr_t)bench_item_word(it));
    return 0;
}

static gboolean gx_drain(gpointer ud)
{
    gx_t *x = ud;
    size_t n = bench_lockq_take(&x->q, &x->spare, &x->spare_cap);
    for (size_t i = 0; i < n; i++)
        gx_got(x, bench_item_word(x->spare[i]));
    return G_SOURCE_REMOVE;
}

static int gx_send_lockq(void *ctx, bench_item_t it)
{
    gx_t *x = ctx;
    if (bench_lockq_push(&x->q, it))
        g_main_context_invoke(x->ctx, gx_drain, x);
    return 0;
}

static uint32_t gx_send_lockq_many(void *ctx, const bench_item_t *its,
                                   uint32_t n)
{
    gx_t *x = ctx;
    if (bench_lockq_push_many(&x->q, its, n))
        g_main_context_invoke(x->ctx, gx_drain, x);
    return n;
}

/* lockq 2: the locked queue in batches of BENCH_XT_BATCH */
static void bench_xthread(int paced, int lockq)
{
    /* invoke allocates and wakes per item (~2 us): a fifth of the items
     * keeps the run short and the rate the same */
    uint32_t per = bench_per_producer(paced   ? BENCH_LAT_PER_PRODUCER
                                      : lockq ? BENCH_XT_PER_PRODUCER
                                              : BENCH_XT_PER_PRODUCER / 5);
    gx_t *x = bench_xmalloc_lines(sizeof *x);
    g_x = x;
    x->ctx = g_main_context_new();
    g_main_context_push_thread_default(x->ctx);
    g_main_context_acquire(x->ctx); /* producers must never run it */
    x->loop = g_main_loop_new(x->ctx, FALSE);
    bench_lockq_init(&x->q);
    x->spare_cap = 1024;
    x->spare = bench_xmalloc(x->spare_cap * sizeof *x->spare);
    x->expected = (uint64_t)bench_nprod * per;
    x->lat = paced ? bench_xmalloc(x->expected * sizeof *x->lat) : NULL;

    bench_producer_t p[BENCH_MAX_PRODUCERS];
    uint64_t t0 = bench_now_ns();
    if (lockq == 2)
        bench_producers_start_many(p, gx_send_lockq_many, x, per);
    else
        bench_producers_start(p, lockq ? gx_send_lockq : gx_send_invoke, x, per,
                              paced ? BENCH_LAT_PERIOD_NS : 0);
    g_main_loop_run(x->loop);
    uint64_t retries = bench_producers_join(p);
    /* sources queued after the quit (none expected) are dropped here */
    while (g_main_context_iteration(x->ctx, FALSE)) {
    }
    bench_report_xthread_as(bench_xt_name(lockq == 2),
                         lockq ? "glib:lockq" : "glib:invoke", paced, x->received,
                         x->expected, retries, x->lat, t0, x->done_ns, NULL);
    g_main_loop_unref(x->loop);
    g_main_context_release(x->ctx);
    g_main_context_pop_thread_default(x->ctx);
    g_main_context_unref(x->ctx);
    bench_lockq_destroy(&x->q);
    free(x->spare);
    free(x->lat);
    free(x);
}

/* --- idle --------------------------------------------------------------- */

static gboolean on_idle_done(gpointer ud)
{
    g_main_loop_quit(ud);
    return G_SOURCE_REMOVE;
}

static void bench_idle(void)
{
    GMainContext *ctx = g_main_context_new();
    GMainLoop *loop = g_main_loop_new(ctx, FALSE);
    GSource *s = g_timeout_source_new(BENCH_IDLE_NS / 1000000);
    g_source_set_callback(s, on_idle_done, loop, NULL);
    g_source_attach(s, ctx);
    g_source_unref(s);
    bench_usage_t u0 = bench_usage_now();
    g_main_loop_run(loop);
    bench_report_idle("glib", u0, NULL);
    g_main_loop_unref(loop);
    g_main_context_unref(ctx);
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
        /* BENCH_GLIB_XT=lockq: that variant only (bench/instr_count.sh
         * counts one process's instructions) */
        const char *only = getenv("BENCH_GLIB_XT");
        if (!only || strcmp(only, "lockq") != 0)
            bench_xthread(0, 0);
        bench_xthread(0, 1);
    }
    if (bench_want(argc, argv, "xthread_batch"))
        bench_xthread(0, 2);
    if (bench_want(argc, argv, "wake")) {
        /* BENCH_GLIB_WAKE=invoke|lockq: one variant only (the syscall
         * count of bench/wake_syscalls.sh is per process) */
        const char *only = getenv("BENCH_GLIB_WAKE");
        if (!only || strcmp(only, "invoke") == 0)
            bench_xthread(1, 0);
        if (!only || strcmp(only, "lockq") == 0)
            bench_xthread(1, 1);
    }
    for (uint32_t n = 4; n <= 8; n *= 2) {
        if (!bench_want(argc, argv, n == 4 ? "xthread4" : "xthread8"))
            continue;
        bench_nprod = n;
        bench_xthread(0, 0);
        bench_xthread(0, 1);
        bench_nprod = 2;
    }
    if (bench_want(argc, argv, "idle"))
        bench_idle();
    return 0;
}
