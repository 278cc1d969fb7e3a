/* bucket_floor.c - the other way to queue a million tasks with a million
 * distinct priorities: put each item near its place when it is pushed,
 * rather than sort it after (sort_floor.c). `bench_rtk prio_spread`'s
 * workload, all 2^20 tasks queued at once: each push appends its 56-byte
 * item to one of 2^K buckets by the priority's top bits, in chunks of C
 * items from one pool; the drain opens the buckets in order, sorts each
 * one's (priority, index) pairs by an LSD radix sort on the bits its
 * priorities differ in, and calls the items in that order, 16 fetched
 * ahead. Beside it, the same items through one FIFO.
 *
 * It is given what a real queue does not have: the range of the
 * priorities, [0, D), before the first push, so its buckets are even and
 * never re-split. A queue in a runtime would have to learn the range and
 * pay for that too, so this bounds the design from below.
 *
 *   bench_bucket_floor [REPS]   best of REPS (default 5) timed passes
 *
 * RESULT lines per shape and D (1 ... 1M distinct priorities), named
 * bB:D for B buckets (b32: chunks of 1024 tasks, the best shape found;
 * b256: chunks of 128) and bB:fifo1 for the one FIFO: thread CPU ns per
 * task and the ratio to the one FIFO. bench/run.sh puts b32 in its floor
 * table.
 * docs/benchmarks.md, "Priority spread", "Buckets at the push". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floor_workload.h"

#define MAX_BUCKETS 256u
#define MIN_CHUNK 128u
#define MAX_CHUNK 1024u
/* every item, plus a part-filled chunk per bucket */
#define POOL_ITEMS ((size_t)N + (size_t)MAX_BUCKETS * MAX_CHUNK)
#define DIGIT 11u

typedef struct bucket {
    item_t *tail;  /* where the next push writes */
    uint32_t left; /* room left in the last chunk */
    uint32_t first, last, n;
} bucket_t;

typedef struct shape {
    unsigned bits;  /* 2^bits buckets */
    uint32_t chunk; /* items per chunk */
} shape_t;

static item_t *g_pool;              /* chunks, `chunk` items each */
static uint32_t *g_next, *g_free;   /* chunk -> next; free chunks (a stack) */
static uint32_t g_nfree;
static bucket_t g_b[MAX_BUCKETS];
static uint64_t *g_keys, *g_tmp;    /* a bucket's (priority, index) pairs */
static item_t **g_ptr;              /* a bucket's items by index */

static inline void push(const shape_t *sh, unsigned shift, item_t it)
{
    bucket_t *b = &g_b[it.priority >> shift];
    if (__builtin_expect(b->left == 0, 0)) {
        uint32_t c = g_free[--g_nfree];
        if (b->n)
            g_next[b->last] = c;
        else
            b->first = c;
        b->last = c;
        b->tail = g_pool + (size_t)c * sh->chunk;
        b->left = sh->chunk;
    }
    *b->tail++ = it;
    b->left--;
    b->n++;
}

/* Stable LSD radix sort of a[0, n) on the priority bits (the upper half)
 * that vary; returns where the result is (a or t). */
