/* executor.c - runs a batch of tasks and isolates their failures.
 *
 * A batch pops up to `limit` tasks in priority order and runs each on the
 * loop thread with the task's id as the thread's current cause. A non-zero
 * status counts as failed; rtk_task_abandon() longjmps back here (one
 * setjmp per batch, not per task, so the no-op path stays cheap), the task
 * counts as failed (outcome abandoned) and the batch goes on. A timer fire
 * whose timer was cancelled or re-armed since is voided, not run. A render
 * that is due goes before any task of lower priority than
 * config.render_priority, so a keystroke's echo is not held behind the
 * background work the keystroke queued. */
#include "internal.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

_Static_assert((RTK__SRC_TIMER & 1) && (RTK__SRC_BLOCK & 1) &&
                   !(RTK__SRC_SUBMIT & 1) && !(RTK__SRC_COMMAND & 1),
               "the executor tests one bit for a timer's fire or a block's task");

static _Thread_local jmp_buf *tls_jb;

void rtk_task_abandon(int status)
{
    if (!tls_jb) {
        fputs("rtk: rtk_task_abandon() called outside a running task\n",
              stderr);
        abort();
    }
    longjmp(*tls_jb, status ? status : 1);
}

/* The calling thread's CPU time in ns (config.task_cpu_time): a syscall
 * on most kernels (no vDSO for CPU clocks), so it is read only in traced
 * batches of a runtime that asked for it. */
static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* cpu_ns of rtk:task_finished: the CPU time since the task started, at
 * least 1 (0 means "not measured": off, a voided task that never ran, or
 * a task abandoned in a batch that started untraced). cpu: the runtime
 * measures (config.task_cpu_time, read once per batch: it never changes). */
/* Inlined at each site: out of line it cost a traced task 8 instructions
 * (bench/instr_count.sh, the recording row, whose goal is within 0.1% of
 * its line). */
static inline __attribute__((always_inline, unused)) uint64_t
task_cpu(const rtk_runtime_t *rt, int outcome, const bool cpu)
{
    if (!cpu || !rt->task_cpu0 || outcome == RTK__OUT_VOIDED)
        return 0;
    uint64_t now = thread_cpu_ns();
    return now > rt->task_cpu0 ? now - rt->task_cpu0 : 1;
}

/* A task's outcome: traced, counted, and a timer's fire done with.
 * block: a block's task run back to back (run_block), never a timer's. */
static inline __attribute__((always_inline)) void
finish_task(rtk_runtime_t *rt, const rtk__item_t *it, int outcome, int status,
            const bool traced, const bool cpu, const bool block)
{
    if (traced)
        RTK_TP(task_finished, it->id, (uint8_t)outcome, status,
               task_cpu(rt, outcome, cpu));
    (void)status;
    (void)cpu;
    if (outcome == RTK__OUT_OK)
        rtk__inc(&rt->tasks_executed);
    else if (outcome == RTK__OUT_VOIDED)
        rtk__inc(&rt->tasks_voided);
    else
        rtk__inc(&rt->tasks_failed);
    if (!block && it->source == RTK__SRC_TIMER)
        rtk__timer_fire_done(rt, it);
}

static inline __attribute__((always_inline)) void
finish(rtk_runtime_t *rt, const rtk__item_t *it, int outcome, int status,
       const bool traced, const bool cpu)
{
    finish_task(rt, it, outcome, status, traced, cpu, false);
}

/* One task run: a due render first if the task is below render
 * priority (below: cur->priority > config.render_priority, with a render
 * callback), its trace events, the call with its id as the cause, its
 * outcome. block: run_block's, which knows `below` for the whole block. */
static inline __attribute__((always_inline)) void
run_one(rtk_runtime_t *rt, rtk__item_t *cur, rtk_id_t outer_cause,
        const bool traced, const bool cpu, const bool below, const bool block)
{
    if (below && rtk_render_pending(rt))
        rtk__render_maybe(rt, rtk__now(rt));
    if (traced) {
        RTK_TP(task_started, cur->id, cur->cause, cur->priority);
        if (cpu)
            rt->task_cpu0 = thread_cpu_ns();
    }
    rtk__tls.cause = cur->id;
    int st = cur->u.task.fn(cur->u.task.arg);
    rtk__tls.cause = outer_cause;
    finish_task(rt, cur, st == 0 ? RTK__OUT_OK : RTK__OUT_FAILED, st, traced,
                cpu, block);
}

/* The render test of run_one for a task at priority prio. */
static inline __attribute__((always_inline)) bool
below_render(const rtk_runtime_t *rt, rtk_priority_t prio)
{
    return prio > rt->cfg.render_priority && rt->cfg.render;
}

