/* fifo_floor.c - the floor under `bench_rtk prio_drift` and `prio_spread`
 * for a few distinct priorities: the same 2^20 no-op "tasks" with the same
 * scrambled priorities, 1024 queued at a time (drift) or all at once
 * (spread), through the barest priority FIFO there is (one circular buffer per
 * priority, the priority its index, 56-byte items as rtk's, the lowest
 * non-empty level popped first, each item's function called through its
 * pointer). No ids, no stats, no checks: what scrambled priorities cost
 * the machine itself, as against what they cost rtk's queue.
 *
 *   bench_fifo_floor [REPS]     best of REPS (default 7) timed passes
 *
 * Prints a RESULT line per depth and D (1, 2, 10, 64 distinct priorities):
 * thread CPU ns per task and the ratio to D = 1 at that depth; variants
 * "bare:D" (1024 queued) and "all:D" (all queued). docs/benchmarks.md,
 * "Priority spread", has a run; bench/run.sh puts it in the floor table. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floor_workload.h"

#define WAVE 1024u
#define LEVELS 64u

typedef struct fifo {
    item_t *buf;
    uint32_t head, len;
} fifo_t;

static fifo_t g_level[LEVELS];
static uint32_t g_cap; /* per level, a power of two: set_depth() */
static uint32_t g_first; /* no level below it holds an item */

static __attribute__((noinline)) void push(uint32_t p, uint64_t id)
{
    fifo_t *f = &g_level[p];
    if (f->len == 0)
        f->head = 0; /* refill the memory the last fill wrote (rtk does) */
    item_t *s = &f->buf[(f->head + f->len++) & (g_cap - 1)];
    *s = (item_t){.fn = task, .id = id, .priority = p};
    if (p < g_first)
        g_first = p;
}

static __attribute__((noinline)) int pop(item_t *out)
{
    while (g_first < LEVELS && g_level[g_first].len == 0)
        g_first++;
    if (g_first == LEVELS)
        return 0;
    fifo_t *f = &g_level[g_first];
    *out = f->buf[f->head];
    f->head = (f->head + 1) & (g_cap - 1);
    f->len--;
    return 1;
}

/* d levels, each with room for what `wave` tasks put in it: at most
 * ceil(N / d) when all are queued (i * 0x9E3779B1 is a bijection on 20
 * bits, so the priorities take each value of i mod d equally often);
 * d = 0 frees them all. */
static int set_depth(uint32_t wave, uint32_t d)
{
    static uint32_t levels;
    uint32_t need = wave < N ? 2 * wave : (N + d - 1) / (d ? d : 1);
    uint32_t cap = 64;
    while (cap < need)
        cap *= 2;
    if (cap == g_cap && d == levels)
        return 0;
    g_cap = cap;
    levels = d;
    for (uint32_t l = 0; l < LEVELS; l++) {
        free(g_level[l].buf);
        g_level[l] = (fifo_t){0};
        if (l < d && !(g_level[l].buf = malloc((size_t)cap * sizeof(item_t))))
            return -1;
    }
    return 0;
}

/* One pass of N tasks, `wave` queued at a time; ns per task. */
static double pass(uint32_t d, uint32_t wave)
{
    uint64_t t0 = floor_cpu_ns(), id = 0;
    for (uint32_t from = 0; from < N; from += wave) {
        for (uint32_t i = from; i < from + wave; i++)
            push(prio_workload_of(i, d), ++id);
        item_t it;
        while (pop(&it))
            it.fn(it.arg);
    }
    return (double)(floor_cpu_ns() - t0) / N;
}

int main(int argc, char **argv)
{
    int reps = floor_reps(argc, argv, "through a FIFO per priority (1 to 64), no rtk", 7);
    if (reps < 1)
        return reps == 0 ? 0 : 2;
    static const uint32_t waves[] = {WAVE, N};
    static const uint32_t ds[] = {1, 2, 10, 64};
    double best[2][4];
    for (int w = 0; w < 2; w++)
        for (int k = 0; k < 4; k++)
            best[w][k] = 1e30;
    for (int r = 0; r < reps; r++)
        for (int w = 0; w < 2; w++)
            for (int k = 0; k < 4; k++) {
                /* the first depth's buffers serve every D; all queued
                 * needs each level sized for its share */
                if (set_depth(waves[w], w ? ds[k] : LEVELS) != 0) {
                    fprintf(stderr, "bench_fifo_floor: out of memory\n");
                    return 1;
                }
                pass(ds[k], waves[w]); /* warm: the levels' pages and lines */
                double ns = pass(ds[k], waves[w]);
                if (ns < best[w][k])
                    best[w][k] = ns;
            }
    for (int w = 0; w < 2; w++)
        for (int k = 0; k < 4; k++)
            printf("RESULT\tfifo_floor\t%s:%u\t%.2f\tns/task\t%.2fx the 1-priority figure "
                   "at this depth, best of %d\n",
                   w ? "all" : "bare", ds[k], best[w][k], best[w][k] / best[w][0], reps);
    set_depth(WAVE, 0); /* frees every level (none allocated for d = 0) */
    return g_ran == (uint64_t)reps * 16u * N ? 0 : 1;
}
