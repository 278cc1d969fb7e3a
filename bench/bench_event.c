/* bench_event.c - the peer benchmarks on libevent 2.1 (Debian libevent-dev).
 *
 *   defer         no-op deferred callbacks, two ways, best kept:
 *                 event_active on preallocated events ("active": a push on
 *                 the priority's active queue) and event_base_once with a
 *                 zero timeout ("once": allocates, activates at once);
 *   timer_cancel  1 M evtimer_add then evtimer_del, shuffled, us deadlines;
 *   timer_fire    1 M evtimer_add, then the loop fires them all;
 *   idle          loop blocked 1 s on a timer: thread CPU used;
 *   xthread       (evthread_use_pthreads) 2 producers, locked queue +
 *                 event_active of one user event when the queue was empty;
 *   xthread_batch the same in batches of 64 under one lock each;
 *   xthread4, xthread8  xthread with 4 and 8 producers, the same total;
 *   wake          the same, paced: wake-up latency p50/p99.
 * defer/timers/idle run on a base without locking; evthread is enabled
 * only before the cross-thread runs (it cannot be turned off again).
 * Usage: bench_event [all|defer|timer_cancel|timer_fire|xthread|xthread_batch|wake|idle|
 *        xthread4|xthread8]...
 */
#include "bench_common.h"

#include <event2/event.h>
#include <event2/thread.h>

static uint64_t g_count;

static void on_event(evutil_socket_t fd, short what, void *ud)
{
    (void)fd;
    (void)what;
    (void)ud;
    g_count++;
}

static void bench_defer(void)
{
    const uint32_t n = BENCH_DEFER_N, b = BENCH_DEFER_BATCH;
    struct event_base *base = event_base_new();
    struct event **ev = bench_xmalloc(b * sizeof *ev);
    for (uint32_t i = 0; i < b; i++)
        ev[i] = event_new(base, -1, 0, on_event, NULL);

    g_count = 0;
    uint64_t t0 = bench_cpu_ns();
    for (uint32_t done = 0; done < n; done += b) {
        for (uint32_t i = 0; i < b; i++)
            event_active(ev[i], EV_TIMEOUT, 1);
        event_base_loop(base, EVLOOP_NONBLOCK);
    }
    uint64_t t1 = bench_cpu_ns();
    if (g_count != n)
        fprintf(stderr, "bench_event: active ran %llu of %u\n",
                (unsigned long long)g_count, n);
    bench_result("defer", "event:active", (double)(t1 - t0) / n, "ns/op",
                 "event_active on preallocated events");

    const struct timeval zero = {0, 0};
    g_count = 0;
    t0 = bench_cpu_ns();
    for (uint32_t done = 0; done < n; done += b) {
        for (uint32_t i = 0; i < b; i++)
            event_base_once(base, -1, EV_TIMEOUT, on_event, NULL, &zero);
        event_base_loop(base, EVLOOP_NONBLOCK);
    }
    t1 = bench_cpu_ns();
    if (g_count != n)
        fprintf(stderr, "bench_event: once ran %llu of %u\n",
                (unsigned long long)g_count, n);
    bench_result("defer", "event:once", (double)(t1 - t0) / n, "ns/op",
                 "event_base_once, zero timeout");
    for (uint32_t i = 0; i < b; i++)
        event_free(ev[i]);
    free(ev);
    event_base_free(base);
}

static void bench_timers(int cancel, int fire)
{
    const uint32_t n = BENCH_TIMERS_N;
    struct event_base *base = event_base_new();
    size_t sz = event_get_struct_event_size();
    unsigned char *mem = bench_xmalloc((size_t)n * sz);
    uint32_t *when = bench_permutation(n, 1), *order = bench_permutation(n, 2);
    struct timeval *tv = bench_xmalloc((size_t)n * sizeof *tv);
#define EV_AT(i) ((struct event *)(void *)(mem + (size_t)(i) * sz))
    for (uint32_t i = 0; i < n; i++) {
        evtimer_assign(EV_AT(i), base, on_event, NULL);
        tv[i].tv_sec = (1000 + when[i]) / 1000000;
        tv[i].tv_usec = (1000 + when[i]) % 1000000;
    }
    if (cancel) {
        uint64_t t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            evtimer_add(EV_AT(i), &tv[i]);
        for (uint32_t i = 0; i < n; i++)
            evtimer_del(EV_AT(order[i]));
        uint64_t t1 = bench_cpu_ns();
        bench_result("timer_cancel", "event", (double)(t1 - t0) / n,
                     "ns/timer", "1M evtimer_add + evtimer_del, us deadlines");
    }
    if (fire) {
        g_count = 0;
        uint64_t w0 = bench_now_ns(), t0 = bench_cpu_ns();
        for (uint32_t i = 0; i < n; i++)
            evtimer_add(EV_AT(i), &tv[i]);
        uint64_t t1 = bench_cpu_ns();
        bench_sleep_until(w0 + (BENCH_TIMER_SPAN_US + 20000) * 1000ull);
        uint64_t t2 = bench_cpu_ns();
        while (g_count < n)
            event_base_loop(base, EVLOOP_NONBLOCK);
        uint64_t t3 = bench_cpu_ns();
        bench_result("timer_fire", "event", (double)(t1 - t0 + t3 - t2) / n,
                     "ns/timer", "1M start + fire (wait excluded)");
    }
#undef EV_AT
    event_base_free(base);
    free(mem);
    free(tv);
    free(when);
    free(order);
}

