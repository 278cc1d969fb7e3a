/* prod_marks.c - a producer's ring carries neither id nor cause per task
 * (rtk__pcell_t, internal.h): the loop counts ids on from marks and takes
 * the cause of the last one. The items the loop pops from another thread's
 * ring must carry the ids its submits returned and the causes they were
 * given, in its order, across:
 *   - consecutive ids (one mark, at the ring's first task);
 *   - ids skipped (rtk_next_id between two submits);
 *   - a cause set, kept, and dropped again;
 *   - rtk_submit_many with causes changing every few tasks, and batches
 *     sent as blocks (internal.h): runs of 4 to 256 tasks of one priority
 *     and cause, odd and even, a run cut by a priority, a cause or the
 *     end of the thread's id block, fewer than 4 one cell each;
 *   - a ring grown past its first segment and chained (5 000 tasks);
 *   - the ring's front popped directly when the loop's FIFO has no memory
 *     for a new priority (rtk__prod_pop_front after each drain, which
 *     takes the marks before the task it leaves);
 *   - the same front popped with no drain before (rtk__wq_pop_spilled
 *     alone, as for a ring the loop stopped watching): the marks are read
 *     there, and a block's tasks are taken one by one from its header;
 *   - a drain that stops where the level is full and has no memory to
 *     grow, then goes on from there;
 *   - task cells sent one per call, collected by one drain into a watched
 *     ring's FIFO: 4 or more of one priority with no mark among them as
 *     one item that refers to them (a series, run from the ring), fewer
 *     copied; the FIFO's items checked one by one (phase 7).
 * The producer is a thread of its own, joined before the loop side pops
 * (rtk__wq_pop, as the executor does); in phase 4 the loop pops while
 * it submits, into a queue small enough that the ring's segment is
 * reused lap after lap (a block's payload then lies where the loop looks
 * for its next published cell). Exit 0: pass; 1: the first failure,
 * printed. */
#include "alloc_faults.h"
#include "internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TASKS 40000

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
 * the desc leaves it 0) expected. Two in three with no cause go through
 * rtk_schedule (its quick path, work_queue.c schedule_quick, and the
 * cases it leaves to the full one: a mark, the id block's end, a full
 * segment), the id the thread's block gives next expected. */
static void submit(rtk_priority_t prio, rtk_id_t cause)
{
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, noop, (void *)(uintptr_t)nwant);
    d.priority = prio;
    d.cause = cause;
    rtk_id_t id = 0;
    int rc;
    const bool schedule = cause == 0 && nwant % 3 != 0;
    for (;;) {
        if (schedule) {
            (void)rtk__ids_left(); /* a fresh block now if none is left */
            id = rtk__tls.id_next;
            rc = rtk_schedule(rt, noop, d.arg, prio);
        } else {
            rc = rtk_submit(rt, &d, &id);
        }
        if (rc != RTK_EFULL || phase != 4)
            break;
        sched_yield(); /* the loop is popping: a place comes free */
    }
    if (rc != RTK_OK)
        fail("submit refused, rc", nwant, (unsigned long long)-rc, 0);
    want[nwant++] = (expect_t){id, cause, prio};
}

/* A batch of n: the cause changes every cause_every tasks, and every
 * prio_every-th task (0: none) has priority prio + 1. Refused tails are
 * sent again (phase 4: the loop frees places as it pops). */
static void submit_many_mixed(size_t n, rtk_priority_t prio, size_t cause_every,
                              size_t prio_every)
{
    static rtk_task_desc_t d[512];
    static rtk_id_t ids[512];
    for (size_t i = 0; i < n; i++) {
        rtk_task_desc_init(&d[i], noop, (void *)(uintptr_t)(nwant + i));
        d[i].priority = prio_every && i % prio_every == prio_every - 1 ? prio + 1 : prio;
        d[i].cause = (rtk_id_t)(i / cause_every % 2 ? 5000 + i / cause_every : 0);
    }
    size_t done = 0;
    while (done < n) {
        size_t taken = 0;
        int rc = rtk_submit_many(rt, d + done, n - done, ids + done, &taken);
        if (rc != RTK_OK && rc != RTK_EFULL)
            fail("submit_many refused, rc", nwant + done, (unsigned long long)-rc, 0);
        done += taken;
        if (rc == RTK_EFULL)
            sched_yield();
    }
    for (size_t i = 0; i < n; i++)
        want[nwant++] = (expect_t){ids[i], d[i].cause, d[i].priority};
}

