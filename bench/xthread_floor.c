/* xthread_floor.c - the floor under the cross-thread rows (`xthread`):
 * the same 2 producers sending 1 M items each, one per call, to one
 * consumer thread, through the barest lock-free queues there are, no
 * library around them. What moving items between the cores costs this
 * machine, as against what the libraries' queues cost:
 *
 *   spsc:16    a single-producer ring per producer, 16-byte cells (the
 *              peers' item): the producer writes the cell and publishes
 *              its tail with a release store, no read-modify-write; the
 *              consumer sweeps the rings and publishes each ring's head;
 *   spsc:32    the same with 32-byte cells: what a compact cross-thread
 *              record would move (a task's function, argument, id and
 *              priority; two a cache line);
 *   spsc:64    the same with 64-byte cells (rtk's 56-byte item and its
 *              sequence number fill a cache line);
 *   shared:64  one ring for all producers, rtk's protocol: a place
 *              reserved with a fetch-add on a shared count, a cell claimed
 *              with a fetch-add on a shared tail, published by its
 *              sequence number; the consumer gives places back once per
 *              sweep;
 *   shared1:64 the same ring with the reservation and the claim in one
 *              word (count and tail), taken by one compare-and-swap.
 *
 * Every ring has 65536 cells, so producers meet "full" and retry (yield)
 * as rtk's q64k runs do. The consumer never sleeps: it yields when a
 * sweep finds nothing (no wake-up protocol; the libraries pay one). Each
 * producer's order is checked, and lost items counted, as in every
 * library's run.
 *
 *   bench_xthread_floor [spsc16|spsc32|spsc64|shared64|shared1]...   (default: all)
 *
 * RESULT lines: bench "xthread_floor", variant as above, M items/s.
 * docs/benchmarks.md, "Cross-thread submission", has a run. */
#include "bench_common.h"

#include <stdatomic.h>

#define CELLS 65536u

typedef struct cell16 {
    bench_item_t it;
} cell16_t;

typedef struct cell32 {
    bench_item_t it;
    uint64_t body[2]; /* the rest of a compact record */
} cell32_t;

typedef struct cell64 {
    bench_item_t it;
    _Atomic uint64_t seq; /* shared rings only: the cell's turn */
    uint64_t body[5];     /* the rest of an rtk item */
} __attribute__((aligned(64))) cell64_t;

/* One producer's ring: tail written by the producer, head by the
 * consumer, each on its own line with the other's cached copy. */
typedef struct spsc {
    _Alignas(64) _Atomic uint32_t tail;
    uint32_t head_seen; /* producer's copy of head */
    _Alignas(64) _Atomic uint32_t head;
    void *cells;
} spsc_t;

static spsc_t g_ring[BENCH_MAX_PRODUCERS];
static int g_cell; /* bytes a cell: 16, 32 or 64 */
static int g_one;  /* shared1:64 */

static int spsc_send(void *ctx, bench_item_t it)
{
    (void)ctx;
    spsc_t *r = &g_ring[it.producer];
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    if (t - r->head_seen == CELLS) {
        r->head_seen = atomic_load_explicit(&r->head, memory_order_acquire);
        if (t - r->head_seen == CELLS)
            return 1;
    }
    if (g_cell == 64) {
        cell64_t *c = &((cell64_t *)r->cells)[t & (CELLS - 1)];
        c->it = it;
        for (int i = 0; i < 5; i++)
            c->body[i] = it.seq;
    } else if (g_cell == 32) {
        cell32_t *c = &((cell32_t *)r->cells)[t & (CELLS - 1)];
        c->it = it;
        c->body[0] = c->body[1] = it.seq;
    } else {
        ((cell16_t *)r->cells)[t & (CELLS - 1)].it = it;
    }
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    return 0;
}

/* Take what every ring has published; the number of items taken. */
static uint64_t spsc_sweep(void)
{
    uint64_t got = 0;
    for (uint32_t p = 0; p < bench_nprod; p++) {
        spsc_t *r = &g_ring[p];
        uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
        uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
        for (; h != t; h++) {
            uint32_t i = h & (CELLS - 1);
            bench_item_t it = g_cell == 64   ? ((cell64_t *)r->cells)[i].it
                              : g_cell == 32 ? ((cell32_t *)r->cells)[i].it
                                             : ((cell16_t *)r->cells)[i].it;
            bench_word_check(bench_item_word(it));
            got++;
        }
        atomic_store_explicit(&r->head, h, memory_order_release);
    }
    return got;
}

/* The shared ring (rtk's protocol). */
static struct {
    _Alignas(64) _Atomic uint64_t count; /* places reserved */
    _Alignas(64) _Atomic uint64_t tail;  /* next cell to claim */
    _Alignas(64) uint64_t head;          /* consumer only */
    cell64_t *cells;
} g_sh;

/* Fill the cell of position pos and publish it. The reservation means
 * the cell's last item was taken; its sequence (low 32 bits) says so once
 * the consumer's store is visible. */
static void put_cell(uint64_t pos, bench_item_t it)
{
    cell64_t *c = &g_sh.cells[pos & (CELLS - 1)];
    while ((uint32_t)atomic_load_explicit(&c->seq, memory_order_acquire) != (uint32_t)pos)
        sched_yield();
    c->it = it;
    for (int i = 0; i < 5; i++)
        c->body[i] = it.seq;
    atomic_store_explicit(&c->seq, (uint32_t)(pos + 1), memory_order_release);
}