/* What the stretch of a block's run (rt->blk_run) owes for its next k
 * tasks, which have taken their places: counted in the batch, their
 * places set aside (as a pop's that leaves the rings unread,
 * rtk__wq_pop_lazy, capped as there), and the block's item moved past
 * them, or dropped with the block's last. k 0: nothing, and fr untouched
 * (a push may have moved it since). */
static void blk_pay(rtk_runtime_t *rt, size_t k)
{
    struct rtk__blk_run *br = &rt->blk_run;
    if (!k)
        return;
    rt->batch_ran += k;
    rtk__wq_aside_capped(rt, rt->wq_aside + k);
    br->t0 += k;
    br->id0 += k;
    rtk__item_t *fr = br->fr;
    if (br->t0 < fr->u.block.n) {
        fr->u.block.t = (uint16_t)br->t0;
        fr->id = br->id0;
    } else {
        rtk__prod_block_done(rt, fr);
    }
}

void rtk__exec_block_settle(rtk_runtime_t *rt)
{
    if (!rt->blk_run.fr)
        return;
    /* the running task's success is counted when it returns (run_block) */
    rtk__add(&rt->tasks_executed, rtk__exec_block_ran_owed(rt));
    blk_pay(rt, rtk__exec_block_owed(rt));
    rt->blk_run.fr = NULL; /* the stretch's end: see run_block */
    rt->blk_run.stop = rt->current.id + 1;
}

/* Nothing another thread sent could go before a block's next task at
 * prio: nothing more urgent in the producers' rings or the shared ring.
 * prod_min bounds both (the lazy pop's test): a thread that puts a task
 * into the shared ring lowers it as one that uses its own ring does
 * (rtk__note_sent_prio), so the run reads one word a task, not two. */
static inline __attribute__((always_inline)) bool
none_sent_first(const rtk_runtime_t *rt, rtk_priority_t prio)
{
    return atomic_load_explicit(&rt->prod_min, memory_order_relaxed) >= prio;
}

/* cur is a task of a block another thread sent, or of a series of its
 * tasks sent one by one (`single`; "block" below stands for either), with
 * more of the block behind it in the FIFO's front item
 * (rtk__prod_take_block left it there, and nothing has touched the FIFO
 * since).
 * Run it, then the block's next tasks straight from the producer's ring,
 * without a pop each, for as long as none could have to go before them:
 * - no task queued meanwhile (the FIFO's length unchanged): one queued by
 *   a task, more urgent or not, sends the loop back to its pops, and so
 *   does a look at the rings by its push;
 * - no tick run from a task (tick_n), which may have popped;
 * - nothing more urgent sent by another thread (prod_min: the lazy pop's
 *   test, which bounds the shared ring too).
 * Each such task's place goes aside, as a pop's that leaves the rings
 * unread (rtk__wq_pop_lazy): the loop's credit first, so that within the
 * run a place is one increment (no push in it: credit stays 0).
 * The tasks go in stretches: a stretch counts its tasks (places, the
 * batch's count, the block's item) once, at its end (blk_pay), and ends
 * at the block's end, the batch's limit or the cap on places aside, so
 * that no count goes past where a task-by-task count would have stopped.
 * Whatever could see the counts while a stretch owes them pays first and
 * ends the stretch (rt->blk_run, rtk__exec_block_settle): a push from a
 * task (every push of a run takes push_local_slow: it has no credit) and
 * a tick run from one, which are all that can change the FIFO's length
 * or tick_n; so within a stretch those two tests are one, that it has
 * not ended, and the run's first test, before each stretch, tells a push
 * that found no place (the run goes on) from the rest. A settle ends it
 * by moving its end (br->stop) to the running task's next id: the test
 * of the stretch's end is then the only one a task pays for both. cur
 * keeps the block's cause, priority and the first task's function: per
 * task only its id is written (an abandon's and a settle's). below:
 * run_one's render test for the block's priority, a constant in each
 * instance. */
