/* bench_uv.c - the peer benchmarks on libuv (Debian libuv1).
 *
 *   defer         no-op deferred callbacks, two ways, best one kept:
 *                 uv_idle handles stopped in their callback (a linked-list
 *                 insert) and 0 ms uv_timers (a heap insert);
 *   timer_cancel  1 M uv_timer_start then uv_timer_stop, shuffled orders;
 *   timer_fire    1 M uv_timer_start, then the loop fires them all;
 *   xthread       2 producers, locked queue + uv_async_send (sent only when
 *                 the queue was empty; uv_async_send coalesces anyway);
 *   xthread_batch the same in batches of 64 under one lock each;
 *   xthread4, xthread8  xthread with 4 and 8 producers, the same total;
 *   wake          the same protocol, paced: wake-up latency p50/p99;
 *   idle          loop blocked 1 s on a timer: thread CPU used.
 * Handles are allocated and initialised outside the timed regions.
 * Usage: bench_uv [all|defer|timer_cancel|timer_fire|xthread|xthread_batch|wake|idle|
 *        xthread4|xthread8]...
 */
#include "bench_common.h"

#include <uv.h>

static uint64_t g_count;

static void on_idle(uv_idle_t *h)
{
    g_count++;
    uv_idle_stop(h);
}

static void on_timer(uv_timer_t *h)
{
    (void)h;
    g_count++;
}