static int shared_send(void *ctx, bench_item_t it)
{
    (void)ctx;
    if (atomic_fetch_add_explicit(&g_sh.count, 1, memory_order_seq_cst) >= CELLS) {
        atomic_fetch_sub_explicit(&g_sh.count, 1, memory_order_relaxed);
        return 1;
    }
    put_cell(atomic_fetch_add_explicit(&g_sh.tail, 1, memory_order_relaxed), it);
    return 0;
}

/* shared1:64: the reservation and the claim in one word (count in the low
 * half, tail in the high), taken with one compare-and-swap. */
static _Alignas(64) _Atomic uint64_t g_word;

static int shared1_send(void *ctx, bench_item_t it)
{
    (void)ctx;
    uint64_t w = atomic_load_explicit(&g_word, memory_order_relaxed);
    do {
        if ((uint32_t)w >= CELLS)
            return 1;
    } while (!atomic_compare_exchange_weak_explicit(&g_word, &w, w + ((uint64_t)1 << 32) + 1,
                                                    memory_order_seq_cst,
                                                    memory_order_relaxed));
    put_cell(w >> 32, it);
    return 0;
}

static uint64_t shared_sweep(void)
{
    uint64_t got = 0, h = g_sh.head;
    for (;;) {
        cell64_t *c = &g_sh.cells[h & (CELLS - 1)];
        if ((uint32_t)atomic_load_explicit(&c->seq, memory_order_acquire) != (uint32_t)(h + 1))
            break;
        bench_word_check(bench_item_word(c->it));
        atomic_store_explicit(&c->seq, (uint32_t)(h + CELLS), memory_order_release);
        h++;
        got++;
    }
    g_sh.head = h;
    if (got)
        atomic_fetch_sub_explicit(g_one ? &g_word : &g_sh.count, got, memory_order_release);
    return got;
}

static void run(const char *variant, int shared, int cell)
{
    g_one = shared == 2;
    uint32_t per = bench_per_producer(BENCH_XT_PER_PRODUCER);
    uint64_t expected = (uint64_t)bench_nprod * per, received = 0;
    g_cell = cell;
    bench_order_reset();
    if (shared) {
        g_sh.cells = bench_xmalloc(CELLS * sizeof *g_sh.cells);
        for (uint32_t i = 0; i < CELLS; i++)
            atomic_init(&g_sh.cells[i].seq, i);
        atomic_init(&g_sh.count, 0);
        atomic_init(&g_sh.tail, 0);
        atomic_init(&g_word, 0);
        g_sh.head = 0;
    } else {
        for (uint32_t p = 0; p < bench_nprod; p++) {
            atomic_init(&g_ring[p].tail, 0);
            atomic_init(&g_ring[p].head, 0);
            g_ring[p].head_seen = 0;
            g_ring[p].cells = bench_xmalloc(CELLS * (size_t)cell);
            /* touched here, as a library's ring is at init, not in the run */
            memset(g_ring[p].cells, 0, CELLS * (size_t)cell);
        }
    }
    bench_producer_t p[BENCH_MAX_PRODUCERS];
    uint64_t t0 = bench_now_ns();
    bench_producers_start(p, shared == 2 ? shared1_send : shared ? shared_send : spsc_send,
                          NULL, per, 0);
    while (received < expected) {
        uint64_t got = shared ? shared_sweep() : spsc_sweep();
        if (!got)
            sched_yield();
        received += got;
    }
    uint64_t done = bench_now_ns();
    uint64_t retries = bench_producers_join(p);
    bench_report_xthread_as("xthread_floor", variant, 0, received, expected, retries,
                            NULL, t0, done, NULL);
    if (shared)
        free(g_sh.cells);
    else
        for (uint32_t q = 0; q < bench_nprod; q++)
            free(g_ring[q].cells);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"spsc16", "spsc32", "spsc64", "shared64", "shared1"};
    enum { NV = sizeof names / sizeof names[0] };
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: %s [spsc16|spsc32|spsc64|shared64|shared1]...\n"
               "The xthread row's 2 producers through the barest queues, no library\n"
               "(all when none is named); one RESULT line each, M items/s.\n",
               argv[0]);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        int ok = 0;
        for (int k = 0; k < NV; k++)
            ok |= strcmp(argv[i], names[k]) == 0;
        if (!ok) {
            fprintf(stderr, "usage: bench_xthread_floor [spsc16|spsc32|spsc64|shared64|shared1]...  "
                            "('%s' is not one)\n", argv[i]);
            return 2;
        }
    }
    int want[NV];
    for (int k = 0; k < NV; k++) {
        want[k] = argc == 1;
        for (int i = 1; i < argc; i++)
            want[k] |= strcmp(argv[i], names[k]) == 0;
    }
    if (want[0])
        run("spsc:16", 0, 16);
    if (want[1])
        run("spsc:32", 0, 32);
    if (want[2])
        run("spsc:64", 0, 64);
    if (want[3])
        run("shared:64", 1, 64);
    if (want[4])
        run("shared1:64", 2, 64);
    return bench_misordered ? 1 : 0;
}