static inline __attribute__((always_inline)) void
run_block(rtk_runtime_t *rt, rtk__item_t *cur, size_t limit,
          rtk_id_t outer_cause, const bool traced, const bool cpu,
          const bool below, const bool single)
{
    rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
    const rtk__prio_fifo_t *q = &rt->wq_local;
    struct rtk__blk_run *br = &rt->blk_run;
    assert(fr && fr->source == RTK__SRC_BLOCK);
    const size_t len0 = q->len;
    const uint32_t tick0 = rt->tick_n;
    const rtk_priority_t prio = fr->priority;
    const rtk__pcell_t *const cells = fr->u.block.seg->cells;
    const size_t mask = fr->u.block.seg->mask, h = fr->u.block.h,
                 n = fr->u.block.n;
    /* the configuration and the credit cap stay as they are while the
     * run's tests hold (no pop, no tick) */
    const size_t aside_max = 2 * rt->wq_credit_cap;
    cur->source = RTK__SRC_SUBMIT;
    run_one(rt, cur, outer_cause, traced, cpu, below, true);
    rtk__wq_set_aside(rt, 0);
    while (rt->batch_ran < limit && q->len == len0 && rt->tick_n == tick0 &&
           none_sent_first(rt, prio)) {
        size_t t = fr->u.block.t;
        rtk_id_t id = fr->id;
        /* the stretch: to the block's end, the batch's limit, or the task
         * whose place takes the places aside past their cap */
        size_t len = n - t;
        if (len > limit - rt->batch_ran)
            len = limit - rt->batch_ran;
        if (len > aside_max + 1 - rt->wq_aside)
            len = aside_max + 1 - rt->wq_aside;
        /* and within the ring's array: its cells are walked, not indexed
         * (a series' one task a cell, a block's payload two) */
        const size_t ci = (single ? h + t : rtk__blk_pay_pos(h, t)) & mask;
        const rtk__pcell_t *pay = &cells[ci];
        /* a block's tasks: its payload's lanes, one after the other across
         * cells (16 bytes each: no test of which lane) */
        const char *lane = (const char *)&pay->lane[t & 1];
        const size_t fit =
            single ? mask + 1 - ci : 2 * (mask + 1 - ci) - (t & 1);
        if (len > fit)
            len = fit;
        br->fr = fr;
        br->t0 = t;
        br->id0 = id;
        br->stop = id + len;
        br->fails = 0;
        int st;
        do {
            rtk_task_fn fn;
            void *arg;
            if (single) {
                fn = pay->a.fn;
                arg = pay->b.arg;
                pay++;
            } else {
                rtk__lane_task((const struct rtk__blk_lane *)(const void *)lane,
                               &fn, &arg);
                lane += sizeof(struct rtk__blk_lane);
            }
            rt->current.id = id; /* cur: through rt, no register of its own */
            if (below && rtk_render_pending(rt))
                rtk__render_maybe(rt, rtk__now(rt));
            if (traced) {
                RTK_TP(task_started, id, cur->cause, prio);
                if (cpu)
                    rt->task_cpu0 = thread_cpu_ns();
            }
            rtk__tls.cause = id;
            st = fn(arg);
            if (below) /* a render between tasks: the batch's cause */
                rtk__tls.cause = outer_cause;
            if (traced) {
                const int outcome = st == 0 ? RTK__OUT_OK : RTK__OUT_FAILED;
                RTK_TP(task_finished, id, (uint8_t)outcome, st,
                       task_cpu(rt, outcome, cpu));
                (void)outcome;
            }
            /* a failure is counted at once (the stretch's pay leaves it
             * out), a success with the stretch */
            if (__builtin_expect(st != 0, 0)) {
                rtk__inc(&rt->tasks_failed);
                br->fails++;
            }
        } while (++id != br->stop && none_sent_first(rt, prio));
        rtk__tls.cause = outer_cause;
        t = br->t0 + (size_t)(id - br->id0); /* a settle moved both */
        if (br->fr) {
            rtk__add(&rt->tasks_executed, t - br->t0 - br->fails);
            blk_pay(rt, t - br->t0);
            br->fr = NULL;
        } else if (st == 0) {
            /* ended by a settle (a push, a tick, from the last task run),
             * which paid for the tasks before it (a tick's
             * rtk__exec_batch put the stretch's state back as that settle
             * left it): only that task's success is owed */
            rtk__inc(&rt->tasks_executed);
        }
        if (t == n)
            return;
    }
}

/* run_block out of line, once per block: inlined, it cost the loop's
 * other tasks 5 instructions each (bench/instr_count.sh, defer). */
static __attribute__((noinline)) void run_block_traced(rtk_runtime_t *rt,
                                                       rtk__item_t *cur,
                                                       size_t limit,
                                                       rtk_id_t outer_cause,
                                                       bool cpu)
{
    const rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
    const bool below = below_render(rt, fr->priority);
    if (fr->u.block.single)
        run_block(rt, cur, limit, outer_cause, true, cpu, below, true);
    else
        run_block(rt, cur, limit, outer_cause, true, cpu, below, false);
}
/* The plain run, one instance per layout and render test: each a
 * constant in its loop. */
