/* prod_marks.c - a producer's ring carries neither id nor cause per task
 * (rtk__pcell_t, internal.h): the loop counts ids on from marks and takes
 * the cause of the last one. The items the loop pops from another thread's
 * ring must carry the ids its submits returned and the causes they were
 * given, in its order, across:
 *   - consecutive ids (one mark, at the ring's first task);
 *   - ids skipped (rtk_next_id between two submits);
 *   - a cause set, kept, and dropped again;
 *   - rtk_submit_many with causes changing every few tasks;
 *   - a ring grown past its first segment and chained (5 000 tasks);
 *   - the ring's front popped directly when the loop's FIFO has no memory
 *     for a new priority (rtk__prod_pop_front after each drain, which
 *     takes the marks before the task it leaves);
 *   - the same front popped with no drain before (rtk__wq_pop_spilled
 *     alone, as for a ring the loop stopped watching): the marks are read
 *     there.
 * The producer is a thread of its own, joined before the loop side pops
 * (rtk__wq_pop, as the executor does). Exit 0: pass; 1: the first
 * failure, printed. */
#include "alloc_faults.h"
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TASKS 8000

typedef struct expect {
    rtk_id_t id, cause;
    rtk_priority_t priority;
} expect_t;

static rtk_runtime_t *rt;
static expect_t want[MAX_TASKS];
static size_t nwant;
static int phase; /* 1: the first script, 2 and 3: the spill script */

static int noop(void *arg)
{
    (void)arg;
    return 0;
}

static void fail(const char *what, size_t i, unsigned long long got,
                 unsigned long long exp)
{
    fprintf(stderr, "prod_marks: phase %d, task %zu: %s %llu, expected %llu\n",
            phase, i, what, got, exp);
    exit(1);
}

/* One submit; its id and cause (the thread's current cause, 0 here, when
 * the desc leaves it 0) expected. */
static void submit(rtk_priority_t prio, rtk_id_t cause)
{
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, noop, (void *)(uintptr_t)nwant);
    d.priority = prio;
    d.cause = cause;
    rtk_id_t id = 0;
    int rc = rtk_submit(rt, &d, &id);
    if (rc != RTK_OK)
        fail("submit refused, rc", nwant, (unsigned long long)-rc, 0);
    want[nwant++] = (expect_t){id, cause, prio};
}

static void submit_many(size_t n, rtk_priority_t prio, size_t cause_every)
{
    rtk_task_desc_t d[64];
    for (size_t i = 0; i < n; i++) {
        rtk_task_desc_init(&d[i], noop, (void *)(uintptr_t)(nwant + i));
        d[i].priority = prio;
        d[i].cause = (rtk_id_t)(i / cause_every % 2 ? 5000 + i / cause_every : 0);
    }
    rtk_id_t ids[64];
    size_t taken = 0;
    if (rtk_submit_many(rt, d, n, ids, &taken) != RTK_OK || taken != n)
        fail("submit_many took", nwant, taken, n);
    for (size_t i = 0; i < n; i++)
        want[nwant++] = (expect_t){ids[i], d[i].cause, prio};
}

static void *script(void *arg)
{
    (void)arg;
    if (phase == 1) {
        for (int i = 0; i < 100; i++) /* consecutive ids */
            submit(RTK_PRIORITY_NORMAL, 0);
        (void)rtk_next_id(); /* a gap */
        submit(RTK_PRIORITY_NORMAL, 0);
        (void)rtk_next_id();
        (void)rtk_next_id();
        submit(RTK_PRIORITY_NORMAL, 0);
        submit(RTK_PRIORITY_NORMAL, 777); /* a cause set */
        submit(RTK_PRIORITY_NORMAL, 777); /* kept */
        submit(RTK_PRIORITY_NORMAL, 0);   /* dropped */
        submit_many(64, RTK_PRIORITY_NORMAL, 16);
        for (int i = 0; i < 5000; i++) /* past the first segments */
            submit(RTK_PRIORITY_NORMAL, i % 1000 == 999 ? (rtk_id_t)i : 0);
    } else { /* 2 and 3 */
        for (int i = 0; i < 300; i++) {
            if (i % 7 == 3)
                (void)rtk_next_id();
            submit(RTK_PRIORITY_HIGH, i % 11 < 4 ? (rtk_id_t)(9000 + i / 11) : 0);
        }
    }
    return NULL;
}

static void run_script(void)
{
    nwant = 0;
    pthread_t th;
    if (pthread_create(&th, NULL, script, NULL) != 0 || pthread_join(th, NULL) != 0) {
        fprintf(stderr, "prod_marks: cannot run the producer thread\n");
        exit(1);
    }
}

/* Pop every task expected and compare; direct: from the rings' fronts
 * only, no drain (the count of places kept as rtk__wq_pop does). */
static bool pop(rtk__item_t *it, bool direct)
{
    if (!direct)
        return rtk__wq_pop(rt, it);
    if (!rtk__wq_pop_spilled(rt, it))
        return false;
    atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
    return true;
}

static void check_pops(bool direct)
{
    for (size_t i = 0; i < nwant; i++) {
        rtk__item_t it;
        if (!pop(&it, direct))
            fail("nothing to pop; popped", i, i, nwant);
        if ((uintptr_t)it.u.task.arg != i)
            fail("order: got the task", i, (uintptr_t)it.u.task.arg, i);
        if (it.id != want[i].id)
            fail("id", i, it.id, want[i].id);
        if (it.cause != want[i].cause)
            fail("cause", i, it.cause, want[i].cause);
        if (it.priority != want[i].priority)
            fail("priority", i, (unsigned long long)it.priority,
                 (unsigned long long)want[i].priority);
        if (it.source != RTK__SRC_SUBMIT || it.u.task.fn != noop)
            fail("source or fn of", i, it.source, RTK__SRC_SUBMIT);
    }
    rtk__item_t extra;
    if (pop(&extra, direct))
        fail("one more item popped, id", nwant, extra.id, 0);
}

int main(void)
{
    rtk_config_t c;
    rtk_config_init(&c);
    c.work_queue_capacity = 8192;
    if (rtk_runtime_create(&c, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fprintf(stderr, "prod_marks: runtime create failed\n");
        return 1;
    }
    phase = 1;
    run_script();
    check_pops(false);
    size_t first = nwant;

    /* Phase 2: a priority the FIFO has no level for, and no memory to
     * make one: the tasks stay in the ring and are popped from its front. */
    phase = 2;
    run_script();
    rtk_test_alloc_reset();
    rtk_test_alloc_fail_at(0, 1);
    check_pops(false);
    long failed = rtk_test_alloc_failures();
    rtk_test_alloc_fail_at(-1, 0);
    if (failed == 0)
        fail("allocations made to fail (the spill path not taken):", 0, 0, 1);

    /* Phase 3: the same script, every task from the ring's front. */
    phase = 3;
    run_script();
    check_pops(true);

    rtk_runtime_destroy(rt);
    printf("prod_marks: %zu tasks, then %zu twice, popped with their ids and causes\n",
           first, nwant);
    return 0;
}
