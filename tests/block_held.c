/* block_held.c - the segments that blocks referred to from the loop's FIFO
 * keep from their producer stay bounded (runtime/src/work_queue.c,
 * refer_block; internal.h, rtk__prod_may_refer): no more than copies of
 * the referred-to tasks would take in the FIFO, give or take
 * RTK__HELD_CELLS and the segment that crossed the line.
 *
 * One producer thread, driven round by round from the loop's thread:
 * each round sends a block of 4 tasks at a low priority and 8000 urgent
 * ones (80 blocks of 100, about one segment of the largest size), and the
 * loop runs exactly the urgent ones. Every low block so waits in a
 * segment of its own that the loop reads past. Checked after each round:
 * the bound, that segments are kept at all (round 2 on), and that once
 * the bound bites the low blocks are copied rather than referred to; at
 * the end, every reference and every kept segment gone. Exit 0 or a
 * message and 1. */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 12
#define URGENT 8000

static rtk_runtime_t *rt;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int round_asked, round_done;

static int noop(void *arg)
{
    (void)arg;
    return 0;
}

static void fail(int round, const char *what, unsigned long long got,
                 unsigned long long limit)
{
    fprintf(stderr, "block_held: round %d: %s %llu (limit %llu)\n", round, what,
            got, limit);
    exit(1);
}

static rtk_stats_t stats(void)
{
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    return s;
}

static void send(size_t n, rtk_priority_t prio)
{
    rtk_task_desc_t d[100];
    for (size_t i = 0; i < n; i++) {
        rtk_task_desc_init(&d[i], noop, NULL);
        d[i].priority = prio;
    }
    size_t taken = 0;
    if (rtk_submit_many(rt, d, n, NULL, &taken) != RTK_OK || taken != n)
        fail(round_asked, "a batch refused, taken", taken, n);
}

static void *producer(void *arg)
{
    (void)arg;
    for (int r = 1; r <= ROUNDS; r++) {
        pthread_mutex_lock(&mu);
        while (round_asked < r)
            pthread_cond_wait(&cv, &mu);
        pthread_mutex_unlock(&mu);
        send(4, 20);
        for (int b = 0; b < URGENT / 100; b++)
            send(100, 3);
        pthread_mutex_lock(&mu);
        round_done = r;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(void)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = 1u << 15;
    cfg.batch_size = URGENT;
    if (rtk_runtime_create(&cfg, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fprintf(stderr, "block_held: runtime create failed\n");
        return 1;
    }
    pthread_t th;
    pthread_create(&th, NULL, producer, NULL);
    const rtk__producer_t *p = &rt->wq_prod[0]; /* the only producer */
    size_t kept_max = 0;
    for (int r = 1; r <= ROUNDS; r++) {
        pthread_mutex_lock(&mu);
        round_asked = r;
        pthread_cond_broadcast(&cv);
        while (round_done < r)
            pthread_cond_wait(&cv, &mu);
        pthread_mutex_unlock(&mu);
        uint64_t before = stats().tasks_executed;
        rtk_tick(rt);
        uint64_t ran = stats().tasks_executed - before;
        if (ran != URGENT)
            fail(r, "tasks run", ran, URGENT);
        /* one segment of the largest size may cross the line */
        size_t limit = RTK__HELD_CELLS + p->rtasks * 7 / 4 + 4096;
        if (p->held_cells > limit)
            fail(r, "cells kept", p->held_cells, limit);
        if (r >= 2 && p->held_cells == 0)
            fail(r, "no segment kept: cells", 0, 1);
        if (p->held_cells > kept_max)
            kept_max = p->held_cells;
    }
    /* 12 low blocks waited; the bound copied some of them */
    if (p->crefs >= ROUNDS)
        fail(ROUNDS, "low blocks referred to", p->crefs, ROUNDS - 1);
    while (stats().work_queue_len != 0)
        rtk_tick(rt);
    if (p->crefs || p->rtasks || p->held_cells)
        fail(ROUNDS + 1, "left after the drain: references", p->crefs, 0);
    pthread_join(th, NULL);
    rtk_runtime_destroy(rt);
    printf("block_held: ok (at most %zu cells kept)\n", kept_max);
    return 0;
}