static __attribute__((noinline)) void run_block_plain(rtk_runtime_t *rt,
                                                      rtk__item_t *cur,
                                                      size_t limit,
                                                      rtk_id_t outer_cause)
{
    const rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
    const bool below = below_render(rt, fr->priority);
    if (fr->u.block.single) {
        if (below)
            run_block(rt, cur, limit, outer_cause, false, false, true, true);
        else
            run_block(rt, cur, limit, outer_cause, false, false, false, true);
    } else if (below) {
        run_block(rt, cur, limit, outer_cause, false, false, true, false);
    } else {
        run_block(rt, cur, limit, outer_cause, false, false, false, false);
    }
}

/* The hot loop, in a frame of its own without setjmp, so that rt and the
 * loop's state live in registers (a setjmp frame keeps them in memory).
 * The count is kept in rt->batch_ran so an abandon loses nothing.
 * Instantiated twice: with the per-task tracepoints, and without them when
 * no session listens to task_queued, task_started or task_finished as the
 * batch starts (then a no-op task, and a task the loop queues, pays no
 * trace check at all; a session that starts mid-batch sees those events
 * from the next batch on, at most batch_size tasks later). */
static inline __attribute__((always_inline)) void
run_loop(rtk_runtime_t *rt, size_t limit, rtk_id_t outer_cause,
         const bool traced)
{
    rtk__item_t *cur = &rt->current;
    /* a local: through rt it is loaded again after every task's call */
    const bool cpu = traced && rt->cfg.task_cpu_time;
    while (rt->batch_ran < limit && rtk__wq_pop_fast(rt, cur)) {
        rt->batch_ran++;
        if (cur->source & 1) { /* a timer's fire, or a block's task */
            /* read again: kept from the test above, the byte costs that
             * test a load of its own (3 instructions a task, not 2) */
            __asm__("" ::: "memory");
            if (cur->source == RTK__SRC_BLOCK) {
                if (traced)
                    run_block_traced(rt, cur, limit, outer_cause, cpu);
                else
                    run_block_plain(rt, cur, limit, outer_cause);
                continue;
            }
            /* fires come in bursts: warm the next one's timer slot while
             * this one runs (its validity check is otherwise a cold miss) */
            const rtk__item_t *nx = rtk__pf_peek(&rt->wq_local);
            if (nx && nx->source == RTK__SRC_TIMER)
                rtk__timer_prefetch(rt, nx->u.task.timer_id);
            if (!rtk__timer_fire_valid(rt, cur)) {
                finish(rt, cur, RTK__OUT_VOIDED, 0, traced, cpu);
                continue;
            }
        }
        run_one(rt, cur, outer_cause, traced, cpu,
                below_render(rt, cur->priority), false);
    }
}

static __attribute__((noinline)) void run_tasks(rtk_runtime_t *rt,
                                                size_t limit,
                                                rtk_id_t outer_cause)
{
    rtk__trace_tasks_sample(rt);
    rt->task_cpu0 = 0; /* set per task in a traced batch that measures */
    if (rt->trace_tasks)
        run_loop(rt, limit, outer_cause, true);
    else
        run_loop(rt, limit, outer_cause, false);
}

size_t rtk__exec_batch(rtk_runtime_t *rt, size_t limit)
{
    jmp_buf jb;
    jmp_buf *volatile saved_jb = tls_jb;
    volatile rtk_id_t saved_cause = rtk__tls.cause;
    const size_t outer_ran = rt->batch_ran; /* a tick run from a task */
    const unsigned bus_depth = rt->bus.depth;
    /* a tick run from a block's task: that run's stretch, which the tick
     * ended (rtk_tick), is its own again on return */
    const struct rtk__blk_run outer_blk = rt->blk_run;

    rt->batch_ran = 0;
    int abandoned = setjmp(jb);
    tls_jb = &jb;
    if (abandoned) {
        /* the abandoned task was counted in batch_ran when it started */
        rtk__tls.cause = saved_cause;
        rtk__bus_unwind(rt, bus_depth);
        rtk__exec_block_sync(rt); /* its place was taken */
        finish(rt, &rt->current, RTK__OUT_ABANDONED, abandoned, true,
               rt->cfg.task_cpu_time);
    }
    run_tasks(rt, limit, saved_cause);
    tls_jb = saved_jb;
    size_t ran = rt->batch_ran;
    rt->batch_ran = outer_ran;
    rt->blk_run = outer_blk;
    if (rtk__wq_credit_held(rt))
        rtk__wq_credit_release(rt); /* what ran is free for other threads */
    return ran;
}