/* --- cross-thread ------------------------------------------------------- */

typedef struct evx {
    struct event_base *base;
    struct event *wake;
    bench_lockq_t q;
    bench_item_t *spare;
    size_t spare_cap;
    uint64_t expected;
    uint64_t *lat; /* NULL: throughput run */
    /* the consumer's, written at every item: on a line of its own, apart
     * from what the producers touch (bench_xmalloc_lines) */
    _Alignas(64) uint64_t received;
    uint64_t done_ns;
} evx_t;

static int evx_send(void *ctx, bench_item_t it)
{
    evx_t *x = ctx;
    if (bench_lockq_push(&x->q, it))
        event_active(x->wake, EV_READ, 1);
    return 0;
}

static uint32_t evx_send_many(void *ctx, const bench_item_t *its, uint32_t n)
{
    evx_t *x = ctx;
    if (bench_lockq_push_many(&x->q, its, n))
        event_active(x->wake, EV_READ, 1);
    return n;
}

static void evx_drain(evutil_socket_t fd, short what, void *ud)
{
    (void)fd;
    (void)what;
    evx_t *x = ud;
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
        event_base_loopbreak(x->base);
    }
}

static void bench_xthread(int paced, int batched)
{
    uint32_t per = bench_per_producer(paced ? BENCH_LAT_PER_PRODUCER : BENCH_XT_PER_PRODUCER);
    evx_t *x = bench_xmalloc_lines(sizeof *x);
    x->base = event_base_new();
    x->wake = event_new(x->base, -1, 0, evx_drain, x);
    bench_lockq_init(&x->q);
    x->spare_cap = 1024;
    x->spare = bench_xmalloc(x->spare_cap * sizeof *x->spare);
    x->expected = (uint64_t)bench_nprod * per;
    x->lat = paced ? bench_xmalloc(x->expected * sizeof *x->lat) : NULL;

    bench_producer_t p[BENCH_MAX_PRODUCERS];
    uint64_t t0 = bench_now_ns();
    if (batched)
        bench_producers_start_many(p, evx_send_many, x, per);
    else
        bench_producers_start(p, evx_send, x, per, paced ? BENCH_LAT_PERIOD_NS : 0);
    event_base_loop(x->base, EVLOOP_NO_EXIT_ON_EMPTY);
    uint64_t retries = bench_producers_join(p);
    bench_report_xthread_as(bench_xt_name(batched), "event", paced, x->received, x->expected, retries,
                         x->lat, t0, x->done_ns, NULL);
    event_free(x->wake);
    event_base_free(x->base);
    bench_lockq_destroy(&x->q);
    free(x->spare);
    free(x->lat);
    free(x);
}

/* --- idle --------------------------------------------------------------- */

static void on_idle_done(evutil_socket_t fd, short what, void *ud)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(ud);
}

static void bench_idle(void)
{
    struct event_base *base = event_base_new();
    struct event *t = evtimer_new(base, on_idle_done, base);
    struct timeval tv = {(time_t)(BENCH_IDLE_NS / 1000000000ull), 0};
    evtimer_add(t, &tv);
    bench_usage_t u0 = bench_usage_now();
    event_base_dispatch(base);
    bench_report_idle("event", u0, NULL);
    event_free(t);
    event_base_free(base);
}

int main(int argc, char **argv)
{
    bench_args(argc, argv);
    if (bench_want(argc, argv, "defer"))
        bench_defer();
    if (bench_want(argc, argv, "timer_cancel") || bench_want(argc, argv, "timer_fire"))
        bench_timers(bench_want(argc, argv, "timer_cancel"),
                     bench_want(argc, argv, "timer_fire"));
    if (bench_want(argc, argv, "idle"))
        bench_idle();
    if (bench_want(argc, argv, "xthread") || bench_want(argc, argv, "wake") ||
        bench_want(argc, argv, "xthread_batch") ||
        bench_want(argc, argv, "xthread4") || bench_want(argc, argv, "xthread8")) {
        if (evthread_use_pthreads() != 0) {
            fprintf(stderr, "bench_event: evthread_use_pthreads failed\n");
            return 1;
        }
        if (bench_want(argc, argv, "xthread"))
            bench_xthread(0, 0);
        if (bench_want(argc, argv, "xthread_batch"))
            bench_xthread(0, 1);
        if (bench_want(argc, argv, "wake"))
            bench_xthread(1, 0);
        for (uint32_t n = 4; n <= 8; n *= 2) {
            if (!bench_want(argc, argv, n == 4 ? "xthread4" : "xthread8"))
                continue;
            bench_nprod = n;
            bench_xthread(0, 0);
            bench_nprod = 2;
        }
    }
    return 0;
}