static uint64_t *sort_keys(uint64_t *a, uint64_t *t, uint32_t n)
{
    uint64_t k0 = a[0], vary = 0;
    for (uint32_t i = 1; i < n; i++)
        vary |= a[i] ^ k0;
    vary &= ~(uint64_t)UINT32_MAX;
    if (!vary)
        return a;
    unsigned lo = (unsigned)__builtin_ctzll(vary);
    unsigned hi = 64u - (unsigned)__builtin_clzll(vary);
    unsigned passes = (hi - lo + DIGIT - 1) / DIGIT;
    unsigned width = (hi - lo + passes - 1) / passes;
    uint32_t mask = (1u << width) - 1, count[1u << DIGIT];
    for (unsigned p = 0, s = lo; p < passes; p++, s += width) {
        memset(count, 0, (mask + 1) * sizeof count[0]);
        for (uint32_t i = 0; i < n; i++)
            count[(a[i] >> s) & mask]++;
        uint32_t sum = 0;
        for (uint32_t d = 0; d <= mask; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (uint32_t i = 0; i < n; i++)
            t[count[(a[i] >> s) & mask]++] = a[i];
        uint64_t *x = a;
        a = t;
        t = x;
    }
    return a;
}

static __attribute__((noinline)) void drain(const shape_t *sh)
{
    for (uint32_t bi = 0; bi < (1u << sh->bits); bi++) {
        bucket_t *b = &g_b[bi];
        uint32_t n = 0, c = b->first, left = b->n;
        while (left) {
            uint32_t m = left < sh->chunk ? left : sh->chunk;
            item_t *it = g_pool + (size_t)c * sh->chunk;
            for (uint32_t i = 0; i < m; i++, n++) {
                g_ptr[n] = &it[i];
                g_keys[n] = (uint64_t)it[i].priority << 32 | n;
            }
            g_free[g_nfree++] = c;
            left -= m;
            c = g_next[c];
        }
        const uint64_t *k = n ? sort_keys(g_keys, g_tmp, n) : g_keys;
        for (uint32_t i = 0; i < n; i++) {
            if (i + 16 < n)
                __builtin_prefetch(g_ptr[(uint32_t)k[i + 16]]);
            item_t it = *g_ptr[(uint32_t)k[i]];
            it.fn(it.arg);
        }
        b->n = b->left = 0;
    }
}

static __attribute__((noinline)) void run_fifo(const item_t *items)
{
    for (uint32_t k = 0; k < N; k++) {
        item_t it = items[k];
        it.fn(it.arg);
    }
}

/* One pass of N tasks, all queued; d == 0: one FIFO (`fifo`, the
 * priorities still computed). ns/task. */
static double pass(const shape_t *sh, uint32_t d, item_t *fifo)
{
    unsigned range = d > 1 ? 32u - (unsigned)__builtin_clz(d - 1) : 0;
    unsigned shift = range > sh->bits ? range - sh->bits : 0;
    uint64_t id = 0, t0 = floor_cpu_ns();
    for (uint32_t i = 0; i < N; i++) {
        uint32_t p = prio_workload_of(i, d ? d : 1);
        item_t it = {.fn = task, .id = ++id, .priority = p};
        if (d)
            push(sh, shift, it);
        else
            fifo[i] = it;
    }
    if (d)
        drain(sh);
    else
        run_fifo(fifo);
    return (double)(floor_cpu_ns() - t0) / N;
}

int main(int argc, char **argv)
{
    int reps = floor_reps(argc, argv,
                          "(prio_spread's: all queued) through buckets by the priority's top bits, no rtk",
                          5);
    if (reps < 1)
        return reps == 0 ? 0 : 2;
    g_pool = aligned_alloc(64, POOL_ITEMS * sizeof *g_pool);
    g_next = malloc(POOL_ITEMS / MIN_CHUNK * sizeof *g_next);
    g_free = malloc(POOL_ITEMS / MIN_CHUNK * sizeof *g_free);
    g_keys = malloc((size_t)N * sizeof *g_keys);
    g_tmp = malloc((size_t)N * sizeof *g_tmp);
    g_ptr = malloc((size_t)N * sizeof *g_ptr);
    item_t *fifo = malloc((size_t)N * sizeof *fifo);
    if (!g_pool || !g_next || !g_free || !g_keys || !g_tmp || !g_ptr || !fifo) {
        fprintf(stderr, "bench_bucket_floor: out of memory\n");
        return 1;
    }
    static const shape_t shapes[] = {{5, 1024}, {8, 128}};
    static const uint32_t ds[] = {0, 1, 10, 100, 1000, 10000, 100000, 1000000};
    enum { NS = sizeof shapes / sizeof *shapes, ND = sizeof ds / sizeof *ds };
    double best[NS][ND];
    for (unsigned s = 0; s < NS; s++)
        for (unsigned k = 0; k < ND; k++)
            best[s][k] = 1e30;
    uint64_t passes = 0;
    for (int r = 0; r < reps; r++)
        for (unsigned s = 0; s < NS; s++) {
            /* the free stack in address order, so the first chunks taken
             * are the pool's first */
            uint32_t chunks = (uint32_t)(POOL_ITEMS / shapes[s].chunk);
            g_nfree = 0;
            for (uint32_t c = chunks; c-- > 0;)
                g_free[g_nfree++] = c;
            for (unsigned k = 0; k < ND; k++) {
                pass(&shapes[s], ds[k], fifo); /* warm: pages and caches */
                double ns = pass(&shapes[s], ds[k], fifo);
                passes += 2;
                if (ns < best[s][k])
                    best[s][k] = ns;
            }
        }
    for (unsigned s = 0; s < NS; s++)
        for (unsigned k = 0; k < ND; k++)
            printf("RESULT\tbucket_floor\tb%u:%s%u\t%.2f\tns/task\t%.2fx one FIFO, %u buckets "
                   "of %u-task chunks, all queued, best of %d\n",
                   1u << shapes[s].bits, ds[k] ? "" : "fifo", ds[k] ? ds[k] : 1, best[s][k],
                   best[s][k] / best[s][0], 1u << shapes[s].bits, shapes[s].chunk, reps);
    free(g_pool);
    free(g_next);
    free(g_free);
    free(g_keys);
    free(g_tmp);
    free(g_ptr);
    free(fifo);
    return g_ran == passes * N ? 0 : 1;
}