static void close_one(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void close_all(uv_loop_t *loop)
{
    uv_walk(loop, close_one, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
}

static void bench_defer(void)
{
    const uint32_t n = BENCH_DEFER_N, b = BENCH_DEFER_BATCH;
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_idle_t *idles = bench_xmalloc(b * sizeof *idles);
    uv_timer_t *timers = bench_xmalloc(b * sizeof *timers);
    for (uint32_t i = 0; i < b; i++) {
        uv_idle_init(&loop, &idles[i]);
        uv_timer_init(&loop, &timers[i]);
    }

    g_count = 0;
    uint64_t t0 = bench_cpu_ns();
    for (uint32_t done = 0; done < n; done += b) {
        for (uint32_t i = 0; i < b; i++)
            uv_idle_start(&idles[i], on_idle);
        uv_run(&loop, UV_RUN_NOWAIT);
    }
    uint64_t t1 = bench_cpu_ns();
    if (g_count != n)
        fprintf(stderr, "bench_uv: idle ran %llu of %u\n",
                (unsigned long long)g_count, n);
    bench_result("defer", "uv:idle", (double)(t1 - t0) / n, "ns/op",
                 "uv_idle_start; stop in callback");

    g_count = 0;
    t0 = bench_cpu_ns();
    for (uint32_t done = 0; done < n; done += b) {
        for (uint32_t i = 0; i < b; i++)
            uv_timer_start(&timers[i], on_timer, 0, 0);
        uv_run(&loop, UV_RUN_NOWAIT);
    }
    t1 = bench_cpu_ns();
    if (g_count != n)
        fprintf(stderr, "bench_uv: timer0 ran %llu of %u\n",
                (unsigned long long)g_count, n);
    bench_result("defer", "uv:timer0", (double)(t1 - t0) / n, "ns/op",
                 "uv_timer_start(0 ms)");
    close_all(&loop);
    free(idles);
    free(timers);
}

static void bench_timers(int cancel, int fire)
{
    const uint32_t n = BENCH_TIMERS_N;
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_timer_t *t = bench_xmalloc((size_t)n * sizeof *t);
    uint32_t *when = bench_permutation(n, 1), *order = bench_permutation(n, 2);
    for (uint32_t i = 0; i < n; i++)
        uv_timer_init(&loop, &t[i]);

    if (cancel) {
        uv_update_time(&loop);
        uint64_t t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            uv_timer_start(&t[i], on_timer, 1 + when[i] / 1000, 0);
        for (uint32_t i = 0; i < n; i++)
            uv_timer_stop(&t[order[i]]);
        uint64_t t1 = bench_cpu_ns();
        bench_result("timer_cancel", "uv", (double)(t1 - t0) / n,
                     "ns/timer", "1M start + stop, ms deadlines");
    }
    if (fire) {
        g_count = 0;
        uv_update_time(&loop);
        uint64_t w0 = bench_now_ns(), t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            uv_timer_start(&t[i], on_timer, 1 + when[i] / 1000, 0);
        uint64_t t1 = bench_cpu_ns();
        bench_sleep_until(w0 + (BENCH_TIMER_SPAN_US + 20000) * 1000ull);
        uint64_t t2 = bench_cpu_ns();
        while (g_count < n)
            uv_run(&loop, UV_RUN_NOWAIT);
        uint64_t t3 = bench_cpu_ns();
        bench_result("timer_fire", "uv", (double)(t1 - t0 + t3 - t2) / n,
                     "ns/timer", "1M start + fire (wait excluded)");
    }
    close_all(&loop);
    free(t);
    free(when);
    free(order);
}

/* --- cross-thread ------------------------------------------------------- */

typedef struct uvx {
    uv_loop_t loop;
    uv_async_t async;
    bench_lockq_t q;
    bench_item_t *spare;
    size_t spare_cap;
    uint64_t expected;
    uint64_t *lat; /* NULL: throughput run */
    /* the consumer's, written at every item: on a line of its own, apart
     * from what the producers touch (bench_xmalloc_lines) */
    _Alignas(64) uint64_t received;
    uint64_t done_ns;
} uvx_t;

static int uvx_send(void *ctx, bench_item_t it)
{
    uvx_t *x = ctx;
    if (bench_lockq_push(&x->q, it))
        uv_async_send(&x->async);
    return 0;
}

static uint32_t uvx_send_many(void *ctx, const bench_item_t *its, uint32_t n)
{
    uvx_t *x = ctx;
    if (bench_lockq_push_many(&x->q, its, n))
        uv_async_send(&x->async);
    return n;
}

static void uvx_drain(uv_async_t *a)
{
    uvx_t *x = a->data;
    size_t n = bench_lockq_take(&x->q, &x->spare, &x->spare_cap);
    for (size_t i = 0; i < n; i++) {
        if (x->lat)
            x->lat[x->received] = bench_now_ns() - x->spare[i].sent_ns;
        else
            bench_order_check(x->spare[i].producer, x->spare[i].seq);
        x->received++;
    }
    if (x->received == x->expected) {
        x->done_ns = bench_now_ns();
        uv_stop(&x->loop); /* closed after the producers are joined */
    }
}

static void bench_xthread(int paced, int batched)
{
    uint32_t per = bench_per_producer(paced ? BENCH_LAT_PER_PRODUCER : BENCH_XT_PER_PRODUCER);
    uvx_t *x = bench_xmalloc_lines(sizeof *x);
    uv_loop_init(&x->loop);
    uv_async_init(&x->loop, &x->async, uvx_drain);
    x->async.data = x;
    bench_lockq_init(&x->q);
    x->spare_cap = 1024;
    x->spare = bench_xmalloc(x->spare_cap * sizeof *x->spare);
    x->expected = (uint64_t)bench_nprod * per;
    x->lat = paced ? bench_xmalloc(x->expected * sizeof *x->lat) : NULL;

    bench_producer_t p[BENCH_MAX_PRODUCERS];
    uint64_t t0 = bench_now_ns();
    if (batched)
        bench_producers_start_many(p, uvx_send_many, x, per);
    else
        bench_producers_start(p, uvx_send, x, per, paced ? BENCH_LAT_PERIOD_NS : 0);
    uv_run(&x->loop, UV_RUN_DEFAULT);
    uint64_t retries = bench_producers_join(p);
    uv_close((uv_handle_t *)&x->async, NULL);
    uv_run(&x->loop, UV_RUN_DEFAULT);
    bench_report_xthread_as(bench_xt_name(batched), "uv", paced, x->received, x->expected, retries,
                         x->lat, t0, x->done_ns, NULL);
    uv_loop_close(&x->loop);
    bench_lockq_destroy(&x->q);
    free(x->spare);
    free(x->lat);
    free(x);
}

/* --- idle --------------------------------------------------------------- */

static void on_idle_done(uv_timer_t *t)
{
    uv_close((uv_handle_t *)t, NULL);
}

static void bench_idle(void)
{
    uv_loop_t loop;
    uv_timer_t t;
    uv_loop_init(&loop);
    uv_timer_init(&loop, &t);
    uv_timer_start(&t, on_idle_done, BENCH_IDLE_NS / 1000000, 0);
    bench_usage_t u0 = bench_usage_now();
    uv_run(&loop, UV_RUN_DEFAULT);
    bench_report_idle("uv", u0, NULL);
    uv_loop_close(&loop);
}

int main(int argc, char **argv)
{
    bench_args(argc, argv);
    if (bench_want(argc, argv, "defer"))
        bench_defer();
    if (bench_want(argc, argv, "timer_cancel") || bench_want(argc, argv, "timer_fire"))
        bench_timers(bench_want(argc, argv, "timer_cancel"),
                     bench_want(argc, argv, "timer_fire"));
    if (bench_want(argc, argv, "xthread"))
        bench_xthread(0, 0);
    if (bench_want(argc, argv, "xthread_batch"))
        bench_xthread(0, 1);
    for (uint32_t n = 4; n <= 8; n *= 2) {
        if (!bench_want(argc, argv, n == 4 ? "xthread4" : "xthread8"))
            continue;
        bench_nprod = n;
        bench_xthread(0, 0);
        bench_nprod = 2;
    }
    if (bench_want(argc, argv, "wake"))
        bench_xthread(1, 0);
    if (bench_want(argc, argv, "idle"))
        bench_idle();
    return 0;
}