static void submit_many(size_t n, rtk_priority_t prio, size_t cause_every)
{
    submit_many_mixed(n, prio, cause_every, 0);
}

/* Phase 4's producer: batches of 1 to 90 (blocks and single cells), a
 * cause on every third, a skipped id now and then, a single submit
 * between some; `finished` set once all are in. */
static atomic_int finished;
static void concurrent_script(void)
{
    for (size_t b = 0; b < 500; b++) {
        size_t n = 1 + b * 37 % 90;
        if (b % 7 == 3)
            (void)rtk_next_id();
        submit_many(n, RTK_PRIORITY_NORMAL, b % 3 == 0 ? 1000 : n / 2 + 1);
        if (b % 5 == 1)
            submit(RTK_PRIORITY_NORMAL, b % 2 ? 0 : (rtk_id_t)(8000 + b));
    }
    atomic_store_explicit(&finished, 1, memory_order_release);
}

/* phase 7: 1 once the producer's first task is in, 2 once popped */
static atomic_int handshake;

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
        /* blocks: one cause throughout; odd, even, the smallest, one
         * short of it, more than a block holds (and than an id block) */
        submit_many(64, RTK_PRIORITY_NORMAL, 1000);
        submit(RTK_PRIORITY_NORMAL, 0); /* a cell after a block */
        submit_many(5, RTK_PRIORITY_NORMAL, 1000);
        submit_many(4, RTK_PRIORITY_NORMAL, 1000);
        submit_many(3, RTK_PRIORITY_NORMAL, 1000);
        submit_many(7, RTK_PRIORITY_NORMAL, 3); /* runs of 3 and 4 */
        submit_many(300, RTK_PRIORITY_NORMAL, 1000);
        submit_many(500, RTK_PRIORITY_NORMAL, 1000);
        (void)rtk_next_id();
        submit_many(64, RTK_PRIORITY_NORMAL, 1000); /* after a gap */
        submit_many_mixed(64, RTK_PRIORITY_NORMAL, 1000, 9); /* cut by priority */
        submit(RTK_PRIORITY_NORMAL, 777);
        submit_many(64, RTK_PRIORITY_NORMAL, 1000); /* cause back to 0 */
        for (int i = 0; i < 5000; i++) /* past the first segments */
            submit(RTK_PRIORITY_NORMAL, i % 1000 == 999 ? (rtk_id_t)i : 0);
    } else if (phase == 4) {
        concurrent_script();
    } else if (phase == 5) { /* the level's 64 places run out */
        /* a cause that changes every task: a mark before each, so each
         * is copied into the FIFO, none referred to as a series */
        for (int i = 0; i < 60; i++)
            submit(RTK_PRIORITY_HIGH, i % 2 ? 4242 : 0);
        submit_many(20, RTK_PRIORITY_HIGH, 1000);
        for (int i = 0; i < 30; i++)
            submit(RTK_PRIORITY_HIGH, i % 2 ? 0 : 4243);
    } else if (phase == 7) { /* series (below) */
        submit(RTK_PRIORITY_NORMAL, 0);
        /* the loop pops it: this ring is watched from then on */
        atomic_store_explicit(&handshake, 1, memory_order_release);
        while (atomic_load_explicit(&handshake, memory_order_acquire) != 2)
            sched_yield();
        for (int i = 0; i < 100; i++) /* one */
            submit(RTK_PRIORITY_NORMAL, 0);
        for (int i = 0; i < 3; i++) /* too short: copied */
            submit(RTK_PRIORITY_NORMAL, 31);
        for (int i = 0; i < 40; i++) /* cut by a priority */
            submit(i < 20 ? RTK_PRIORITY_LOW : RTK_PRIORITY_NORMAL, 0);
        (void)rtk_next_id(); /* cut by an id skipped */
        for (int i = 0; i < 8; i++)
            submit(RTK_PRIORITY_NORMAL, 0);
    } else if (phase == 6) { /* one task: the level made */
        submit(RTK_PRIORITY_HIGH, 0);
    } else { /* 2 and 3 */
        for (int i = 0; i < 300; i++) {
            if (i % 7 == 3)
                (void)rtk_next_id();
            submit(RTK_PRIORITY_HIGH, i % 11 < 4 ? (rtk_id_t)(9000 + i / 11) : 0);
            if (i % 50 == 10) /* blocks, cut by a cause */
                submit_many(9 + i % 4, RTK_PRIORITY_HIGH, 6);
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

/* The order the loop runs want[] in: by priority, then submit order. */
static size_t order[MAX_TASKS];
static void expected_order(void)
{
    size_t n = 0;
    rtk_priority_t last = 0;
    bool any = false;
    while (n < nwant) { /* the lowest priority above the last, each pass */
        rtk_priority_t next = 0;
        bool found = false;
        for (size_t i = 0; i < nwant; i++)
            if ((!any || want[i].priority > last) &&
                (!found || want[i].priority < next))
                next = want[i].priority, found = true;
        for (size_t i = 0; i < nwant; i++)
            if (want[i].priority == next)
                order[n++] = i;
        last = next;
        any = true;
    }
}

static void check_item(size_t k, const rtk__item_t *it)
{
    size_t i = order[k];
    if ((uintptr_t)it->u.task.arg != i)
        fail("order: got the task", k, (uintptr_t)it->u.task.arg, i);
    if (it->id != want[i].id)
        fail("id", i, it->id, want[i].id);
    if (it->cause != want[i].cause)
        fail("cause", i, it->cause, want[i].cause);
    if (it->priority != want[i].priority)
        fail("priority", i, (unsigned long long)it->priority,
             (unsigned long long)want[i].priority);
    if (it->source != RTK__SRC_SUBMIT || it->u.task.fn != noop)
        fail("source or fn of", i, it->source, RTK__SRC_SUBMIT);
}

static void check_pops(bool direct)
{
    expected_order();
    for (size_t k = 0; k < nwant; k++) {
        rtk__item_t it;
        if (!pop(&it, direct))
            fail("nothing to pop; popped", k, k, nwant);
        check_item(k, &it);
    }
    rtk__item_t extra;
    if (pop(&extra, direct))
        fail("one more item popped, id", nwant, extra.id, 0);
}

/* Phase 7's FIFO after one drain, item by item from its front: each a
 * series (a reference to task cells: its first task's value and how
 * many) or a copied task (1), in the order of the levels (LOW after
 * NORMAL); each item's tasks then popped and checked as check_pops does.
 * The first task (value 0) was popped before: its ring is watched. */
static void check_series(void)
{
    static const struct {
        uintptr_t v;
        size_t n;
        bool single;
    } fifo[] = {
        {1, 100, true}, {101, 1, false}, {102, 1, false}, {103, 1, false},
        {124, 20, true}, {144, 8, true}, {104, 20, true},
    };
    const size_t n = sizeof fifo / sizeof fifo[0];
    if (rt->wq_local.len != n)
        fail("FIFO items after the drain:", 0, rt->wq_local.len, n);
    expected_order();
    size_t k = 1; /* order[0], the first task, popped already */
    for (size_t i = 0; i < n; i++) {
        const rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
        bool ref = fr->source == RTK__SRC_BLOCK;
        if (ref != fifo[i].single || (ref && !fr->u.block.single))
            fail("FIFO item: a series (1) or a copy (0), item", i, ref,
                 fifo[i].single);
        uintptr_t v = (uintptr_t)fr->u.task.arg;
        if (ref) {
            const rtk__seg_t *sg = fr->u.block.seg;
            v = (uintptr_t)sg->cells[(fr->u.block.h + fr->u.block.t) & sg->mask]
                    .b.arg;
            if (fr->u.block.n != fifo[i].n || fr->u.block.t != 0)
                fail("series' tasks, item", i, fr->u.block.n, fifo[i].n);
        }
        if (v != fifo[i].v)
            fail("first task's value, item", i, v, fifo[i].v);
        for (size_t t = 0; t < fifo[i].n; t++, k++) {
            rtk__item_t it;
            if (!pop(&it, false))
                fail("nothing to pop; popped", k, k, nwant);
            check_item(k, &it);
        }
    }
    rtk__item_t extra;
    if (pop(&extra, false))
        fail("one more item popped, id", nwant, extra.id, 0);
}

/* Phase 4: the loop pops while the producer submits (one priority: pops
 * in submit order), each item kept and checked once the producer is
 * done. */
static rtk__item_t got[MAX_TASKS];
static void run_concurrent(void)
{
    nwant = 0;
    atomic_store(&finished, 0);
    pthread_t th;
    if (pthread_create(&th, NULL, script, NULL) != 0) {
        fprintf(stderr, "prod_marks: cannot run the producer thread\n");
        exit(1);
    }
    size_t n = 0;
    for (;;) {
        /* read before the pops: once set, they find all it published */
        int fin = atomic_load_explicit(&finished, memory_order_acquire);
        while (n < MAX_TASKS && rtk__wq_pop(rt, &got[n]))
            n++;
        if (fin)
            break;
        sched_yield(); /* the producer is working: let it */
    }
    pthread_join(th, NULL);
    if (n != nwant)
        fail("popped in all", n, n, nwant);
    expected_order();
    for (size_t k = 0; k < nwant; k++)
        check_item(k, &got[k]);
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
    size_t firsts = nwant;

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

    size_t spilled = nwant;

    /* Phase 5: the level exists (phase 6 made it, 64 places) and cannot
     * grow: a drain stops 4 tasks into a block, which says so in its
     * header; the next drains, with places free, take the rest from
     * there. */
    phase = 6;
    run_script();
    check_pops(false);
    phase = 5;
    run_script();
    rtk_test_alloc_reset();
    rtk_test_alloc_fail_at(0, 1);
    check_pops(false);
    failed = rtk_test_alloc_failures();
    rtk_test_alloc_fail_at(-1, 0);
    if (failed == 0)
        fail("allocations made to fail (the level's growth not refused):", 0, 0, 1);

    /* Phase 7: task cells sent one per call, collected by one drain:
     * RTK__SERIES_MIN or more of one priority with no mark among them go
     * into the FIFO as one item that refers to them (a series), fewer
     * are copied; popped, each is its own task, with its id and cause. */
    phase = 7;
    nwant = 0;
    atomic_store(&handshake, 0);
    pthread_t th;
    if (pthread_create(&th, NULL, script, NULL) != 0) {
        fprintf(stderr, "prod_marks: cannot run the producer thread\n");
        exit(1);
    }
    while (atomic_load_explicit(&handshake, memory_order_acquire) != 1)
        sched_yield();
    rtk__item_t first;
    if (!pop(&first, false) || (uintptr_t)first.u.task.arg != 0 ||
        first.id != want[0].id)
        fail("phase 7's first task popped: its id", 0, first.id, want[0].id);
    atomic_store_explicit(&handshake, 2, memory_order_release);
    pthread_join(th, NULL);
    rtk__wq_drain_ring(rt);
    check_series();
    size_t in_series = nwant;
    rtk_runtime_destroy(rt);

    /* Phase 4: concurrent, into a queue of 512: segments of at most 512
     * cells, each reused lap after lap. */
    phase = 4;
    c.work_queue_capacity = 512;
    if (rtk_runtime_create(&c, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fprintf(stderr, "prod_marks: runtime create failed\n");
        return 1;
    }
    run_concurrent();
    rtk_runtime_destroy(rt);
    printf("prod_marks: %zu tasks, then %zu twice, then %zu in series, then %zu"
           " popped while submitted, with their ids and causes\n",
           firsts, spilled, in_series, nwant);
    return 0;
}
