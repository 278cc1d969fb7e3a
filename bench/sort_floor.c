/* sort_floor.c - the floor under `bench_rtk prio_drift` and `prio_spread`
 * for any number of distinct priorities: the same 2^20 no-op "tasks" with
 * the same scrambled priorities, queued 1024 at a time (drift) or all at
 * once (spread), run in priority order and FIFO within a priority by the
 * barest sort-based queue: 56-byte items (as rtk's) appended in push
 * order, a (priority, index) pair per item, the pairs put in order by an
 * LSD radix sort over only the bits in which the wave's priorities differ
 * (11-bit digits, every digit's counts taken in one read), then each item
 * called through its pointer in that order, 16 items fetched ahead.
 * Beside it, the same items through one FIFO (no priorities): the figure
 * a priority's cost is a multiple of. No ids, no stats, no checks.
 *
 * It bounds nothing from below; it says what a straightforward, tuned
 * sort costs this machine, so that the part of rtk's ratio that is the
 * machine's can be told from the part that is rtk's own.
 *
 *   bench_sort_floor [REPS]     best of REPS (default 5) timed passes
 *
 * RESULT lines per depth (1024, 1M queued) and D (1 ... 1M distinct
 * priorities): thread CPU ns per task and the ratio to the one FIFO at
 * that depth. docs/benchmarks.md, "Priority spread", has a run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floor_workload.h"

#define DIGIT 10u /* 2 passes for 20 bits; 16 KiB of offsets, in L1 */
#define BUCKETS (1u << DIGIT)
#define QUARTERS 4u

typedef struct pair {
    uint32_t priority, index;
} pair_t;

static item_t *g_items;
static pair_t *g_pairs, *g_tmp;

/* Stable LSD radix sort of p[0, n) by priority, over the bits where the
 * priorities differ (none: nothing to do), in passes of equal width (at
 * most DIGIT bits). Each pass scatters the four quarters of its input
 * side by side, each through its own offsets: four independent chains of
 * count loads and stores, where one chain would wait on the store of the
 * previous item whenever two items nearby share a digit (few digits: most
 * of the time). Still stable: a quarter's offsets for a digit come after
 * the earlier quarters'. Returns where the result is. */
static pair_t *sort_pairs(pair_t *p, pair_t *tmp, uint32_t n)
{
    uint32_t all_or = 0, all_and = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        all_or |= p[i].priority;
        all_and &= p[i].priority;
    }
    uint32_t diff = all_or ^ all_and;
    if (!diff)
        return p;
    unsigned lo = (unsigned)__builtin_ctz(diff);
    unsigned bits = 32u - (unsigned)__builtin_clz(diff) - lo;
    unsigned passes = (bits + DIGIT - 1) / DIGIT;
    unsigned width = (bits + passes - 1) / passes;
    uint32_t mask = (1u << width) - 1, q = n / QUARTERS;
    static uint32_t off[QUARTERS][BUCKETS];
    for (unsigned k = 0, shift = lo; k < passes; k++, shift += width) {
        memset(off, 0, sizeof off);
        for (unsigned h = 0; h < QUARTERS; h++) {
            uint32_t e = h + 1 < QUARTERS ? (h + 1) * q : n;
            for (uint32_t i = h * q; i < e; i++)
                off[h][(p[i].priority >> shift) & mask]++;
        }
        uint32_t sum = 0;
        for (uint32_t b = 0; b <= mask; b++)
            for (unsigned h = 0; h < QUARTERS; h++) {
                uint32_t c = off[h][b];
                off[h][b] = sum;
                sum += c;
            }
        for (uint32_t i = 0; i < q; i++)
            for (unsigned h = 0; h < QUARTERS; h++) {
                pair_t x = p[h * q + i];
                tmp[off[h][(x.priority >> shift) & mask]++] = x;
            }
        for (uint32_t i = QUARTERS * q; i < n; i++) {
            pair_t x = p[i];
            tmp[off[QUARTERS - 1][(x.priority >> shift) & mask]++] = x;
        }
        pair_t *t = p;
        p = tmp;
        tmp = t;
    }
    return p;
}

static __attribute__((noinline)) void run_sorted(uint32_t wave)
{
    pair_t *order = sort_pairs(g_pairs, g_tmp, wave);
    for (uint32_t k = 0; k < wave; k++) {
        if (k + 16 < wave)
            __builtin_prefetch(&g_items[order[k + 16].index]);
        item_t it = g_items[order[k].index];
        it.fn(it.arg);
    }
}

static __attribute__((noinline)) void run_fifo(uint32_t wave)
{
    for (uint32_t k = 0; k < wave; k++) {
        item_t it = g_items[k];
        it.fn(it.arg);
    }
}

/* One pass of N tasks, `wave` queued at a time; d == 0: one FIFO (the
 * priorities still computed, as rtk's bench computes them). ns/task. */
static double pass(uint32_t d, uint32_t wave)
{
    uint64_t id = 0;
    uint64_t t0 = floor_cpu_ns();
    for (uint32_t from = 0; from < N; from += wave) {
        for (uint32_t i = 0; i < wave; i++) {
            uint32_t p = prio_workload_of(from + i, d ? d : 1);
            g_items[i] = (item_t){.fn = task, .id = ++id, .priority = p};
            g_pairs[i] = (pair_t){p, i};
        }
        if (d)
            run_sorted(wave);
        else
            run_fifo(wave);
    }
    return (double)(floor_cpu_ns() - t0) / N;
}

int main(int argc, char **argv)
{
    int reps = floor_reps(argc, argv, "through a radix-sorted queue (1 to 1 M priorities), no rtk", 5);
    if (reps < 1)
        return reps == 0 ? 0 : 2;
    g_items = malloc((size_t)N * sizeof *g_items);
    g_pairs = malloc((size_t)N * sizeof *g_pairs);
    g_tmp = malloc((size_t)N * sizeof *g_tmp);
    if (!g_items || !g_pairs || !g_tmp) {
        fprintf(stderr, "bench_sort_floor: out of memory\n");
        return 1;
    }
    static const uint32_t waves[] = {1024, N};
    static const uint32_t ds[] = {0, 1, 10, 100, 1000, 10000, 100000, 1000000};
    enum { NW = sizeof waves / sizeof *waves, ND = sizeof ds / sizeof *ds };
    double best[NW][ND];
    for (unsigned w = 0; w < NW; w++)
        for (unsigned k = 0; k < ND; k++)
            best[w][k] = 1e30;
    uint64_t passes = 0;
    for (int r = 0; r < reps; r++)
        for (unsigned w = 0; w < NW; w++)
            for (unsigned k = 0; k < ND; k++) {
                pass(ds[k], waves[w]); /* warm: pages and caches */
                double ns = pass(ds[k], waves[w]);
                passes += 2;
                if (ns < best[w][k])
                    best[w][k] = ns;
            }
    for (unsigned w = 0; w < NW; w++)
        for (unsigned k = 0; k < ND; k++)
            printf("RESULT\tsort_floor\t%s:%s%u\t%.2f\tns/task\t%.2fx one FIFO at "
                   "this depth, best of %d\n",
                   w ? "all" : "1024", ds[k] ? "" : "fifo", ds[k] ? ds[k] : 1,
                   best[w][k], best[w][k] / best[w][0], reps);
    free(g_items);
    free(g_pairs);
    free(g_tmp);
    return g_ran == passes * N ? 0 : 1;
}
